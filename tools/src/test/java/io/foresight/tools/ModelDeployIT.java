package io.foresight.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.memory.api.MemoryClient;
import io.foresight.memory.api.ModelInfo;
import io.foresight.memory.api.State;
import io.foresight.planner.ToyModel;
import io.foresight.runtime.ModelVariants;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.sim.robot.GoalSpec;
import io.foresight.sim.robot.RobotFleet;
import io.foresight.tools.demo.EmbeddedStack;
import io.foresight.tools.models.ModelsCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A model deployed into the running job without a restart: the job runs the toy model A with four
 * robots, model B (A's encoder re-exported with another doc string: a new sha256, so a new latent
 * space by name) is deployed with {@code foresight models deploy}, and the robots go on. Every
 * frame becomes exactly one latent and one prediction, each stream's model tag switches from A to B
 * exactly once, the job never restarts (its restart strategy is {@code none}: a failure would end
 * it), plans keep coming after the switch, and the memory store answers for both models.
 */
class ModelDeployIT {
  private static final int ROBOTS = 4;

  @TempDir Path dir;

  @Test
  void shouldSwitchEveryStreamToTheDeployedModelOnceWithoutLosingAFrame() throws Exception {
    Path a = ToyModel.dir();
    Path b = ModelVariants.redocumented(a, dir.resolve("model-b"), "2-redoc", "toy, re-exported");
    String shaA = ModelCard.sha256(ModelCard.load(a).file("encoder"));
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    assertThat(shaB).isNotEqualTo(shaA);
    try (EmbeddedStack stack = new EmbeddedStack(dir.resolve("stack"))) {
      stack.startBroker().startMemory(List.of());
      stack.startJob(
          Map.of(
              "encoder.model.dir", a.toString(),
              "planner.model.dir", a.toString(),
              "encoder.device", "cpu",
              "planner.device", "cpu",
              "job.checkpoint.interval", "500ms",
              "job.restart.strategy", "none"));
      stack.awaitJobReady(Duration.ofSeconds(180));
      String bootstrap = stack.bootstrapServers();
      try (RobotFleet fleet =
          RobotFleet.builder()
              .bootstrapServers(bootstrap)
              .robots(ROBOTS)
              .streamIdPrefix("deploy")
              .fps(10)
              .seed(5)
              .goal(GoalSpec.RANDOM)
              .build()) {
        fleet.open();
        fleet.start(Duration.ofSeconds(24));
        // every stream on model A first
        TopicReader.readUntil(
            bootstrap,
            Topics.LATENTS,
            l -> streams(l).size() >= ROBOTS + 1,
            Duration.ofSeconds(60));
        Thread.sleep(2000);
        int exit =
            new CommandLine(new ModelsCommand())
                .execute("deploy", b.toString(), "--bootstrap", bootstrap);
        assertThat(exit).as("models deploy exit code").isZero();
        fleet.join(Duration.ofSeconds(60));
      }

      Map<String, TreeSet<Long>> frames = sequences(readAll(bootstrap, Topics.FRAMES, -1));
      frames.remove(EmbeddedStack.WARMUP_STREAM);
      long expected = frames.values().stream().mapToLong(TreeSet::size).sum();
      List<ConsumerRecord<byte[], byte[]>> latentRecords =
          readAll(bootstrap, Topics.LATENTS, expected + 1);
      List<ConsumerRecord<byte[], byte[]>> predictionRecords =
          readAll(bootstrap, Topics.PREDICTIONS, expected + 1);

      AvroCodec<LatentState> lc = AvroCodec.of(LatentState.class);
      AvroCodec<Prediction> pc = AvroCodec.of(Prediction.class);
      Map<String, TreeMap<Long, List<String>>> latents =
          tags(latentRecords, r -> lc.decode(r.value()), l -> l.getModel().getSha256().toString());
      Map<String, TreeMap<Long, List<String>>> predictions =
          tags(
              predictionRecords,
              r -> pc.decode(r.value()),
              p -> p.getModel().getSha256().toString());
      latents.remove(EmbeddedStack.WARMUP_STREAM);
      predictions.remove(EmbeddedStack.WARMUP_STREAM);

      assertThat(frames).hasSize(ROBOTS);
      Map<String, Long> switchAt = new HashMap<>();
      for (Map.Entry<String, TreeSet<Long>> e : frames.entrySet()) {
        String s = e.getKey();
        assertThat(latents.get(s)).as("latents of %s", s).isNotNull();
        assertThat(latents.get(s).keySet())
            .as("one latent per frame of %s, none lost", s)
            .containsExactlyElementsOf(e.getValue());
        assertThat(latents.get(s).values())
            .as("no duplicated latent of %s", s)
            .allMatch(tags -> tags.size() == 1);
        assertThat(predictions.get(s).keySet())
            .as("one prediction per frame of %s", s)
            .containsExactlyElementsOf(e.getValue());
        assertThat(predictions.get(s).values()).allMatch(tags -> tags.size() == 1);
        long at = switchOnce(s, latents.get(s), shaA, shaB);
        switchAt.put(s, at);
        assertThat(switchOnce(s, predictions.get(s), shaA, shaB))
            .as("predictions of %s switch with its latents", s)
            .isEqualTo(at);
      }

      assertThat(stack.job().getJobStatus().get())
          .as("the job still runs (restart strategy none: a failure would have ended it)")
          .isEqualTo(JobStatus.RUNNING);

      AvroCodec<Plan> plc = AvroCodec.of(Plan.class);
      long plansAfter =
          readAll(bootstrap, Topics.PLANS, -1).stream()
              .map(r -> plc.decode(r.value()))
              .filter(
                  p ->
                      switchAt.containsKey(p.getStreamId().toString())
                          && p.getBasedOnSequence() >= switchAt.get(p.getStreamId().toString()))
              .count();
      assertThat(plansAfter).as("plans from latents of model B").isPositive();

      AvroCodec<DeadLetter> dc = AvroCodec.of(DeadLetter.class);
      assertThat(readAll(bootstrap, Topics.DEADLETTER, -1))
          .map(r -> dc.decode(r.value()))
          .as("no subtask refused the deployment")
          .noneMatch(d -> d.getStage().toString().startsWith("deploy"));

      MemoryClient memory = MemoryClient.of(stack.memoryUrl());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<String> stored = List.of();
      while (System.nanoTime() < deadline) {
        stored = memory.models().models().stream().map(m -> m.model().sha256()).toList();
        if (stored.contains(shaA) && stored.contains(shaB)) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(stored).as("the memory keeps both models apart").contains(shaA, shaB);
      String s = frames.keySet().iterator().next();
      State latestA = memory.latest(s, shaA, false);
      State latestB = memory.latest(s, shaB, false);
      assertThat(latestA.model().sha256()).isEqualTo(shaA);
      assertThat(latestB.model().sha256()).isEqualTo(shaB);
      assertThat(latestA.sequence()).isLessThan(switchAt.get(s));
      assertThat(latestB.sequence()).isEqualTo(frames.get(s).last());
      for (ModelInfo m : memory.models().models()) {
        assertThat(m.dim()).isEqualTo(8);
      }
    }
  }

  /** The sequence of the first latent of model B; A before it, B from it on, nothing else. */
  private static long switchOnce(
      String stream, TreeMap<Long, List<String>> bySequence, String shaA, String shaB) {
    List<String> tags = new ArrayList<>();
    long at = -1;
    for (Map.Entry<Long, List<String>> e : bySequence.entrySet()) {
      String t = e.getValue().get(0);
      if (tags.isEmpty() || !tags.get(tags.size() - 1).equals(t)) {
        tags.add(t);
        if (t.equals(shaB)) {
          at = e.getKey();
        }
      }
    }
    assertThat(tags).as("model tags of %s in sequence order", stream).containsExactly(shaA, shaB);
    return at;
  }

  private static <T> Map<String, TreeMap<Long, List<String>>> tags(
      List<ConsumerRecord<byte[], byte[]>> records,
      Function<ConsumerRecord<byte[], byte[]>, T> decode,
      Function<T, String> tag) {
    Map<String, TreeMap<Long, List<String>>> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      T v = decode.apply(r);
      long seq = v instanceof LatentState l ? l.getSequence() : ((Prediction) v).getSequence();
      out.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new TreeMap<>())
          .computeIfAbsent(seq, k -> new ArrayList<>())
          .add(tag.apply(v));
    }
    return out;
  }

  private static Map<String, TreeSet<Long>> sequences(List<ConsumerRecord<byte[], byte[]>> frames) {
    AvroCodec<io.foresight.schemas.avro.CameraFrame> c =
        AvroCodec.of(io.foresight.schemas.avro.CameraFrame.class);
    Map<String, TreeSet<Long>> out = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : frames) {
      var f = c.decode(r.value());
      out.computeIfAbsent(f.getStreamId().toString(), k -> new TreeSet<>()).add(f.getSequence());
    }
    return out;
  }

  private static java.util.Set<String> streams(List<ConsumerRecord<byte[], byte[]>> records) {
    java.util.Set<String> out = new java.util.HashSet<>();
    records.forEach(r -> out.add(new String(r.key(), StandardCharsets.UTF_8)));
    return out;
  }

  /**
   * The whole topic: until {@code atLeast} records (the job has caught up), or for 5 s without a
   * new record when {@code atLeast} is -1.
   */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, long atLeast) {
    long[] last = {System.nanoTime(), 0};
    return TopicReader.readUntil(
        bootstrap,
        topic,
        l -> {
          if (l.size() != last[1]) {
            last[1] = l.size();
            last[0] = System.nanoTime();
          }
          return atLeast > 0
              ? l.size() >= atLeast
              : System.nanoTime() - last[0] > Duration.ofSeconds(5).toNanos();
        },
        Duration.ofSeconds(atLeast > 0 ? 90 : 60));
  }
}
