package io.foresight.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.pipeline.JobOptions;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.GoalSpec;
import io.foresight.sim.robot.RobotFleet;
import io.foresight.tools.demo.BadRecords;
import io.foresight.tools.demo.EmbeddedStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on the real parts: an embedded broker, the memory store in its own JVM, the job on
 * a MiniCluster with the shipped model, simulated robots in closed loop, and bad records among the
 * good ones.
 */
class ForesightJobIT {
  @TempDir Path dir;

  @Test
  void shouldTurnRobotFramesIntoLatentsPredictionsAndPlansAndDeadLetterTheBadOnes()
      throws Exception {
    try (EmbeddedStack stack = new EmbeddedStack(dir)) {
      stack.startBroker().startMemory(List.of());
      stack.startJob(Map.of(JobOptions.CHECKPOINT_INTERVAL.key(), "500ms"));
      stack.awaitJobReady(Duration.ofSeconds(180));
      String bootstrap = stack.bootstrapServers();
      int bad = BadRecords.publish(bootstrap);

      FleetStats stats;
      try (RobotFleet fleet =
          RobotFleet.builder()
              .bootstrapServers(bootstrap)
              .robots(2)
              .streamIdPrefix("it-robot")
              .fps(10)
              .seed(11)
              .goal(GoalSpec.RANDOM)
              .build()) {
        fleet.open();
        fleet.run(Duration.ofSeconds(30));
        stats = fleet.stats();
      }

      // every good frame: exactly one latent and one prediction
      Set<String> frames = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r :
          TopicReader.readUntil(bootstrap, Topics.FRAMES, l -> false, Duration.ofSeconds(3))) {
        if (new String(r.key(), StandardCharsets.UTF_8).startsWith("it-robot")) {
          CameraFrame f = AvroCodec.of(CameraFrame.class).decode(r.value());
          frames.add(f.getStreamId() + "#" + f.getSequence());
        }
      }
      assertThat(frames).hasSizeGreaterThan(400);
      List<ConsumerRecord<byte[], byte[]>> latents =
          TopicReader.readUntil(
              bootstrap, Topics.LATENTS, l -> l.size() > frames.size(), Duration.ofSeconds(60));
      Map<String, Integer> latentCounts = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : latents) {
        LatentState l = AvroCodec.of(LatentState.class).decode(r.value());
        if (!l.getStreamId().startsWith("it-robot")) {
          continue;
        }
        latentCounts.merge(l.getStreamId() + "#" + l.getSequence(), 1, Integer::sum);
        assertThat(l.getModel().getSha256()).hasSize(64);
      }
      assertThat(latentCounts.keySet()).as("a latent for every frame").isEqualTo(frames);
      assertThat(latentCounts.values()).as("no duplicates").containsOnly(1);

      List<ConsumerRecord<byte[], byte[]>> predictions =
          TopicReader.readUntil(
              bootstrap,
              Topics.PREDICTIONS,
              l -> l.size() >= frames.size(),
              Duration.ofSeconds(30));
      Set<String> predicted = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : predictions) {
        Prediction p = AvroCodec.of(Prediction.class).decode(r.value());
        if (!p.getStreamId().startsWith("it-robot")) {
          continue;
        }
        predicted.add(p.getStreamId() + "#" + p.getSequence());
      }
      assertThat(predicted).as("a prediction for every latent").isEqualTo(frames);

      List<ConsumerRecord<byte[], byte[]>> plans =
          TopicReader.readUntil(
              bootstrap, Topics.PLANS, l -> l.size() > 50, Duration.ofSeconds(10));
      assertThat(plans).hasSizeGreaterThan(50);
      Plan plan = AvroCodec.of(Plan.class).decode(plans.get(plans.size() - 1).value());
      assertThat(plan.getActions()).isNotEmpty();
      for (List<Float> row : plan.getActions()) {
        assertThat(row).allSatisfy(v -> assertThat(v).isBetween(-1f, 1f));
      }
      assertThat(stats.plannedSteps()).as("robots executed planned actions").isGreaterThan(100);
      assertThat(stats.goalsReached()).as("a robot reached its goal").isGreaterThanOrEqualTo(1);

      // every bad record, and nothing else, in dead letters, with its reason
      List<ConsumerRecord<byte[], byte[]>> dead =
          TopicReader.readUntil(
              bootstrap, Topics.DEADLETTER, l -> l.size() >= bad, Duration.ofSeconds(30));
      assertThat(dead).hasSize(bad);
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        DeadLetter d = AvroCodec.of(DeadLetter.class).decode(r.value());
        assertThat(d.getError()).isNotBlank();
        assertThat(d.getSourceTopic()).isIn(Topics.FRAMES, Topics.READINGS);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(BadRecords.STREAM);
      }

      // the memory store holds every latent once
      Map<String, Long> perStream = new HashMap<>();
      frames.forEach(f -> perStream.merge(f.substring(0, f.indexOf('#')), 1L, Long::sum));
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Map<String, Long> stored = new HashMap<>();
      while (System.nanoTime() < deadline && !stored.equals(perStream)) {
        stored.clear();
        String body =
            http.send(
                    HttpRequest.newBuilder(URI.create(stack.memoryUrl() + "/streams")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        for (JsonNode s : new ObjectMapper().readTree(body).path("streams")) {
          if (s.path("stream").asText().startsWith("it-robot")) {
            stored.put(s.path("stream").asText(), s.path("count").asLong());
          }
        }
        Thread.sleep(500);
      }
      assertThat(stored).as("latents in memory per stream").isEqualTo(perStream);
    }
  }
}
