package io.foresight.memory;

import static io.foresight.memory.ItSupport.await;
import static io.foresight.memory.ItSupport.json;
import static io.foresight.memory.TestLatents.key;
import static io.foresight.memory.TestLatents.latent;
import static io.foresight.memory.TestLatents.latentBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.memory.api.MemoryClient;
import io.foresight.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two memory instances share three partitions; each answers for every stream. */
class MultiInstanceIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(3);
  private static final List<String> STREAMS = List.of("a", "b", "c", "d", "e", "f", "g", "h");

  @TempDir Path dir;

  private MemoryOptions options(String name) {
    return MemoryOptions.builder()
        .set(MemoryOptions.BOOTSTRAP, KAFKA.bootstrapServers())
        .set(MemoryOptions.DIR, dir.resolve(name))
        .set(MemoryOptions.HTTP_PORT, 0)
        .set(MemoryOptions.APPLICATION_ID, "memory-multi-it")
        .set(MemoryOptions.COMMIT_INTERVAL, Duration.ofMillis(200))
        .build();
  }

  @Test
  void shouldAnswerForEveryStreamOnEveryInstance() {
    try (MemoryService one = MemoryService.start(options("one"));
        MemoryService two = MemoryService.start(options("two"));
        KafkaProducer<byte[], byte[]> producer = ItSupport.producer(KAFKA.bootstrapServers())) {
      for (String s : STREAMS) {
        for (long q = 0; q < 20; q++) {
          ItSupport.send(producer, Topics.LATENTS, key(s), latentBytes(s, q));
        }
      }
      producer.flush();
      List<MemoryClient> clients = List.of(MemoryClient.of(one.url()), MemoryClient.of(two.url()));
      await(
          "both instances running with all streams",
          Duration.ofSeconds(90),
          () ->
              one.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                  && two.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                  && clients.stream()
                      .allMatch(
                          c -> json(c.get("/streams")).path("streams").size() == STREAMS.size())
                  && clients.stream()
                      .allMatch(c -> STREAMS.stream().allMatch(s -> ItSupport.count(c, s) == 20)));
      Set<String> localOne = localStreams(clients.get(0));
      Set<String> localTwo = localStreams(clients.get(1));
      assertThat(localOne).isNotEmpty();
      assertThat(localTwo).isNotEmpty();
      assertThat(localOne).doesNotContainAnyElementsOf(localTwo);

      for (MemoryClient c : clients) {
        for (String s : STREAMS) {
          assertThat(json(c.get("/streams/" + s + "/latest")).path("sequence").asLong())
              .isEqualTo(19);
          assertThat(ItSupport.sequences(c, s)).hasSize(20);
        }
        // the latent of a stream that lives on one instance, searched from both
        for (String s : List.of(localOne.iterator().next(), localTwo.iterator().next())) {
          StringBuilder body = new StringBuilder("{\"k\": 1, \"latent\": [");
          float[] v = latent(s, 7, 64);
          for (int i = 0; i < v.length; i++) {
            body.append(i == 0 ? "" : ",").append(v[i]);
          }
          JsonNode n = json(c.post("/nearest", body.append("]}").toString()));
          assertThat(n.path("neighbors").get(0).path("stream").asText()).isEqualTo(s);
          assertThat(n.path("neighbors").get(0).path("sequence").asLong()).isEqualTo(7);
        }
        JsonNode lm = json(c.get("/landmarks?k=5&latents=false"));
        long members = 0;
        for (JsonNode l : lm.path("landmarks")) {
          members += l.path("members").asLong();
        }
        assertThat(members).isEqualTo(20L * STREAMS.size());
        assertThat(json(c.get("/models")).path("models").get(0).path("count").asLong())
            .isEqualTo(20L * STREAMS.size());
      }
    }
  }

  private static Set<String> localStreams(MemoryClient c) {
    Set<String> out = new HashSet<>();
    json(c.get("/streams?local=true"))
        .path("streams")
        .forEach(s -> out.add(s.path("stream").asText()));
    return out;
  }
}
