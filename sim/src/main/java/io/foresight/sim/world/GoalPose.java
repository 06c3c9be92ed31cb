package io.foresight.sim.world;

/**
 * A goal of a simulated world, in pixels and radians: where the agent should be (Two-Rooms, angle
 * unused) or where the block should be and how it should be turned (Push-T).
 *
 * @param x goal x in pixels (x right)
 * @param y goal y in pixels (y down)
 * @param angle goal angle in radians (Push-T's block; 0 for worlds without one)
 */
public record GoalPose(float x, float y, float angle) {
  public GoalPose {
    if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(angle)) {
      throw new IllegalArgumentException(
          "goal pose must be finite, got (" + x + ", " + y + ", " + angle + ")");
    }
  }

  /** A goal position without an angle. */
  public static GoalPose at(float x, float y) {
    return new GoalPose(x, y, 0f);
  }

  /** The goal's position. */
  public Position position() {
    return new Position(x, y);
  }
}
