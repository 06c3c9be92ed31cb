package io.foresight.memory;

import static io.foresight.memory.ItSupport.await;
import static io.foresight.memory.TestLatents.key;
import static io.foresight.memory.TestLatents.latentBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.memory.api.MemoryClient;
import io.foresight.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the memory (SIGKILL, in a child JVM) in the middle of ingest and restarts it on the same
 * state directory: every latent that Kafka accepted must be stored exactly once. Then deletes the
 * state directory: the memory must rebuild everything from its changelog topics.
 */
class MemoryCrashRecoveryIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final int PER_STREAM = 3000;
  private static final List<String> STREAMS = List.of("r1", "r2");

  @TempDir Path dir;

  private String[] args(Path state) {
    return new String[] {
      "--bootstrap", KAFKA.bootstrapServers(),
      "--state-dir", state.toString(),
      "--http-port", "0",
      "--application-id", "memory-crash-it",
      "-o", "memory.commit.interval=300ms",
      "-o", "memory.index.exact.threshold=1000",
      "--ready-timeout", "120s"
    };
  }

  @Test
  void shouldStoreEveryAcceptedLatentExactlyOnceAcrossAKillAndRebuildFromTheChangelog()
      throws Exception {
    Path state = dir.resolve("state");
    Path log = Path.of("target", "it-logs", "memory-crash-it.log");
    try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(KAFKA.bootstrapServers())) {
      String url;
      try (MemoryProcess first = new MemoryProcess(log, args(state))) {
        url = first.awaitReady(120);
        MemoryClient client = MemoryClient.of(url);
        for (int s = 0; s < PER_STREAM; s++) {
          for (String stream : STREAMS) {
            ItSupport.send(producer, Topics.LATENTS, key(stream), latentBytes(stream, s));
          }
        }
        producer.flush();
        await(
            "ingest under way",
            Duration.ofSeconds(60),
            () -> ItSupport.count(client, "r1") > PER_STREAM / 10);
        long seen = ItSupport.count(client, "r1");
        first.kill();
        assertThat(seen).isLessThan(PER_STREAM).as("killed mid-ingest");
      }

      try (MemoryProcess second = new MemoryProcess(log, args(state))) {
        MemoryClient client = MemoryClient.of(second.awaitReady(120));
        // a producer retry or replay: the same records once more
        for (int s = 0; s < 200; s++) {
          ItSupport.send(producer, Topics.LATENTS, key("r1"), latentBytes("r1", s));
        }
        producer.flush();
        for (String stream : STREAMS) {
          await(
              "all latents of " + stream + " after the restart",
              Duration.ofSeconds(90),
              () -> ItSupport.count(client, stream) == PER_STREAM);
        }
        Thread.sleep(1000);
        for (String stream : STREAMS) {
          List<Long> seqs = ItSupport.sequences(client, stream);
          assertThat(seqs).hasSize(PER_STREAM).doesNotHaveDuplicates();
          assertThat(ItSupport.count(client, stream)).isEqualTo(PER_STREAM);
        }
        assertThat(client.get("/metrics"))
            .containsPattern("foresight_memory_duplicates_total [1-9]");
        assertThat(second.stop()).as("exit code after SIGTERM").isIn(0, 143);
      }

      try (Stream<Path> files = Files.walk(state)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      assertThat(state).doesNotExist();

      try (MemoryProcess third = new MemoryProcess(log, args(state))) {
        MemoryClient client = MemoryClient.of(third.awaitReady(120));
        for (String stream : STREAMS) {
          assertThat(ItSupport.count(client, stream)).isEqualTo(PER_STREAM);
          List<Long> seqs = ItSupport.sequences(client, stream);
          assertThat(seqs).hasSize(PER_STREAM).doesNotHaveDuplicates();
        }
        String nearest = client.get("/nearest?stream=r2&k=5");
        assertThat(ItSupport.json(nearest).path("neighbors")).hasSize(5);
        assertThat(third.stop()).as("exit code after SIGTERM").isIn(0, 143);
      }
    }
  }
}
