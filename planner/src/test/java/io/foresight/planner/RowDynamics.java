package io.foresight.planner;

/**
 * Base of the pure-Java test dynamics: one latent row at a time, {@code out = f(z, a)}, with the
 * batched {@link #step} and the time-major {@link #rollout} written once.
 */
public abstract class RowDynamics implements Dynamics {
  private final int dim;
  private final int adim;

  protected RowDynamics(int dim, int adim) {
    this.dim = dim;
    this.adim = adim;
  }

  /** Writes {@code f(z[zo..], a[ao..])} to {@code out[oo..]}. */
  protected abstract void next(float[] z, int zo, float[] a, int ao, float[] out, int oo);

  /** Called once at the start of every {@link #rollout}; does nothing unless overridden. */
  protected void beforeRollout() {}

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
    beforeRollout();
    for (int t = 0; t < horizon; t++) {
      for (int b = 0; b < batch; b++) {
        float[] src = t == 0 ? start : out;
        int srcOff = t == 0 ? 0 : ((t - 1) * batch + b) * dim;
        next(src, srcOff, actions, (t * batch + b) * adim, out, (t * batch + b) * dim);
      }
    }
  }
}
