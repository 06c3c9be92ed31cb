package io.foresight.pipeline.internal;

import io.foresight.pipeline.DeadLetters;
import io.foresight.pipeline.RawRecord;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ContractException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes raw Kafka records into Avro records, validates them and converts them for the next stage;
 * whatever does not decode or validate goes to {@link DeadLetters#TAG} with the reason, and the job
 * keeps running.
 */
public final class DecodeFunction<T extends SpecificRecord, O>
    extends ProcessFunction<RawRecord, O> {
  private static final long serialVersionUID = 1L;

  /** Checks a decoded record and converts it; throws {@link ContractException} to refuse it. */
  @FunctionalInterface
  public interface Converter<T, O> extends java.io.Serializable {
    O convert(T record, RawRecord raw);
  }

  private final Class<T> type;
  private final Converter<T, O> converter;
  private transient AvroCodec<T> codec;
  private transient Counter in;
  private transient Counter refused;

  public DecodeFunction(Class<T> type, Converter<T, O> converter) {
    this.type = type;
    this.converter = converter;
  }

  @Override
  public void open(OpenContext ctx) {
    codec = AvroCodec.of(type);
    in = getRuntimeContext().getMetricGroup().counter("recordsIn");
    refused = getRuntimeContext().getMetricGroup().counter("deadLetters");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<O> out) {
    O converted;
    try {
      converted = converter.convert(codec.decode(raw.value()), raw);
    } catch (ContractException e) {
      refused.inc();
      ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode", e));
      return;
    }
    in.inc();
    if (converted != null) {
      out.collect(converted);
    }
  }
}
