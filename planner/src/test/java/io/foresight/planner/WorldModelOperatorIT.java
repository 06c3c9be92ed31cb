package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.SinkFunction;
import org.apache.flink.streaming.api.functions.source.legacy.RichSourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The world-model operator on a Flink MiniCluster with the shipped predictor, overloaded: latents
 * of many streams arrive far faster than plans can be made. Every latent still gets exactly one
 * prediction, while plans stay fresh (their age bounded by a round over the streams, not by the
 * backlog) and the latents not planned for are counted.
 */
class WorldModelOperatorIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final int STREAMS = 12;
  private static final int ROUNDS = 400;
  private static final long ROUND_NANOS = 5_000_000L;

  // The MiniCluster runs in this JVM with this class loader: sinks report here.
  static final ConcurrentLinkedQueue<Prediction> PREDICTIONS = new ConcurrentLinkedQueue<>();
  static final ConcurrentLinkedQueue<Plan> PLANS = new ConcurrentLinkedQueue<>();

  @Test
  void shouldKeepPlansFreshAndPredictionsCompleteWhenLatentsOutrunThePlanner() throws Exception {
    PREDICTIONS.clear();
    PLANS.clear();
    // A deliberately expensive search (about 0.4 GFLOP per plan) on one planner thread, against
    // 2,400 latents/s: the planner can make a small fraction of the plans asked for.
    PlannerOptions options =
        PlannerOptions.builder()
            .set(PlannerOptions.SAMPLES, 256)
            .set(PlannerOptions.HORIZON, 8)
            .set(PlannerOptions.ITERATIONS, 4)
            .set(PlannerOptions.BUDGET, Duration.ofSeconds(1))
            .set(PlannerOptions.SUBGOALS_GRAPH, "none")
            .set(PlannerOptions.PLAN_THREADS, 1)
            .build();
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    SingleOutputStreamOperator<Prediction> predictions =
        WorldModelOperator.apply(
            env.addSource(new PacedLatents()).keyBy(in -> in.streamId), options);
    predictions.addSink(new CollectPredictions());
    predictions.getSideOutput(WorldModelOperator.PLANS).addSink(new CollectPlans());
    env.execute("world model under overload");

    // Completeness: one prediction per latent, per stream in order.
    Map<String, long[]> seqs =
        PREDICTIONS.stream()
            .collect(
                Collectors.groupingBy(
                    Prediction::getStreamId,
                    Collectors.collectingAndThen(
                        Collectors.toList(),
                        l -> l.stream().mapToLong(Prediction::getSequence).toArray())));
    assertThat(seqs).hasSize(STREAMS);
    long[] expected = new long[ROUNDS];
    Arrays.setAll(expected, i -> i);
    seqs.values().forEach(s -> assertThat(s).containsExactly(expected));

    // Control: far fewer plans than latents, each latent either planned for or counted as skipped.
    long skipped = PLANS.stream().mapToLong(p -> p.getStats().getSkipped()).sum();
    assertThat(PLANS.size()).isLessThan(STREAMS * ROUNDS / 2);
    assertThat(skipped).isGreaterThan(STREAMS * ROUNDS / 2);
    assertThat(PLANS.size() + skipped).isLessThanOrEqualTo((long) STREAMS * ROUNDS);
    Map<String, Long> lastBased = new HashMap<>();
    for (Plan p : PLANS) {
      Long before = lastBased.put(p.getStreamId(), p.getBasedOnSequence());
      assertThat(before == null || before < p.getBasedOnSequence())
          .as("plans of %s in order", p.getStreamId())
          .isTrue();
    }
    // Fresh: a plan's age (made minus its frame's time) stays near a round over the streams. A
    // queue of every latent would reach tens of seconds here (4,800 requests at a few ms each).
    double[] ages =
        PLANS.stream()
            .mapToDouble(p -> (p.getTimeUs() - p.getBasedOnTimeUs()) / 1000.0)
            .sorted()
            .toArray();
    double p99 = ages[(int) Math.min(ages.length - 1, Math.ceil(ages.length * 0.99) - 1)];
    assertThat(p99).as("p99 plan age in ms").isLessThan(2_000);
    assertThat(PLANS).allSatisfy(p -> assertThat(p.getBasedOnTimeUs()).isPositive());
  }

  /** Goals for every stream, then one latent per stream every 5 ms, stamped with the wall clock. */
  static final class PacedLatents extends RichSourceFunction<WorldModelInput> {
    private volatile boolean running = true;

    @Override
    public void run(SourceContext<WorldModelInput> ctx) {
      ModelCard card = ModelCard.load(ModelCard.shippedDir());
      int dim = card.latentSize();
      ModelRef ref = new ModelRef(card.name(), card.version(), "");
      Random rnd = new Random(3);
      for (int s = 0; s < STREAMS; s++) {
        ctx.collect(WorldModelInput.goal("s" + s, "g" + s, nowUs(), gaussian(rnd, dim), 0.1f, ref));
      }
      long next = System.nanoTime();
      for (int r = 0; r < ROUNDS && running; r++) {
        for (int s = 0; s < STREAMS; s++) {
          ctx.collect(WorldModelInput.latent("s" + s, r, nowUs(), gaussian(rnd, dim), ref));
        }
        next += ROUND_NANOS;
        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
      }
    }

    private static long nowUs() {
      return System.currentTimeMillis() * 1000L;
    }

    private static float[] gaussian(Random rnd, int dim) {
      float[] z = new float[dim];
      for (int i = 0; i < dim; i++) {
        z[i] = (float) rnd.nextGaussian();
      }
      return z;
    }

    @Override
    public void cancel() {
      running = false;
    }
  }

  static final class CollectPredictions implements SinkFunction<Prediction> {
    @Override
    public void invoke(Prediction value, Context context) {
      PREDICTIONS.add(value);
    }
  }

  static final class CollectPlans implements SinkFunction<Plan> {
    @Override
    public void invoke(Plan value, Context context) {
      PLANS.add(value);
    }
  }
}
