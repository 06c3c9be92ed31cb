package io.foresight.planner;

import io.foresight.planner.internal.SamplingEngine;
import java.time.Duration;
import java.util.List;

/**
 * What the sampling planners share: one {@link SamplingEngine} run per request (sampling, batched
 * rollouts, costs, warm start, deadline); CEM and MPPI differ only in how they refit the sampling
 * distribution.
 */
abstract class SamplingPlanner implements Planner {
  private final String name;
  private final SamplingEngine engine;
  private final int horizon;

  SamplingPlanner(String name, SamplingEngine engine, int horizon) {
    this.name = name;
    this.engine = engine;
    this.horizon = horizon;
  }

  @Override
  public PlanResult plan(PlanRequest request) {
    return engine.run(request, name);
  }

  @Override
  public List<PlanResult> planAll(List<PlanRequest> requests) {
    return engine.runAll(requests, name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int horizon() {
    return horizon;
  }

  @Override
  public Duration budget() {
    return engine.budget();
  }
}
