package io.foresight.planner.internal;

/** Turns the previous plan into the starting mean of the next search, shifted by one step. */
public final class WarmStart {
  private WarmStart() {}

  /**
   * The decision means {@code [decisions][actionDim]} for a plan of {@code horizon} steps with each
   * decision held for {@code repeat} steps: step {@code t} of the new plan starts from step {@code
   * t + 1} of the previous one (its last step is repeated at the end), and each decision is the
   * mean of the steps it covers.
   *
   * @param previous the previous plan {@code [steps][actionDim]}, at least one step
   * @param out {@code [ceil(horizon / repeat) * actionDim]}, written
   */
  public static void shift(
      float[][] previous, int horizon, int repeat, int actionDim, float[] out) {
    int decisions = (horizon + repeat - 1) / repeat;
    int last = previous.length - 1;
    for (int k = 0; k < decisions; k++) {
      int from = k * repeat;
      int to = Math.min(horizon, from + repeat);
      for (int a = 0; a < actionDim; a++) {
        float s = 0f;
        for (int t = from; t < to; t++) {
          s += previous[Math.min(t + 1, last)][a];
        }
        out[k * actionDim + a] = s / (to - from);
      }
    }
  }
}
