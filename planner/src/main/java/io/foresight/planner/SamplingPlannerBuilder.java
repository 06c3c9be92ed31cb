package io.foresight.planner;

import io.foresight.planner.internal.SamplingEngine;
import java.time.Duration;
import java.util.Objects;

/**
 * The options CEM and MPPI share; see {@link CemPlanner#builder} and {@link MppiPlanner#builder}.
 */
abstract class SamplingPlannerBuilder<B extends SamplingPlannerBuilder<B>> {
  final Dynamics dynamics;
  int horizon = 5;
  int samples = 128;
  int iterations = 3;
  double samplesDecay = 1.0;
  int actionRepeat = 1;
  float[] low;
  float[] high;
  Cost cost = Cost.L2_SUM;
  Duration budget = Duration.ofMillis(50);
  boolean warmStart = true;
  long seed = 42L;

  SamplingPlannerBuilder(Dynamics dynamics) {
    this.dynamics = Objects.requireNonNull(dynamics, "dynamics");
    this.low = dynamics.actionLow().clone();
    this.high = dynamics.actionHigh().clone();
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** Steps per plan (default 5). */
  public B horizon(int horizon) {
    this.horizon = horizon;
    return self();
  }

  /** Action sequences evaluated per iteration (default 128). */
  public B samples(int samples) {
    this.samples = samples;
    return self();
  }

  /** Iterations of the search (default 3); the deadline may stop it earlier. */
  public B iterations(int iterations) {
    this.iterations = iterations;
    return self();
  }

  /**
   * Population decay (default 1: none): iteration {@code i} evaluates {@code samples / decay^i}
   * sequences, at least {@link #populationFloor()}; see {@link SamplingEngine#populations}.
   */
  public B samplesDecay(double decay) {
    this.samplesDecay = decay;
    return self();
  }

  /** The fewest sequences a decayed iteration evaluates. */
  abstract int populationFloor();

  /** The sequences each iteration evaluates, population decay applied. */
  int[] populations() {
    return SamplingEngine.populations(samples, iterations, samplesDecay, populationFloor());
  }

  /** Each sampled action is held for this many steps (default 1: none). */
  public B actionRepeat(int repeat) {
    this.actionRepeat = repeat;
    return self();
  }

  /** Action bounds per dimension (default: the model's). */
  public B actionBounds(float[] low, float[] high) {
    this.low = low.clone();
    this.high = high.clone();
    return self();
  }

  /** The cost (default L2 summed over the horizon). */
  public B cost(Cost cost) {
    this.cost = Objects.requireNonNull(cost, "cost");
    return self();
  }

  /** The time budget per plan when the request gives none (default 50 ms). */
  public B budget(Duration budget) {
    this.budget = Objects.requireNonNull(budget, "budget");
    return self();
  }

  /** Whether a request's previous plan seeds the search (default true). */
  public B warmStart(boolean warmStart) {
    this.warmStart = warmStart;
    return self();
  }

  /** Seed of the sampler (default 42): the same seed and inputs give the same plans. */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  void validate(String what) {
    check(horizon >= 1, what + " horizon must be >= 1, got " + horizon);
    check(samples >= 2, what + " samples must be >= 2, got " + samples);
    check(iterations >= 1, what + " iterations must be >= 1, got " + iterations);
    check(
        samplesDecay >= 1.0,
        what + " samples decay must be >= 1 (1 = no decay), got " + samplesDecay);
    check(
        actionRepeat >= 1 && actionRepeat <= horizon,
        what + " action repeat must be in [1, horizon=" + horizon + "], got " + actionRepeat);
    check(
        low.length == dynamics.actionDim() && high.length == dynamics.actionDim(),
        what
            + " action bounds need "
            + dynamics.actionDim()
            + " values each (the model's action size), got "
            + low.length
            + " and "
            + high.length);
    for (int i = 0; i < low.length; i++) {
      check(
          low[i] < high[i],
          what + " action bound " + i + ": low " + low[i] + " must be below high " + high[i]);
    }
    check(!budget.isNegative() && !budget.isZero(), what + " budget must be positive");
  }

  float[] spread(float fractionOfRange) {
    float[] v = new float[low.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = fractionOfRange * (high[i] - low[i]);
    }
    return v;
  }

  SamplingEngine.Settings settings(float[] std, boolean returnMean) {
    return new SamplingEngine.Settings(
        horizon,
        samples,
        iterations,
        actionRepeat,
        low.clone(),
        high.clone(),
        std,
        cost,
        budget,
        warmStart,
        returnMean,
        seed,
        populations());
  }

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new PlannerException(message);
    }
  }
}
