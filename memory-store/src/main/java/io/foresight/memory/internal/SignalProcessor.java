package io.foresight.memory.internal;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor of {@code foresight.predictions} and {@code foresight.surprise}: keeps, per
 * (stream, sequence), the surprise of the frame against its prediction and any surprise event,
 * which the query API joins to the states. The predicted futures themselves are not stored.
 */
final class SignalProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final AvroCodec<Prediction> PREDICTIONS = AvroCodec.of(Prediction.class);
  private static final AvroCodec<SurpriseEvent> SURPRISES = AvroCodec.of(SurpriseEvent.class);
  private final String surpriseTopic;
  private final MemoryMetrics metrics;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> signals;

  SignalProcessor(String surpriseTopic, MemoryMetrics metrics) {
    this.surpriseTopic = surpriseTopic;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.signals = context.getStateStore(MemoryTopology.SIGNALS);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    try {
      if (topic.equals(surpriseTopic)) {
        SurpriseEvent e;
        try {
          e = SURPRISES.decode(record.value());
        } catch (WireFormatException ex) {
          throw new Rejected(
              "UNDECODABLE_" + ex.kind(), "not a SurpriseEvent: " + ex.getMessage(), ex);
        }
        LatentIngestor.checkStream(e.getStreamId(), record.key(), "SurpriseEvent");
        Bytes key = Bytes.wrap(KeyLayout.signal(e.getStreamId(), e.getSequence()));
        ValueCodec.Signals old = ValueCodec.decodeSignals(signals.get(key));
        signals.put(
            key,
            ValueCodec.encodeSignals(
                new ValueCodec.Signals(
                    old.surprise(),
                    old.surpriseNormalized(),
                    e.getScore(),
                    e.getNormalizedScore(),
                    e.getThreshold())));
        metrics.signalsStored.increment();
      } else {
        Prediction p;
        try {
          p = PREDICTIONS.decode(record.value());
        } catch (WireFormatException ex) {
          throw new Rejected(
              "UNDECODABLE_" + ex.kind(), "not a Prediction: " + ex.getMessage(), ex);
        }
        LatentIngestor.checkStream(p.getStreamId(), record.key(), "Prediction");
        if (p.getSurprise() == null) {
          return;
        }
        Bytes key = Bytes.wrap(KeyLayout.signal(p.getStreamId(), p.getSequence()));
        ValueCodec.Signals old = ValueCodec.decodeSignals(signals.get(key));
        double normalized =
            p.getSurpriseNormalized() == null ? Double.NaN : p.getSurpriseNormalized();
        signals.put(
            key,
            ValueCodec.encodeSignals(
                new ValueCodec.Signals(
                    p.getSurprise(),
                    normalized,
                    old.eventScore(),
                    old.eventNormalized(),
                    old.eventThreshold())));
        metrics.signalsStored.increment();
      }
    } catch (Rejected r) {
      DeadLetters.send(context, record, r, metrics);
    }
  }
}
