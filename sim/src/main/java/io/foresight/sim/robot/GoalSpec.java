package io.foresight.sim.robot;

import java.util.Locale;

/**
 * Where a {@link SimulatedRobot} wants to go: a fixed point, or random points (a new one each time
 * the last is reached or given up), half of them in the other room.
 *
 * @param random true for random goals
 * @param x the fixed goal's x in pixels (ignored when random)
 * @param y the fixed goal's y in pixels (ignored when random)
 */
public record GoalSpec(boolean random, float x, float y) {
  /** Random goals. */
  public static final GoalSpec RANDOM = new GoalSpec(true, Float.NaN, Float.NaN);

  /** A fixed goal at (x, y). */
  public static GoalSpec at(float x, float y) {
    if (!Float.isFinite(x) || !Float.isFinite(y)) {
      throw new IllegalArgumentException("goal coordinates must be finite, got " + x + "," + y);
    }
    return new GoalSpec(false, x, y);
  }

  /** Parses {@code random} or {@code X,Y} (pixels). */
  public static GoalSpec parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("random")) {
      return RANDOM;
    }
    String[] parts = t.split(",");
    if (parts.length == 2) {
      try {
        return at(Float.parseFloat(parts[0].strip()), Float.parseFloat(parts[1].strip()));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(
        "goal '" + text + "' is neither 'random' nor X,Y in pixels (e.g. 48,20)");
  }

  @Override
  public String toString() {
    return random ? "random" : x + "," + y;
  }
}
