package io.foresight.planner;

import java.time.Duration;
import java.util.Objects;

/**
 * One planning problem: from a start latent to a goal latent, optionally warm-started from the
 * previous plan of the same stream, within a time budget.
 *
 * <pre>{@code
 * PlanResult r = planner.plan(PlanRequest.of(current, goal).withWarmStart(previous.actions()));
 * }</pre>
 *
 * @param start the current latent
 * @param goal the goal latent, same size as {@code start}
 * @param warmStart the previous plan ({@code [steps][actionDim]}), shifted by one step before use,
 *     or null to start cold
 * @param budget the time budget, or null for the planner's default
 */
public record PlanRequest(float[] start, float[] goal, float[][] warmStart, Duration budget) {

  public PlanRequest {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(goal, "goal");
    if (start.length != goal.length) {
      throw new PlannerException(
          "start latent has "
              + start.length
              + " floats but the goal latent has "
              + goal.length
              + "; both must come from the same encoder");
    }
    if (budget != null && (budget.isNegative() || budget.isZero())) {
      throw new PlannerException("budget must be positive, got " + budget);
    }
  }

  /** A cold-start request with the planner's default budget. */
  public static PlanRequest of(float[] start, float[] goal) {
    return new PlanRequest(start, goal, null, null);
  }

  /** This request, warm-started from a previous plan (null: cold). */
  public PlanRequest withWarmStart(float[][] previousPlan) {
    return new PlanRequest(start, goal, previousPlan, budget);
  }

  /** This request with another time budget (null: the planner's default). */
  public PlanRequest withBudget(Duration budget) {
    return new PlanRequest(start, goal, warmStart, budget);
  }

  /** This request toward another goal. */
  public PlanRequest withGoal(float[] goal) {
    return new PlanRequest(start, goal, warmStart, budget);
  }
}
