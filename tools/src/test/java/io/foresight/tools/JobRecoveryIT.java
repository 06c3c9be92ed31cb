package io.foresight.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.pipeline.JobRunner;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.KafkaLimits;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.LatentState;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import io.foresight.tools.demo.EmbeddedStack;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job, in its own JVM, is killed abruptly mid-stream and started again on its checkpoint
 * directory: outputs continue, every frame has exactly one latent (read_committed), and the memory
 * store holds every latent once.
 */
class JobRecoveryIT {
  private static final int STREAMS = 2;
  private static final int PER_PHASE = 60;

  @TempDir Path dir;

  private Process startJob(String bootstrap, Path checkpoints, Path log) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            "io.foresight.tools.cli.ForesightCli",
            "job",
            "--bootstrap",
            bootstrap,
            "--checkpoint-dir",
            checkpoints.toString(),
            "--set",
            "job.checkpoint.interval=500ms",
            "--set",
            "job.group.id=recovery-it");
    return new ProcessBuilder(cmd)
        .directory(new File(System.getProperty("user.dir")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static void publish(KafkaProducer<byte[], byte[]> producer, int from, int to) {
    TwoRoomsWorld world = new TwoRoomsWorld(WorldConfig.builder().build(), 5);
    byte[] rgb = new byte[64 * 64 * 3];
    for (int seq = 0; seq < to; seq++) {
      world.step(0.5f, 0.2f);
      if (seq < from) {
        continue;
      }
      world.render(rgb);
      for (int s = 0; s < STREAMS; s++) {
        String stream = "rec-" + s;
        CameraFrame f =
            CameraFrame.newBuilder()
                .setStreamId(stream)
                .setSequence(seq)
                .setCaptureTimeUs(System.currentTimeMillis() * 1000)
                .setEncoding(FrameEncoding.RGB8)
                .setWidth(64)
                .setHeight(64)
                .setData(ByteBuffer.wrap(rgb.clone()))
                .build();
        producer.send(
            new ProducerRecord<>(
                Topics.FRAMES,
                stream.getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(CameraFrame.class).encode(f)));
      }
    }
    producer.flush();
  }

  private static Map<String, Integer> latentCounts(String bootstrap, int expected, Duration wait) {
    Map<String, Integer> counts = new HashMap<>();
    List<ConsumerRecord<byte[], byte[]>> records =
        TopicReader.readUntil(bootstrap, Topics.LATENTS, l -> l.size() >= expected, wait);
    for (ConsumerRecord<byte[], byte[]> r : records) {
      LatentState l = AvroCodec.of(LatentState.class).decode(r.value());
      counts.merge(l.getStreamId() + "#" + l.getSequence(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void shouldResumeFromTheCheckpointAfterAKillWithoutLosingOrDuplicatingLatents() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path log = dir.resolve("job.log");
    try (EmbeddedStack stack = new EmbeddedStack(dir.resolve("stack"))) {
      stack.startBroker().startMemory(List.of());
      String bootstrap = stack.bootstrapServers();
      Map<String, Object> p = new HashMap<>(KafkaLimits.producer());
      p.put("bootstrap.servers", bootstrap);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        Process job = startJob(bootstrap, checkpoints, log);
        publish(producer, 0, PER_PHASE);
        assertThat(latentCounts(bootstrap, STREAMS * PER_PHASE, Duration.ofSeconds(120)))
            .as("latents before the kill; job log: %s", log)
            .hasSize(STREAMS * PER_PHASE);
        // let at least one more checkpoint complete, then kill the JVM without any clean-up
        Thread.sleep(1500);
        assertThat(JobRunner.latestCheckpoint(checkpoints.toString())).isPresent();
        job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        publish(producer, PER_PHASE, 2 * PER_PHASE);
        Process again = startJob(bootstrap, checkpoints, log);
        try {
          Map<String, Integer> counts =
              latentCounts(bootstrap, STREAMS * 2 * PER_PHASE, Duration.ofSeconds(120));
          assertThat(counts)
              .as("a latent for every frame; job log: %s", log)
              .hasSize(STREAMS * 2 * PER_PHASE);
          assertThat(counts.values()).as("exactly once").containsOnly(1);
          assertThat(Files.readString(log)).contains("Resuming from checkpoint");
        } finally {
          again.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }

      HttpClient http = HttpClient.newHttpClient();
      Map<String, Long> stored = new HashMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Map<String, Long> expected =
          Map.of("rec-0", (long) 2 * PER_PHASE, "rec-1", (long) 2 * PER_PHASE);
      while (System.nanoTime() < deadline && !stored.equals(expected)) {
        stored.clear();
        String body =
            http.send(
                    HttpRequest.newBuilder(URI.create(stack.memoryUrl() + "/streams")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        for (JsonNode s : new ObjectMapper().readTree(body).path("streams")) {
          stored.put(s.path("stream").asText(), s.path("count").asLong());
        }
        Thread.sleep(500);
      }
      assertThat(stored).as("every latent once in the memory store").isEqualTo(expected);
    }
  }
}
