package io.foresight.pipeline;

import io.foresight.schemas.KafkaLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic (read_committed) until a condition holds or a timeout passes. */
final class TopicReader {
  private TopicReader() {}

  static List<ConsumerRecord<byte[], byte[]>> readUntil(
      String bootstrap,
      String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout) {
    Map<String, Object> p = new HashMap<>(KafkaLimits.consumer());
    p.put("bootstrap.servers", bootstrap);
    p.put("isolation.level", "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo pi : c.partitionsFor(topic)) {
        tps.add(new TopicPartition(topic, pi.partition()));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
        if (done.test(out)) {
          break;
        }
      }
    }
    return out;
  }
}
