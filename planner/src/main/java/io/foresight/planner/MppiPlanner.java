package io.foresight.planner;

import io.foresight.planner.internal.SamplingEngine;

/**
 * Model-predictive path integral control in latent space, as in PLDM and TD-MPC2: perturb the
 * current mean with Gaussian noise, weight each rollout by {@code exp(-cost / temperature)}, move
 * the mean to the weighted average. Returns the final mean.
 *
 * <p>The temperature is relative: costs are divided by the iteration's spread (mean cost minus the
 * lowest) before weighting, so one temperature works whatever the scale of the latent space.
 *
 * <pre>{@code
 * Planner mppi = MppiPlanner.builder(worldModel).samples(256).temperature(0.1f).noise(0.5f).build();
 * }</pre>
 */
public final class MppiPlanner extends SamplingPlanner {

  private MppiPlanner(Builder b) {
    super(
        "mppi",
        new SamplingEngine(b.dynamics, b.settings(b.spread(b.noise), true), mppiUpdate(b)),
        b.horizon);
  }

  private static SamplingEngine.Update mppiUpdate(Builder b) {
    float temperature = b.temperature;
    float[] weights = new float[b.samples];
    return (samples, costs, n, mean, std) -> {
      float min = Float.POSITIVE_INFINITY;
      double avg = 0;
      for (int i = 0; i < n; i++) {
        min = Math.min(min, costs[i]);
        avg += costs[i];
      }
      avg /= n;
      double spread = Math.max(1e-9, avg - min);
      double total = 0;
      double expected = 0;
      for (int i = 0; i < n; i++) {
        double w = Math.exp(-(costs[i] - min) / (temperature * spread));
        weights[i] = (float) w;
        total += w;
        expected += w * costs[i];
      }
      int w = mean.length;
      for (int j = 0; j < w; j++) {
        double m = 0;
        for (int i = 0; i < n; i++) {
          m += weights[i] * samples[i * w + j];
        }
        mean[j] = (float) (m / total);
      }
      return expected / total;
    };
  }

  /** A builder over a world model (or any {@link Dynamics}). */
  public static Builder builder(Dynamics dynamics) {
    return new Builder(dynamics);
  }

  /** The floor under population decay: a quarter of the samples (MPPI weighs every sequence). */
  static int populationFloor(int samples) {
    return Math.max(2, samples / 4);
  }

  /** Builds an {@link MppiPlanner}; {@link #build()} validates. */
  public static final class Builder extends SamplingPlannerBuilder<Builder> {
    private float temperature = 0.1f;
    private float noise = 0.3f;

    private Builder(Dynamics dynamics) {
      super(dynamics);
      iterations(4);
    }

    /** Relative temperature (default 0.1): lower follows the best rollouts more greedily. */
    public Builder temperature(float temperature) {
      this.temperature = temperature;
      return this;
    }

    @Override
    int populationFloor() {
      return MppiPlanner.populationFloor(samples);
    }

    /** Standard deviation of the action noise as a fraction of each action range (default 0.3). */
    public Builder noise(float fractionOfRange) {
      this.noise = fractionOfRange;
      return this;
    }

    /** Validates and builds. */
    public MppiPlanner build() {
      validate("MPPI");
      check(temperature > 0f, "MPPI temperature must be > 0, got " + temperature);
      check(noise > 0f, "MPPI noise must be > 0, got " + noise);
      return new MppiPlanner(this);
    }
  }
}
