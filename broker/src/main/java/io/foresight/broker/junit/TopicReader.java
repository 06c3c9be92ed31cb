package io.foresight.broker.junit;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.KafkaLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from the beginning for integration tests (no consumer group). */
public final class TopicReader<T extends SpecificRecord> implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroCodec<T> codec;
  private final List<T> seen = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();

  public TopicReader(String bootstrap, String topic, Class<T> type) {
    Map<String, Object> c = new HashMap<>(KafkaLimits.consumer());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(c);
    List<TopicPartition> tps = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
      tps.add(new TopicPartition(topic, p.partition()));
    }
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    codec = AvroCodec.of(type);
  }

  /** Polls until {@code done} holds for the records seen so far, or the timeout passes. */
  public List<T> readUntil(Predicate<List<T>> done, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!done.test(seen) && System.nanoTime() < end) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        seen.add(codec.decode(r.value()));
        keys.add(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return List.copyOf(seen);
  }

  /** Polls until at least {@code n} records were seen. */
  public List<T> read(int n, Duration timeout) {
    return readUntil(l -> l.size() >= n, timeout);
  }

  /** The keys of the records seen, in order. */
  public List<String> keys() {
    return List.copyOf(keys);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
