package io.foresight.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Examples;
import io.foresight.schemas.KafkaLimits;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {
  @TempDir Path dir;

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Map<String, Object> p = new HashMap<>(KafkaLimits.producer());
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, int expected) {
    Map<String, Object> p = new HashMap<>(KafkaLimits.consumer());
    p.put("bootstrap.servers", bootstrap);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.currentTimeMillis() + 30_000;
      while (out.size() < expected && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldCarryOneRecordOfEverySchemaAndKeepThemAcrossARestart() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).build().start();
    String bootstrap = broker.bootstrapServers();
    try {
      assertThat(TopicAdmin.createTopics(bootstrap, 1))
          .containsExactlyInAnyOrderElementsOf(Topics.ALL);
      assertThat(TopicAdmin.createTopics(bootstrap, 1)).as("idempotent").isEmpty();
      assertThatThrownBy(() -> TopicAdmin.createTopics(bootstrap, 1, (short) 1, 2))
          .as("more in-sync replicas than copies")
          .hasMessageContaining("min.insync.replicas 2 is more than the replication factor 1");
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
        for (SpecificRecord r : Examples.all()) {
          byte[] value = AvroCodec.of((Class) r.getClass()).encode(r);
          producer.send(
              new ProducerRecord<>(
                  Examples.topicOf(r), "cam-1".getBytes(StandardCharsets.UTF_8), value));
        }
        producer.flush();
      }
      assertEveryExampleReadsBack(bootstrap);
    } finally {
      broker.close();
    }

    try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
      assertThat(again.bootstrapServers()).as("same address after restart").isEqualTo(bootstrap);
      assertEveryExampleReadsBack(again.bootstrapServers());
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void assertEveryExampleReadsBack(String bootstrap) {
    for (SpecificRecord r : Examples.all()) {
      List<ConsumerRecord<byte[], byte[]>> read = readAll(bootstrap, Examples.topicOf(r), 1);
      assertThat(read).as(Examples.topicOf(r)).hasSize(1);
      assertThat(new String(read.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("cam-1");
      Object back = AvroCodec.of((Class) r.getClass()).decode(read.get(0).value());
      assertThat(back).isEqualTo(r);
    }
  }

  @Test
  void shouldCarryAnEightMebibyteFrame() {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
      TopicAdmin.createTopics(broker.bootstrapServers(), 1);
      int side = 1672; // 1672 x 1672 x 3 bytes = 8.0 MiB
      CameraFrame big =
          CameraFrame.newBuilder(Examples.cameraFrame())
              .setEncoding(FrameEncoding.RGB8)
              .setWidth(side)
              .setHeight(side)
              .setData(ByteBuffer.wrap(new byte[side * side * 3]))
              .build();
      assertThat(big.getData().remaining()).isLessThanOrEqualTo(Topics.MAX_FRAME_BYTES);
      byte[] value = AvroCodec.of(CameraFrame.class).encode(big);
      try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
        producer.send(new ProducerRecord<>(Topics.FRAMES, null, value)).get();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      List<ConsumerRecord<byte[], byte[]>> read =
          readAll(broker.bootstrapServers(), Topics.FRAMES, 1);
      assertThat(read).hasSize(1);
      assertThat(AvroCodec.of(CameraFrame.class).decode(read.get(0).value()).getWidth())
          .isEqualTo(side);
    }
  }
}
