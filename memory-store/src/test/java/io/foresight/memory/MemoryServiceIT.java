package io.foresight.memory;

import static io.foresight.memory.ItSupport.await;
import static io.foresight.memory.ItSupport.json;
import static io.foresight.memory.TestLatents.key;
import static io.foresight.memory.TestLatents.latentBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.memory.api.MemoryClient;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.DeadLetter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The memory service against a real (embedded) Kafka broker, in this JVM. */
class MemoryServiceIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(MemoryOptions.ProcessingGuarantee.class)
  void shouldAnswerQueriesAboutLatentsFromKafkaAndDeadLetterBadRecordsWithoutStopping(
      MemoryOptions.ProcessingGuarantee guarantee) {
    String stream = "r-" + guarantee.name().toLowerCase(java.util.Locale.ROOT);
    MemoryOptions options =
        MemoryOptions.builder()
            .set(MemoryOptions.BOOTSTRAP, KAFKA.bootstrapServers())
            .set(MemoryOptions.DIR, dir.resolve("state"))
            .set(MemoryOptions.HTTP_PORT, 0)
            .set(MemoryOptions.APPLICATION_ID, "memory-it-" + guarantee.config().replace('_', '-'))
            .set(MemoryOptions.PROCESSING_GUARANTEE, guarantee)
            .set(MemoryOptions.COMMIT_INTERVAL, Duration.ofMillis(200))
            .build();
    try (MemoryService memory = MemoryService.start(options);
        KafkaProducer<byte[], byte[]> producer = ItSupport.producer(KAFKA.bootstrapServers())) {
      assertThat(memory.awaitRunning(Duration.ofSeconds(60))).isTrue();
      MemoryClient client = MemoryClient.of(memory.url());
      assertThat(json(client.get("/health")).path("status").asText()).isEqualTo("UP");

      for (long s = 0; s < 50; s++) {
        ItSupport.send(producer, Topics.LATENTS, key(stream), latentBytes(stream, s));
      }
      ItSupport.send(producer, Topics.LATENTS, key(stream), new byte[] {0x42, 0x42});
      ItSupport.send(
          producer,
          Topics.LATENTS,
          key(stream),
          TestLatents.encode(
              TestLatents.state(
                  stream, 99, TestLatents.time(99), TestLatents.MODEL_A, new float[10])));
      for (long s = 50; s < 100; s++) {
        ItSupport.send(producer, Topics.LATENTS, key(stream), latentBytes(stream, s));
      }
      producer.flush();

      await(
          "100 latents of " + stream,
          Duration.ofSeconds(30),
          () -> ItSupport.count(client, stream) == 100);
      JsonNode latest = json(client.get("/streams/" + stream + "/latest"));
      assertThat(latest.path("sequence").asLong()).isEqualTo(99);
      assertThat(ItSupport.sequences(client, stream)).hasSize(100).doesNotHaveDuplicates();
      JsonNode near =
          json(client.get("/nearest?stream=" + stream + "&time=" + TestLatents.time(40) + "&k=3"));
      assertThat(near.path("neighbors")).hasSize(3);

      List<ConsumerRecord<byte[], byte[]>> dead =
          ItSupport.consume(KAFKA.bootstrapServers(), Topics.DEADLETTER, 4, Duration.ofSeconds(10))
              .stream()
              .filter(
                  r -> new String(r.key(), java.nio.charset.StandardCharsets.UTF_8).equals(stream))
              .toList();
      assertThat(dead).hasSize(2);
      DeadLetter d0 = AvroCodec.of(DeadLetter.class).decode(dead.get(0).value());
      DeadLetter d1 = AvroCodec.of(DeadLetter.class).decode(dead.get(1).value());
      assertThat(d0.getErrorType()).isEqualTo("UNDECODABLE_TRUNCATED_HEADER");
      assertThat(d0.getSourceTopic()).isEqualTo(Topics.LATENTS);
      assertThat(d1.getErrorType()).isEqualTo("WRONG_SIZE");
      assertThat(d1.getError()).contains("10 values").contains("64-value latents");
      assertThat(client.get("/metrics"))
          .containsPattern("foresight_memory_deadletters_total\\{reason=\"WRONG_SIZE\"\\} [1-9]");
    }
  }
}
