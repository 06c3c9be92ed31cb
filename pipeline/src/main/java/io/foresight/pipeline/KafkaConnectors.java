package io.foresight.pipeline;

import io.foresight.pipeline.internal.RawRecordDeserializer;
import io.foresight.schemas.KafkaLimits;
import io.foresight.schemas.serde.AvroSerializationSchema;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the job's Kafka sources (raw records) and sinks (Avro, keyed by stream id). */
public final class KafkaConnectors {
  private KafkaConnectors() {}

  /** A source of raw records from one topic, starting from committed offsets. */
  public static KafkaSource<RawRecord> source(JobOptions s, String topic) {
    return source(s, topic, false);
  }

  /**
   * A source of raw records from one topic, starting from committed offsets. A source that is not
   * on the latency path ({@code batched}) lets the broker wait up to 50 ms to fill a larger fetch,
   * which saves many small fetch requests.
   */
  public static KafkaSource<RawRecord> source(JobOptions s, String topic, boolean batched) {
    OffsetResetStrategy reset =
        s.get(JobOptions.STARTING_OFFSETS).equals("latest")
            ? OffsetResetStrategy.LATEST
            : OffsetResetStrategy.EARLIEST;
    var b =
        KafkaSource.<RawRecord>builder()
            .setBootstrapServers(s.get(JobOptions.BOOTSTRAP))
            .setTopics(topic)
            .setGroupId(s.get(JobOptions.GROUP_ID))
            .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
            .setDeserializer(new RawRecordDeserializer())
            .setProperty("isolation.level", "read_committed")
            .setProperty("partition.discovery.interval.ms", "60000")
            .setProperty("commit.offsets.on.checkpoint", "true");
    KafkaLimits.consumer().forEach((k, v) -> b.setProperty(k, String.valueOf(v)));
    if (batched) {
      b.setProperty("fetch.min.bytes", Integer.toString(64 * 1024));
      b.setProperty("fetch.max.wait.ms", "50");
    }
    return b.build();
  }

  /** The delivery guarantee named by an option value. */
  public static DeliveryGuarantee guarantee(String value) {
    return switch (value.toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
      case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
      case "none" -> DeliveryGuarantee.NONE;
      default ->
          throw new PipelineException(
              "delivery guarantee must be exactly-once, at-least-once or none, got '"
                  + value
                  + "'");
    };
  }

  /** A sink of Avro records to {@code topic}, keyed by {@code key}, with the given guarantee. */
  public static <T extends SpecificRecord> KafkaSink<T> sink(
      JobOptions s,
      String topic,
      Class<T> type,
      SerializationSchema<T> keys,
      DeliveryGuarantee guarantee) {
    var b =
        KafkaSink.<T>builder()
            .setBootstrapServers(s.get(JobOptions.BOOTSTRAP))
            .setRecordSerializer(
                KafkaRecordSerializationSchema.<T>builder()
                    .setTopic(topic)
                    .setKeySerializationSchema(keys)
                    .setValueSerializationSchema(new AvroSerializationSchema<>(type))
                    .build())
            .setDeliveryGuarantee(guarantee);
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      b.setTransactionalIdPrefix(s.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-" + topic);
      b.setProperty("transaction.timeout.ms", "900000");
    }
    for (Map.Entry<String, Object> e : KafkaLimits.producer().entrySet()) {
      b.setProperty(e.getKey(), String.valueOf(e.getValue()));
    }
    // Records of an exactly-once sink become readable when the checkpoint commits (seconds), so
    // waiting a little to fill larger batches costs readers nothing and saves the broker most of
    // its produce requests; the other sinks (plans) are read at once and send at once.
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      b.setProperty("linger.ms", "50");
      b.setProperty("batch.size", Integer.toString(256 * 1024));
    } else {
      b.setProperty("linger.ms", "1");
    }
    return b.build();
  }

  /** Key serialization: the stream id in UTF-8. */
  public static <T> SerializationSchema<T> streamIdKey(SerializableFunction<T, String> streamId) {
    return element -> streamId.apply(element).getBytes(StandardCharsets.UTF_8);
  }

  /** A serializable function. */
  @FunctionalInterface
  public interface SerializableFunction<A, B> extends Function<A, B>, java.io.Serializable {}
}
