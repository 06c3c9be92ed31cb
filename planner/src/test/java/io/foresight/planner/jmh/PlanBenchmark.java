package io.foresight.planner.jmh;

import io.foresight.planner.Cost;
import io.foresight.planner.LandmarkGraph;
import io.foresight.planner.PlanRequest;
import io.foresight.planner.PlanResult;
import io.foresight.planner.Planner;
import io.foresight.planner.PlannerOptions;
import io.foresight.planner.Planners;
import io.foresight.planner.ToyDynamics;
import io.foresight.planner.WorldModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole plans at the settings of 0.1 (CEM 128 x 5 x 3, L2 summed, subgoals through the shipped
 * graph with the world-model check), with a fake dynamics (the planner's Java work alone) and with
 * the shipped world model, beside the predictor's own time for one plan ({@link #predictorPerPlan}:
 * the three batched rollouts a plan makes) and the graph queries. Uses only public APIs, so the
 * same class measures an older build when that build's classes come first on the classpath.
 *
 * <p>Run from the repository root (the shipped model is found under {@code models/two-rooms}); see
 * docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlanBenchmark {
  private static final int STARTS = 64;

  private WorldModel model;
  private ToyDynamics fake;
  private Planner cemFake;
  private Planner cemModel;
  private Planner subgoals;
  private LandmarkGraph graph;
  private float[][] offGraph;
  private LandmarkGraph.CostToGo toGo;
  private float[][] starts;
  private float[] goal;
  private float[][] manyGoals;
  private float[][] manyStarts;
  private int nextGoal;
  private float[] rolloutActions;
  private float[] rolloutOut;
  private final float[] costs = new float[128];
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    Path dir = Path.of(System.getProperty("bench.model", "models/two-rooms"));
    PlannerOptions options =
        PlannerOptions.fromMap(Map.of("planner.model.dir", dir.toString(), "planner.threads", "1"));
    model = WorldModel.open(options);
    graph = LandmarkGraph.load(dir.resolve("landmarks.bin"));
    fake = ToyDynamics.integrator(model.latentDim(), model.actionDim(), 0.1f);
    cemFake = Planners.create(options, fake);
    cemModel = Planners.create(options, model);
    subgoals = Planners.create(options, model, graph);
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    goal = graph.node(r.nextInt(graph.size()));
    toGo = graph.costToGo(goal, 1.5f, 3);
    // Starts with a way to the goal (the same door: the graph has one component per door height),
    // as in a real episode; a start behind another door makes every waypoint fail the check.
    starts = new float[STARTS][];
    for (int i = 0; i < STARTS; ) {
      int n = r.nextInt(graph.size());
      if (Float.isFinite(toGo.cost()[n])) {
        starts[i++] = graph.node(n);
      }
    }
    // The same starts moved 3 step scales off the graph in a random direction: no node within the
    // attach radius, as for a latent of a place the graph has not seen.
    offGraph = new float[STARTS][];
    for (int i = 0; i < STARTS; i++) {
      float[] d = new float[starts[i].length];
      double norm = 0;
      for (int j = 0; j < d.length; j++) {
        d[j] = (float) r.nextGaussian();
        norm += d[j] * d[j];
      }
      offGraph[i] = starts[i].clone();
      for (int j = 0; j < d.length; j++) {
        offGraph[i][j] += (float) (3 * graph.stepScale() * d[j] / Math.sqrt(norm));
      }
    }
    // 128 streams with a goal each, as 128 robots: more goals than a planner thread kept before.
    manyGoals = new float[128][];
    manyStarts = new float[128][];
    for (int g = 0; g < manyGoals.length; g++) {
      float[] gl = graph.node(r.nextInt(graph.size()));
      LandmarkGraph.CostToGo c = graph.costToGo(gl, 1.5f, 3);
      int s;
      do {
        s = r.nextInt(graph.size());
      } while (!Float.isFinite(c.cost()[s]));
      manyGoals[g] = gl;
      manyStarts[g] = graph.node(s);
    }
    int n = 512;
    int h = 5;
    rolloutActions = new float[h * n * model.actionDim()];
    for (int i = 0; i < rolloutActions.length; i++) {
      rolloutActions[i] = (float) (r.nextDouble() * 2 - 1);
    }
    rolloutOut = new float[h * n * model.latentDim()];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    model.close();
  }

  private float[] start() {
    next = (next + 1) % STARTS;
    return starts[next];
  }

  /** One CEM plan over the fake dynamics: the Java work around the predictor. */
  @Benchmark
  public PlanResult cemFake() {
    return cemFake.plan(PlanRequest.of(start(), goal));
  }

  /** One CEM plan over the shipped world model. */
  @Benchmark
  public PlanResult cemModel() {
    return cemModel.plan(PlanRequest.of(start(), goal));
  }

  /** One plan of the shipped planner (subgoals, waypoint check) over the shipped model. */
  @Benchmark
  public PlanResult subgoalModel() {
    return subgoals.plan(PlanRequest.of(start(), goal));
  }

  /**
   * One plan of the shipped planner for the next of 128 streams in turn, each with its own goal
   * (the job's pattern with 128 robots on one planner thread).
   */
  @Benchmark
  public PlanResult subgoalModel128Goals() {
    nextGoal = (nextGoal + 1) % manyGoals.length;
    return subgoals.plan(PlanRequest.of(manyStarts[nextGoal], manyGoals[nextGoal]));
  }

  /** The fake dynamics alone for one plan (to subtract from {@link #cemFake}). */
  @Benchmark
  public float[] fakePerPlan() {
    float[] s = start();
    for (int it = 0; it < 3; it++) {
      fake.rollout(s, 128, 5, rolloutActions, rolloutOut);
    }
    return rolloutOut;
  }

  /** The predictor alone for one plan: three rollouts of 128 sequences x 5 steps. */
  @Benchmark
  public float[] predictorPerPlan() {
    float[] s = start();
    for (int it = 0; it < 3; it++) {
      model.rollout(s, 128, 5, rolloutActions, rolloutOut);
    }
    return rolloutOut;
  }

  /** One rollout of 64 sequences x 5 steps (one CEM iteration at the default samples). */
  @Benchmark
  public float[] rollout64() {
    model.rollout(start(), 64, 5, rolloutActions, rolloutOut);
    return rolloutOut;
  }

  /** One rollout of 256 sequences x 5 steps (four plans' iterations in one batch). */
  @Benchmark
  public float[] rollout256() {
    model.rollout(start(), 256, 5, rolloutActions, rolloutOut);
    return rolloutOut;
  }

  /** One rollout of 512 sequences x 5 steps (eight plans' iterations in one batch). */
  @Benchmark
  public float[] rollout512() {
    model.rollout(start(), 512, 5, rolloutActions, rolloutOut);
    return rolloutOut;
  }

  /** The next waypoint toward a goal whose cost-to-go is known (every plan does this). */
  @Benchmark
  public LandmarkGraph.Waypoint waypoint() {
    return graph.waypoint(start(), toGo, 1.5f, 3f);
  }

  /** The same from a latent 3 step scales off the graph (it enters at the nearest node). */
  @Benchmark
  public LandmarkGraph.Waypoint waypointOffGraph() {
    next = (next + 1) % STARTS;
    return graph.waypoint(offGraph[next], toGo, 1.5f, 3f);
  }

  /** A new goal's cost-to-go (Dijkstra over the shipped graph; once per goal, again per retry). */
  @Benchmark
  public LandmarkGraph.CostToGo costToGo() {
    return graph.costToGo(start(), 1.5f, 3);
  }

  /** The cost of one plan's three evaluations, kept here so the fake plan can be split. */
  @Benchmark
  public float[] costEvaluate() {
    for (int it = 0; it < 3; it++) {
      Cost.L2_SUM.evaluate(rolloutOut, 128, 5, model.latentDim(), goal, costs);
    }
    return costs;
  }
}
