package io.foresight.sim.robot;

import java.util.Locale;

/**
 * Where a {@link SimulatedRobot} wants to go: a fixed goal, or random goals (a new one each time
 * the last is reached or given up; Two-Rooms: half of them in the other room). A goal is where the
 * agent should be (Two-Rooms) or the block's pose (Push-T: position and angle).
 *
 * @param random true for random goals
 * @param x the fixed goal's x in pixels (ignored when random)
 * @param y the fixed goal's y in pixels (ignored when random)
 * @param angle the fixed goal's angle in radians (Push-T's block; 0 otherwise)
 */
public record GoalSpec(boolean random, float x, float y, float angle) {
  /** Random goals. */
  public static final GoalSpec RANDOM = new GoalSpec(true, Float.NaN, Float.NaN, Float.NaN);

  /** A fixed goal at (x, y), angle 0. */
  public static GoalSpec at(float x, float y) {
    return at(x, y, 0f);
  }

  /** A fixed goal at (x, y) with an angle in radians (the Push-T block's pose). */
  public static GoalSpec at(float x, float y, float angle) {
    if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(angle)) {
      throw new IllegalArgumentException(
          "goal coordinates must be finite, got " + x + "," + y + "," + angle);
    }
    return new GoalSpec(false, x, y, angle);
  }

  /** The fixed goal as a pose. */
  public io.foresight.sim.world.GoalPose pose() {
    return new io.foresight.sim.world.GoalPose(x, y, angle);
  }

  /** Parses {@code random}, {@code X,Y} (pixels) or {@code X,Y,DEGREES} (Push-T block pose). */
  public static GoalSpec parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("random")) {
      return RANDOM;
    }
    String[] parts = t.split(",");
    if (parts.length == 2 || parts.length == 3) {
      try {
        float deg = parts.length == 3 ? Float.parseFloat(parts[2].strip()) : 0f;
        return at(
            Float.parseFloat(parts[0].strip()),
            Float.parseFloat(parts[1].strip()),
            (float) Math.toRadians(deg));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(
        "goal '"
            + text
            + "' is neither 'random' nor X,Y in pixels (e.g. 48,20) nor X,Y,DEGREES (a Push-T"
            + " block pose, e.g. 32,32,45)");
  }

  @Override
  public String toString() {
    if (random) {
      return "random";
    }
    return angle == 0f ? x + "," + y : x + "," + y + "," + Math.toDegrees(angle);
  }
}
