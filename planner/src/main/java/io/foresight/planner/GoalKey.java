package io.foresight.planner;

import java.util.Arrays;

/** A goal latent as a map key: equal when the floats are. */
record GoalKey(float[] goal) {
  @Override
  public boolean equals(Object o) {
    return o instanceof GoalKey k && Arrays.equals(goal, k.goal);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(goal);
  }
}
