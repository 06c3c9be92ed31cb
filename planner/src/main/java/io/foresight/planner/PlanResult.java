package io.foresight.planner;

import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.PlannerStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A planner's answer: the action sequence (execute the first row, then replan), its predicted cost
 * and how the search went.
 *
 * @param planner {@code cem} or {@code mppi} (with a {@code +subgoals} suffix when waypoints were
 *     used)
 * @param actions {@code [horizon][actionDim]}, inside the action bounds
 * @param cost the predicted cost of {@code actions} under the planner's {@link Cost}
 * @param samples action sequences evaluated in the first iteration (later ones evaluate fewer under
 *     population decay, {@code planner.samples.decay})
 * @param iterations iterations completed
 * @param elapsedMs wall time of the search in milliseconds
 * @param deadlineHit true when the time budget cut the search and the best plan found so far was
 *     returned
 * @param predicted the latents the world model predicted after each step of {@code actions} ({@code
 *     [horizon][latentDim]}), as the search rolled them out; null when the planner returns a
 *     sequence it did not roll out (a CEM or MPPI mean)
 */
public record PlanResult(
    String planner,
    float[][] actions,
    double cost,
    int samples,
    int iterations,
    double elapsedMs,
    boolean deadlineHit,
    float[][] predicted) {

  public PlanResult {
    Objects.requireNonNull(planner, "planner");
    Objects.requireNonNull(actions, "actions");
    if (actions.length == 0) {
      throw new PlannerException("a plan needs at least one step");
    }
    if (predicted != null && predicted.length != actions.length) {
      throw new PlannerException(
          "a plan of "
              + actions.length
              + " steps needs as many predicted latents, got "
              + predicted.length);
    }
  }

  /** A result without the predicted latents of its actions. */
  public PlanResult(
      String planner,
      float[][] actions,
      double cost,
      int samples,
      int iterations,
      double elapsedMs,
      boolean deadlineHit) {
    this(planner, actions, cost, samples, iterations, elapsedMs, deadlineHit, null);
  }

  /** The first action: what a controller executes now. */
  public float[] firstAction() {
    return actions[0].clone();
  }

  /** The number of steps. */
  public int horizon() {
    return actions.length;
  }

  /** This result with another planner name, for planners that wrap others. */
  public PlanResult withPlanner(String name) {
    return new PlanResult(
        name, actions, cost, samples, iterations, elapsedMs, deadlineHit, predicted);
  }

  /** This result with another elapsed time, for planners that wrap others. */
  public PlanResult withElapsedMs(double ms) {
    return new PlanResult(planner, actions, cost, samples, iterations, ms, deadlineHit, predicted);
  }

  /**
   * The wire record for {@code foresight.plans}.
   *
   * @param streamId the stream the plan is for
   * @param planId a unique id of this plan
   * @param goalId the goal it reaches for
   * @param timeUs when it was made, microseconds since the epoch
   * @param basedOnSequence the frame whose latent it starts from
   */
  public Plan toAvro(
      String streamId, String planId, String goalId, long timeUs, long basedOnSequence) {
    List<List<Float>> rows = new ArrayList<>(actions.length);
    for (float[] row : actions) {
      List<Float> r = new ArrayList<>(row.length);
      for (float v : row) {
        r.add(v);
      }
      rows.add(r);
    }
    return Plan.newBuilder()
        .setStreamId(streamId)
        .setPlanId(planId)
        .setGoalId(goalId)
        .setTimeUs(timeUs)
        .setBasedOnSequence(basedOnSequence)
        .setActions(rows)
        .setExpectedCost(cost)
        .setStats(
            PlannerStats.newBuilder()
                .setPlanner(planner)
                .setSamples(samples)
                .setIterations(iterations)
                .setElapsedMs(elapsedMs)
                .setDeadlineHit(deadlineHit)
                .build())
        .build();
  }
}
