package io.foresight.memory.internal;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.ActionCommand;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor of {@code foresight.actions}: stores each executed action under (stream, time,
 * offset), so that transitions can be joined with the action taken between two states.
 */
final class ActionProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final AvroCodec<ActionCommand> CODEC = AvroCodec.of(ActionCommand.class);
  private final MemoryMetrics metrics;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> actions;

  ActionProcessor(MemoryMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.actions = context.getStateStore(MemoryTopology.ACTIONS);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    try {
      ActionCommand a;
      try {
        a = CODEC.decode(record.value());
      } catch (WireFormatException e) {
        throw new Rejected("UNDECODABLE_" + e.kind(), "not an ActionCommand: " + e.getMessage(), e);
      }
      LatentIngestor.checkStream(a.getStreamId(), record.key(), "ActionCommand");
      float[] values = new float[a.getValues().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = a.getValues().get(i);
        if (!Float.isFinite(values[i])) {
          throw new Rejected(
              "NOT_FINITE", "action value " + i + " is " + values[i] + "; actions must be finite");
        }
      }
      long offset = context.recordMetadata().map(m -> m.offset()).orElse(0L);
      byte[] key = KeyLayout.action(a.getStreamId(), a.getTimeUs(), offset);
      byte[] value =
          ValueCodec.encodeAction(
              values, a.getSource().ordinal(), a.getFrameSequence(), a.getPlanId(), a.getTimeUs());
      actions.put(Bytes.wrap(key), value);
      metrics.actionsStored.increment();
    } catch (Rejected r) {
      DeadLetters.send(context, record, r, metrics);
    }
  }
}
