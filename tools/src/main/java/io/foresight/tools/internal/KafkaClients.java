package io.foresight.tools.internal;

import io.foresight.schemas.KafkaLimits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Byte-level Kafka clients sized for Foresight's records, for the demo, its reports and tests. */
public final class KafkaClients {
  private KafkaClients() {}

  /** A producer of raw bytes with the frame-sized request limit. */
  public static KafkaProducer<byte[], byte[]> bytesProducer(String bootstrap) {
    Map<String, Object> p = new HashMap<>(KafkaLimits.producer());
    p.put("bootstrap.servers", bootstrap);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * A read_committed consumer (no group) assigned every partition of {@code topics}, positioned at
   * their beginning.
   */
  public static KafkaConsumer<byte[], byte[]> fromBeginning(
      String bootstrap, Collection<String> topics) {
    KafkaConsumer<byte[], byte[]> c = assigned(bootstrap, topics, Map.of());
    c.seekToBeginning(c.assignment());
    return c;
  }

  /**
   * A read_committed consumer (no group) assigned every partition of {@code topics}, not yet
   * positioned; {@code extra} adds or overrides client settings.
   */
  public static KafkaConsumer<byte[], byte[]> assigned(
      String bootstrap, Collection<String> topics, Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>(KafkaLimits.consumer());
    p.put("bootstrap.servers", bootstrap);
    p.put("isolation.level", "read_committed");
    p.putAll(extra);
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> tps = new ArrayList<>();
    for (String t : topics) {
      for (PartitionInfo pi : c.partitionsFor(t)) {
        tps.add(new TopicPartition(t, pi.partition()));
      }
    }
    c.assign(tps);
    return c;
  }
}
