package io.foresight.planner;

/**
 * A model-predictive planner in latent space: given the current latent and a goal latent, an action
 * sequence whose predicted future gets close to the goal.
 *
 * <p>Implementations hold scratch buffers and a random generator: one instance per thread (one per
 * Flink operator instance), not shared.
 *
 * <pre>{@code
 * Planner cem = CemPlanner.builder(worldModel).samples(256).horizon(8).build();
 * PlanResult plan = cem.plan(PlanRequest.of(currentLatent, goalLatent));
 * float[] now = plan.firstAction();
 * }</pre>
 */
public interface Planner {

  /** Plans; never returns null and never exceeds the action bounds. */
  PlanResult plan(PlanRequest request);

  /**
   * Plans for several requests (of different streams, say) at once; the plans come in the order of
   * the requests. A sampling planner searches them together, rolling all their samples out in one
   * batch per step ({@link Dynamics#rolloutGroups}), which costs the model less per plan than one
   * search after the other; each plan is searched as {@link #plan} would search it, from its own
   * request, with other random draws. The default plans one after the other.
   */
  default java.util.List<PlanResult> planAll(java.util.List<PlanRequest> requests) {
    java.util.List<PlanResult> out = new java.util.ArrayList<>(requests.size());
    for (PlanRequest r : requests) {
      out.add(plan(r));
    }
    return out;
  }

  /** {@code cem}, {@code mppi}, ... : what {@link PlanResult#planner()} says. */
  String name();

  /** The number of steps of a plan. */
  int horizon();

  /** The time budget of a plan whose request gives none. */
  java.time.Duration budget();
}
