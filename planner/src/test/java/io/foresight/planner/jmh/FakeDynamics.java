package io.foresight.planner.jmh;

import io.foresight.planner.Dynamics;

/**
 * A dynamics that costs almost nothing ({@code z' = z + 0.1 a} on the first action-size dimensions,
 * the rest copied), so a plan over it measures the planner's own Java work.
 */
final class FakeDynamics implements Dynamics {
  private final int dim;
  private final int adim;

  FakeDynamics(int dim, int adim) {
    this.dim = dim;
    this.adim = adim;
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
      System.arraycopy(latents, b * dim, out, b * dim, dim);
      for (int a = 0; a < adim; a++) {
        out[b * dim + a] += 0.1f * actions[b * adim + a];
      }
    }
  }

  @Override
  public void rollout(float[] start, int batch, int horizon, float[] actions, float[] out) {
    for (int b = 0; b < batch; b++) {
      System.arraycopy(start, 0, out, b * dim, dim);
    }
    for (int t = 0; t < horizon; t++) {
      int src = (t == 0 ? 0 : t - 1) * batch * dim;
      int dst = t * batch * dim;
      if (t > 0) {
        System.arraycopy(out, src, out, dst, batch * dim);
      }
      for (int b = 0; b < batch; b++) {
        for (int a = 0; a < adim; a++) {
          out[dst + b * dim + a] += 0.1f * actions[(t * batch + b) * adim + a];
        }
      }
    }
  }
}
