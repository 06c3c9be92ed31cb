package io.foresight.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.pipeline.JobOptions;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.GoalSpec;
import io.foresight.sim.robot.RobotFleet;
import io.foresight.tools.demo.BadRecords;
import io.foresight.tools.demo.EmbeddedStack;
import io.foresight.tools.internal.KafkaClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
      List<BadCase> badCases = publishBadRecords(bootstrap);
      int bad = badCases.size();

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
      ModelCard card = ModelCard.load(ModelCard.shippedDir());
      String encoderSha256 = ModelCard.sha256(card.file("encoder"));
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
        assertThat(l.getModel().getSha256())
            .as("the latent names the encoder file it came from")
            .isEqualToIgnoringCase(encoderSha256);
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
      List<BadCase> unmatched = new ArrayList<>(badCases);
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        DeadLetter d = AvroCodec.of(DeadLetter.class).decode(r.value());
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(BadRecords.STREAM);
        BadCase c =
            unmatched.stream()
                .filter(b -> b.matches(d))
                .findFirst()
                .orElseThrow(
                    () ->
                        new AssertionError(
                            "an unexpected dead letter: "
                                + d.getSourceTopic()
                                + "@"
                                + d.getOffset()
                                + " stage "
                                + d.getStage()
                                + ": "
                                + d.getError()
                                + "; expected one of "
                                + unmatched));
        unmatched.remove(c);
        assertThat(d.getError()).as("the reason for %s", c).contains(c.reason());
        if (d.getOffset() >= 0) {
          assertThat(d.getValue())
              .as("the original bytes of %s", c)
              .isEqualTo(java.nio.ByteBuffer.wrap(c.value()));
        }
      }
      assertThat(unmatched).as("bad records without a dead letter").isEmpty();
      assertThat(dead).hasSize(bad);

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

  /**
   * A bad record and the dead letter it must produce: the stage that refuses it and a part of the
   * reason.
   *
   * @param offset the record's offset in its topic; -1 where the dead letter has none (world-model
   *     rejections come from an operator, not straight from a topic)
   */
  record BadCase(String topic, long offset, byte[] value, String stage, String reason) {
    boolean matches(DeadLetter d) {
      return d.getSourceTopic().equals(topic)
          && d.getStage().equals(stage)
          && (offset < 0 ? d.getOffset() < 0 : d.getOffset() == offset);
    }

    @Override
    public String toString() {
      return topic + "@" + offset + " (" + stage + ": " + reason + ")";
    }
  }

  /**
   * Publishes a bad record of every kind on every input topic, keyed by {@link BadRecords#STREAM},
   * and returns the dead letters each must produce (one per refusing stage: the memory store reads
   * the actions too).
   */
  private static List<BadCase> publishBadRecords(String bootstrap) throws Exception {
    String s = BadRecords.STREAM;
    long now = System.currentTimeMillis() * 1000;
    List<Object[]> records = new ArrayList<>();
    // frames (and a NaN reading): the demo's bad records, refused by decoding or the encoder
    for (Map.Entry<String, byte[]> e : BadRecords.all()) {
      records.add(new Object[] {e.getKey(), e.getValue(), "decode", ""});
    }
    records.add(
        new Object[] {
          Topics.READINGS,
          AvroCodec.of(SensorReading.class)
              .encode(
                  SensorReading.newBuilder()
                      .setStreamId(s)
                      .setSequence(1)
                      .setTimeUs(now)
                      .setKind("")
                      .setValues(List.of(1.0))
                      .build()),
          "decode",
          "the reading has no kind"
        });
    records.add(
        new Object[] {
          Topics.READINGS,
          AvroCodec.of(SensorReading.class)
              .encode(
                  SensorReading.newBuilder()
                      .setStreamId("someone-else")
                      .setSequence(1)
                      .setTimeUs(now)
                      .setKind("proprio")
                      .setValues(List.of(1.0))
                      .build()),
          "decode",
          "is not its stream id"
        });
    records.add(new Object[] {Topics.ACTIONS, action(s, now, List.of()), "decode", "no values"});
    records.add(
        new Object[] {
          Topics.ACTIONS,
          action(s, now, List.of(Float.POSITIVE_INFINITY, 0f)),
          "decode",
          "action values[0] is Infinity",
          // the memory store reads the actions too, and refuses this one as well
          "memory",
          "action value 0 is Infinity"
        });
    records.add(
        new Object[] {
          Topics.ACTIONS,
          action(s, now, List.of(0.1f, 0.2f, 0.3f, 0.4f, 0.5f)),
          "world-model",
          "action has 5 values but the world model takes 2"
        });
    records.add(
        new Object[] {
          Topics.GOALS,
          goal(s, now, Tensors.tensor(new float[] {1, 2, 3}, 3), 0.1f),
          "goal",
          "the goal latent has 3 values"
        });
    records.add(
        new Object[] {
          Topics.GOALS,
          goal(s, now, Tensors.tensor(new float[] {Float.NaN}, 1), 0.1f),
          "goal",
          "non-finite value"
        });
    records.add(
        new Object[] {
          Topics.GOALS,
          goal(s, now, Tensors.tensor(new float[] {1}, 1), -1f),
          "goal",
          "goal tolerance -1.0"
        });
    records.add(
        new Object[] {
          Topics.GOALS,
          goal(
              s,
              now,
              GoalImage.newBuilder()
                  .setEncoding(FrameEncoding.PNG)
                  .setWidth(64)
                  .setHeight(64)
                  .setData(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                  .build(),
              0.1f),
          "goal",
          ""
        });
    records.add(
        new Object[] {Topics.GOALS, "not a goal".getBytes(StandardCharsets.UTF_8), "goal", ""});
    List<BadCase> cases = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.bytesProducer(bootstrap)) {
      for (Object[] r : records) {
        String topic = (String) r[0];
        byte[] value = (byte[]) r[1];
        long offset =
            producer
                .send(new ProducerRecord<>(topic, s.getBytes(StandardCharsets.UTF_8), value))
                .get()
                .offset();
        String stage = (String) r[2];
        cases.add(
            new BadCase(
                topic, stage.equals("world-model") ? -1 : offset, value, stage, (String) r[3]));
        if (r.length > 4) {
          cases.add(new BadCase(topic, offset, value, (String) r[4], (String) r[5]));
        }
      }
    }
    return cases;
  }

  private static byte[] action(String stream, long timeUs, List<Float> values) {
    return AvroCodec.of(ActionCommand.class)
        .encode(
            ActionCommand.newBuilder()
                .setStreamId(stream)
                .setTimeUs(timeUs)
                .setValues(values)
                .setSource(ActionSource.HUMAN)
                .build());
  }

  private static byte[] goal(String stream, long timeUs, Object target, float tolerance) {
    return AvroCodec.of(Goal.class)
        .encode(
            Goal.newBuilder()
                .setStreamId(stream)
                .setGoalId("bad-goal")
                .setTimeUs(timeUs)
                .setTarget(target)
                .setTolerance(tolerance)
                .setActive(true)
                .build());
  }
}
