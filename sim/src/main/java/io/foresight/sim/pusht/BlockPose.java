package io.foresight.sim.pusht;

/**
 * The pose of the Push-T block: the position of its centre of mass in pixels ({@code x} right,
 * {@code y} down) and its angle in radians. Angle 0 is an upright T (bar on top, stem pointing
 * down); a positive angle turns it clockwise on the screen. Angles are compared modulo 2 pi.
 *
 * @param x centre of mass x in pixels
 * @param y centre of mass y in pixels
 * @param angle angle in radians
 */
public record BlockPose(float x, float y, float angle) {
  public BlockPose {
    if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(angle)) {
      throw new IllegalArgumentException(
          "block pose must be finite, got (" + x + ", " + y + ", " + angle + ")");
    }
  }

  /** The distance in pixels between the two centres of mass. */
  public float distanceTo(BlockPose other) {
    return (float) Math.hypot(x - other.x, y - other.y);
  }

  /** The absolute angle between the two poses, in radians, in [0, pi]. */
  public float angleTo(BlockPose other) {
    return Math.abs(wrap(other.angle - angle));
  }

  /** The angle wrapped to (-pi, pi]. */
  public static float wrap(double angle) {
    double a = Math.IEEEremainder(angle, 2 * Math.PI);
    if (a <= -Math.PI) {
      a += 2 * Math.PI;
    }
    return (float) a;
  }
}
