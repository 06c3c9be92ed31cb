package io.foresight.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.memory.api.MemoryClient;
import io.foresight.schemas.KafkaLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Helpers of the integration tests: producing, consuming, polling the HTTP API. */
public final class ItSupport {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private ItSupport() {}

  public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Map<String, Object> c = new HashMap<>(KafkaLimits.producer());
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // one batch in flight: right after topic creation, a NOT_LEADER retry with several batches in
    // flight left the idempotent producer stuck on OUT_OF_ORDER_SEQUENCE_NUMBER (seen here)
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public static void send(KafkaProducer<byte[], byte[]> p, String topic, byte[] key, byte[] value) {
    p.send(new ProducerRecord<>(topic, key, value));
  }

  public static List<ConsumerRecord<byte[], byte[]>> consume(
      String bootstrap, String topic, int atLeast, Duration timeout) {
    Map<String, Object> c = new HashMap<>(KafkaLimits.consumer());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < atLeast && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** Polls until {@code condition} holds; fails with {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not there yet (e.g. 503 while rebalancing)
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }

  /** The count of a stream, or -1 if the memory does not know it (yet). */
  public static long count(MemoryClient client, String stream) {
    if (client.status("/streams/" + MemoryClient.encode(stream)) != 200) {
      return -1;
    }
    return json(client.get("/streams/" + MemoryClient.encode(stream))).path("count").asLong();
  }

  /** Every stored sequence of a stream, following the range cursors. */
  public static List<Long> sequences(MemoryClient client, String stream) {
    List<Long> out = new ArrayList<>();
    String cursor = null;
    do {
      String path =
          "/streams/"
              + MemoryClient.encode(stream)
              + "/range?limit=1000&latents=false"
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = json(client.get(path));
      page.path("items").forEach(i -> out.add(i.path("sequence").asLong()));
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
    } while (cursor != null);
    return out;
  }
}
