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
}
