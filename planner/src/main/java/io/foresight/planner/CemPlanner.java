package io.foresight.planner;

import io.foresight.planner.internal.SamplingEngine;
import io.foresight.planner.internal.TopK;

/**
 * The cross-entropy method in latent space, as in V-JEPA 2-AC and DINO-WM: sample action sequences
 * from a Gaussian, roll them out with the world model, refit the Gaussian to the elites, repeat.
 * Returns the best sequence evaluated (the mean is always among the samples).
 *
 * <pre>{@code
 * Planner cem = CemPlanner.builder(worldModel)
 *     .samples(256).elites(25).iterations(3).horizon(8)
 *     .budget(Duration.ofMillis(20))
 *     .build();
 * }</pre>
 */
public final class CemPlanner extends SamplingPlanner {

  private CemPlanner(Builder b) {
    super(
        "cem",
        new SamplingEngine(b.dynamics, b.settings(b.initialStd(), false), cemUpdate(b)),
        b.horizon);
  }

  private static SamplingEngine.Update cemUpdate(Builder b) {
    int elites = b.elites;
    float momentum = b.momentum;
    float minStd = b.minStd;
    int[] idx = new int[elites];
    float[] keys = new float[elites];
    return (samples, costs, n, mean, std) -> {
      TopK.smallest(costs, n, elites, idx, keys);
      int w = mean.length;
      double meanCost = 0;
      for (int e = 0; e < elites; e++) {
        meanCost += costs[idx[e]];
      }
      for (int j = 0; j < w; j++) {
        float m = 0f;
        for (int e = 0; e < elites; e++) {
          m += samples[idx[e] * w + j];
        }
        m /= elites;
        float v = 0f;
        for (int e = 0; e < elites; e++) {
          float d = samples[idx[e] * w + j] - m;
          v += d * d;
        }
        float sd = (float) Math.sqrt(v / elites);
        mean[j] = momentum * mean[j] + (1f - momentum) * m;
        std[j] = Math.max(minStd, momentum * std[j] + (1f - momentum) * sd);
      }
      return meanCost / elites;
    };
  }

  /** The default elites of {@code samples}: a tenth, at least 2. */
  static int defaultElites(int samples) {
    return Math.max(2, samples / 10);
  }

  /**
   * iCEM's floor under population decay: twice the elites ({@code elites} < 0: the default), so
   * that every iteration still has elites to refit to.
   */
  static int populationFloor(int samples, int elites) {
    return 2 * (elites < 0 ? defaultElites(samples) : elites);
  }

  /** A builder over a world model (or any {@link Dynamics}). */
  public static Builder builder(Dynamics dynamics) {
    return new Builder(dynamics);
  }

  /** Builds a {@link CemPlanner}; {@link #build()} validates. */
  public static final class Builder extends SamplingPlannerBuilder<Builder> {
    private int elites = -1;
    private float momentum = 0.1f;
    private float initialStdFraction = 0.5f;
    private float minStd = 0.05f;

    private Builder(Dynamics dynamics) {
      super(dynamics);
    }

    /** Elites refitted per iteration (default: a tenth of the samples, at least 2). */
    public Builder elites(int elites) {
      this.elites = elites;
      return this;
    }

    /**
     * Weight of the old distribution when refitting, in [0, 1) (default 0.1): {@code mean =
     * momentum * mean + (1 - momentum) * eliteMean}.
     */
    public Builder momentum(float momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Starting standard deviation as a fraction of each action range (default 0.5). */
    public Builder initialStd(float fractionOfRange) {
      this.initialStdFraction = fractionOfRange;
      return this;
    }

    /** The standard deviation never shrinks below this, in action units (default 0.05). */
    public Builder minStd(float minStd) {
      this.minStd = minStd;
      return this;
    }

    @Override
    int populationFloor() {
      return CemPlanner.populationFloor(samples, elites);
    }

    float[] initialStd() {
      return spread(initialStdFraction);
    }

    /** Validates and builds. */
    public CemPlanner build() {
      if (elites < 0) {
        elites = defaultElites(samples);
      }
      validate("CEM");
      check(
          elites >= 1 && elites <= samples,
          "CEM elites must be in [1, samples=" + samples + "], got " + elites);
      check(momentum >= 0f && momentum < 1f, "CEM momentum must be in [0, 1), got " + momentum);
      check(initialStdFraction > 0f, "CEM initial std must be > 0, got " + initialStdFraction);
      check(minStd >= 0f, "CEM min std must be >= 0, got " + minStd);
      return new CemPlanner(this);
    }
  }
}
