package io.foresight.planner;

import java.util.concurrent.TimeUnit;

/** Small pure-Java dynamics for planner tests and the planner's JMH benchmarks. */
public final class ToyDynamics extends RowDynamics {

  /** How the toy moves. */
  enum Kind {
    /** {@code z' = z + gain * a} on the first {@code actionDim} dimensions: a point mass. */
    INTEGRATOR,
    /** {@code z' = a} (zero-padded): the latent is the last action. */
    ECHO
  }

  private final Kind kind;
  private final int dim;
  private final int adim;
  private final float gain;
  private final long sleepMsPerRollout;
  int rollouts;

  ToyDynamics(Kind kind, int dim, int adim, float gain, long sleepMsPerRollout) {
    super(dim, adim);
    this.kind = kind;
    this.dim = dim;
    this.adim = adim;
    this.gain = gain;
    this.sleepMsPerRollout = sleepMsPerRollout;
  }

  static ToyDynamics integrator(int dim, float gain) {
    return integrator(dim, 2, gain);
  }

  /**
   * {@code z' = z + gain * a} on the first {@code adim} of {@code dim} dimensions, the rest copied:
   * almost free, so a plan over it measures the planner's own work.
   */
  public static ToyDynamics integrator(int dim, int adim, float gain) {
    return new ToyDynamics(Kind.INTEGRATOR, dim, adim, gain, 0);
  }

  static ToyDynamics echo() {
    return new ToyDynamics(Kind.ECHO, 2, 2, 1f, 0);
  }

  @Override
  protected void beforeRollout() {
    rollouts++;
    if (sleepMsPerRollout > 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(sleepMsPerRollout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  protected void next(float[] z, int zo, float[] a, int ao, float[] out, int oo) {
    for (int i = 0; i < dim; i++) {
      float u = i < adim ? a[ao + i] : 0f;
      out[oo + i] = kind == Kind.ECHO ? u : z[zo + i] + (i < adim ? gain * u : 0f);
    }
  }
}
