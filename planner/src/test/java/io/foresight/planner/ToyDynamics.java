package io.foresight.planner;

import java.util.concurrent.TimeUnit;

/** Small pure-Java dynamics for planner tests. */
final class ToyDynamics implements Dynamics {

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
    this.kind = kind;
    this.dim = dim;
    this.adim = adim;
    this.gain = gain;
    this.sleepMsPerRollout = sleepMsPerRollout;
  }

  static ToyDynamics integrator(int dim, float gain) {
    return new ToyDynamics(Kind.INTEGRATOR, dim, 2, gain, 0);
  }

  static ToyDynamics echo() {
    return new ToyDynamics(Kind.ECHO, 2, 2, 1f, 0);
  }

  @Override
  public int latentDim() {
    return dim;
  }

  @Override
  public int actionDim() {
    return adim;
  }

  @Override
  public int maxBatch() {
    return 4096;
  }

  @Override
  public int maxHorizon() {
    return 64;
  }

  @Override
  public void step(float[] latents, float[] actions, int batch, float[] out) {
    for (int b = 0; b < batch; b++) {
      next(latents, b * dim, actions, b * adim, out, b * dim);
    }
  }

  @Override
  public void rollout(float[] start, int batch, int horizon, float[] actions, float[] out) {
    rollouts++;
    if (sleepMsPerRollout > 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(sleepMsPerRollout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int t = 0; t < horizon; t++) {
      for (int b = 0; b < batch; b++) {
        float[] src = t == 0 ? start : out;
        int srcOff = t == 0 ? 0 : ((t - 1) * batch + b) * dim;
        next(src, srcOff, actions, (t * batch + b) * adim, out, (t * batch + b) * dim);
      }
    }
  }

  private void next(float[] z, int zo, float[] a, int ao, float[] out, int oo) {
    for (int i = 0; i < dim; i++) {
      float u = i < adim ? a[ao + i] : 0f;
      out[oo + i] = kind == Kind.ECHO ? u : z[zo + i] + (i < adim ? gain * u : 0f);
    }
  }
}
