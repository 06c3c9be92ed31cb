package io.foresight.sim.world;

/**
 * A point in the world, in pixels: {@code x} grows to the right, {@code y} downwards; pixel column
 * {@code c} covers {@code [c, c+1)}.
 */
public record Position(float x, float y) {
  public Position {
    if (!Float.isFinite(x) || !Float.isFinite(y)) {
      throw new IllegalArgumentException("position must be finite, got (" + x + ", " + y + ")");
    }
  }

  /** Euclidean distance to another position, in pixels. */
  public float distanceTo(Position other) {
    return (float) Math.hypot(x - other.x, y - other.y);
  }

  /** Euclidean distance to a point, in pixels. */
  public float distanceTo(float ox, float oy) {
    return (float) Math.hypot(x - ox, y - oy);
  }
}
