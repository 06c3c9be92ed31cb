package io.foresight.planner;

import static io.foresight.planner.PlannerOptions.ACTION_REPEAT;
import static io.foresight.planner.PlannerOptions.ALGORITHM;
import static io.foresight.planner.PlannerOptions.BUDGET;
import static io.foresight.planner.PlannerOptions.CEM_ELITES;
import static io.foresight.planner.PlannerOptions.CEM_INITIAL_STD;
import static io.foresight.planner.PlannerOptions.CEM_MIN_STD;
import static io.foresight.planner.PlannerOptions.CEM_MOMENTUM;
import static io.foresight.planner.PlannerOptions.HORIZON;
import static io.foresight.planner.PlannerOptions.ITERATIONS;
import static io.foresight.planner.PlannerOptions.MPPI_NOISE;
import static io.foresight.planner.PlannerOptions.MPPI_TEMPERATURE;
import static io.foresight.planner.PlannerOptions.SAMPLES;
import static io.foresight.planner.PlannerOptions.SEED;
import static io.foresight.planner.PlannerOptions.SUBGOALS_ATTACH;
import static io.foresight.planner.PlannerOptions.SUBGOALS_CHECK;
import static io.foresight.planner.PlannerOptions.SUBGOALS_PROGRESS;
import static io.foresight.planner.PlannerOptions.SUBGOALS_REACH;
import static io.foresight.planner.PlannerOptions.WARM_START;

import io.foresight.planner.internal.SamplingEngine;

/**
 * Builds the planner that {@link PlannerOptions} describe: CEM or MPPI over any dynamics,
 * optionally steering through the waypoints of a landmark graph.
 *
 * <pre>{@code
 * try (WorldModel model = WorldModel.open(options)) {
 *   Planner planner = Planners.create(options, model);
 * }
 * }</pre>
 */
public final class Planners {
  private Planners() {}

  /** The planner these options describe (without subgoals), over any dynamics. */
  public static Planner create(PlannerOptions o, Dynamics dynamics) {
    if (o.get(ALGORITHM).equals("mppi")) {
      return search(MppiPlanner.builder(dynamics), o)
          .temperature(o.get(MPPI_TEMPERATURE))
          .noise(o.get(MPPI_NOISE))
          .build();
    }
    CemPlanner.Builder b =
        search(CemPlanner.builder(dynamics), o)
            .momentum(o.get(CEM_MOMENTUM))
            .initialStd(o.get(CEM_INITIAL_STD))
            .minStd(o.get(CEM_MIN_STD));
    if (o.get(CEM_ELITES) > 0) {
      b.elites(o.get(CEM_ELITES));
    }
    return b.build();
  }

  /**
   * The planner these options describe, steering through waypoints of {@code graph} (see {@link
   * SubgoalPlanner}); {@code dynamics} checks the waypoints when {@code planner.subgoals.check} is
   * on.
   */
  public static Planner create(PlannerOptions o, Dynamics dynamics, LandmarkGraph graph) {
    SubgoalPlanner.Builder b =
        SubgoalPlanner.builder(create(o, dynamics), graph)
            .attachSteps(o.get(SUBGOALS_ATTACH))
            .reachSteps(o.get(SUBGOALS_REACH));
    if (o.get(SUBGOALS_CHECK)) {
      b.checkWith(dynamics, o.get(SUBGOALS_PROGRESS), 3);
    }
    return b.build();
  }

  /**
   * The action sequences each iteration of the planner {@code o} describes evaluates, population
   * decay ({@code planner.samples.decay}) applied: what one plan asks of the predictor is a rollout
   * of {@code horizon} steps for each entry.
   */
  public static int[] populations(PlannerOptions o) {
    int samples = o.get(SAMPLES);
    int floor =
        o.get(ALGORITHM).equals("mppi")
            ? MppiPlanner.populationFloor(samples)
            : CemPlanner.populationFloor(samples, o.get(CEM_ELITES) > 0 ? o.get(CEM_ELITES) : -1);
    return SamplingEngine.populations(
        samples, o.get(ITERATIONS), o.get(PlannerOptions.SAMPLES_DECAY), floor);
  }

  /** The search settings every sampling planner shares. */
  private static <B extends SamplingPlannerBuilder<B>> B search(B b, PlannerOptions o) {
    return b.horizon(o.get(HORIZON))
        .samples(o.get(SAMPLES))
        .iterations(o.get(ITERATIONS))
        .samplesDecay(o.get(PlannerOptions.SAMPLES_DECAY))
        .actionRepeat(o.get(ACTION_REPEAT))
        .cost(o.cost())
        .budget(o.get(BUDGET))
        .warmStart(o.get(WARM_START))
        .seed(o.get(SEED));
  }
}
