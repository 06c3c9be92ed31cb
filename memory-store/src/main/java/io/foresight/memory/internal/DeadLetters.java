package io.foresight.memory.internal;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends refused records to the dead-letter sink with where they came from and why. */
final class DeadLetters {
  static final String STAGE = "memory";
  static final String SINK = "deadletter-sink";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final AvroCodec<DeadLetter> CODEC = AvroCodec.of(DeadLetter.class);

  private DeadLetters() {}

  static void send(
      ProcessorContext<byte[], byte[]> context,
      Record<byte[], byte[]> record,
      Rejected why,
      MemoryMetrics metrics) {
    RecordMetadata md = context.recordMetadata().orElse(null);
    String topic = md == null ? "" : md.topic();
    int partition = md == null ? -1 : md.partition();
    long offset = md == null ? -1 : md.offset();
    DeadLetter dl =
        new DeadLetter(
            topic,
            partition,
            offset,
            record.key() == null ? null : ByteBuffer.wrap(record.key()),
            record.value() == null ? null : ByteBuffer.wrap(record.value()),
            STAGE,
            why.getMessage(),
            why.type(),
            context.currentSystemTimeMs() * 1000);
    metrics.deadLetter(why.type());
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "Dead letter {}-{}@{}: {} {}", topic, partition, offset, why.type(), why.getMessage());
    }
    context.forward(
        new Record<>(record.key(), CODEC.encode(dl), record.timestamp(), record.headers()), SINK);
  }
}
