package io.foresight.planner;

/**
 * An action-conditioned latent dynamics model {@code z' = f(z, a)}: what planners roll out. {@link
 * WorldModel} is the ONNX implementation; tests use small pure-Java ones.
 *
 * <p>Arrays are flat and row-major. Implementations need not be thread-safe.
 */
public interface Dynamics {

  /** The number of floats in one latent. */
  int latentDim();

  /** The number of floats in one action. */
  int actionDim();

  /** The largest batch one call accepts. */
  int maxBatch();

  /** The longest horizon {@link #rollout} accepts. */
  int maxHorizon();

  /** The smallest value of each action dimension; {@code -1} unless the model says otherwise. */
  default float[] actionLow() {
    float[] v = new float[actionDim()];
    java.util.Arrays.fill(v, -1f);
    return v;
  }

  /** The largest value of each action dimension; {@code 1} unless the model says otherwise. */
  default float[] actionHigh() {
    float[] v = new float[actionDim()];
    java.util.Arrays.fill(v, 1f);
    return v;
  }

  /**
   * One step for a batch: {@code out[b] = f(latents[b], actions[b])}.
   *
   * @param latents {@code [batch][latentDim]}
   * @param actions {@code [batch][actionDim]}
   * @param batch the number of rows to use
   * @param out {@code [batch][latentDim]}, written
   */
  void step(float[] latents, float[] actions, int batch, float[] out);

  /**
   * Rolls {@code batch} action sequences of {@code horizon} steps out from one start latent.
   *
   * @param start the start latent, {@code [latentDim]}
   * @param batch the number of sequences
   * @param horizon the number of steps
   * @param actions time-major {@code [horizon][batch][actionDim]}
   * @param out time-major {@code [horizon][batch][latentDim]}: the latent after each step, written
   */
  void rollout(float[] start, int batch, int horizon, float[] actions, float[] out);

  /**
   * Rolls out several searches' sequences in one batch: rows {@code [g * batch / groups, (g + 1) *
   * batch / groups)} start from latent {@code g} of {@code starts}. A batching planner runs the
   * searches of several requests through this, one model call per step for all of them. The default
   * steps through {@link #step}; {@link WorldModel} fills its input buffer directly.
   *
   * @param starts the start latents, {@code [groups][latentDim]}
   * @param groups how many start latents; divides {@code batch}
   * @param batch the number of sequences in all
   * @param horizon the number of steps
   * @param actions time-major {@code [horizon][batch][actionDim]}
   * @param out time-major {@code [horizon][batch][latentDim]}: the latent after each step, written
   */
  default void rolloutGroups(
      float[] starts, int groups, int batch, int horizon, float[] actions, float[] out) {
    int dim = latentDim();
    int adim = actionDim();
    checkGroups(starts, groups, batch, dim);
    if (groups == 1) {
      rollout(
          starts.length == dim ? starts : java.util.Arrays.copyOf(starts, dim),
          batch,
          horizon,
          actions,
          out);
      return;
    }
    int per = batch / groups;
    float[] z = new float[batch * dim];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(starts, (b / per) * dim, z, b * dim, dim);
    }
    float[] a = new float[batch * adim];
    float[] next = new float[batch * dim];
    for (int t = 0; t < horizon; t++) {
      System.arraycopy(actions, t * batch * adim, a, 0, batch * adim);
      step(z, a, batch, next);
      System.arraycopy(next, 0, out, t * batch * dim, batch * dim);
      float[] swap = z;
      z = next;
      next = swap;
    }
  }

  /** Checks the arguments of {@link #rolloutGroups}. */
  static void checkGroups(float[] starts, int groups, int batch, int dim) {
    if (groups < 1 || batch % groups != 0) {
      throw new PlannerException(
          groups + " groups do not divide a batch of " + batch + " sequences evenly");
    }
    if (starts.length < groups * dim) {
      throw new PlannerException(
          "start latents have "
              + starts.length
              + " floats; "
              + groups
              + " starts of the world model's "
              + dim
              + " need "
              + groups * dim);
    }
  }
}
