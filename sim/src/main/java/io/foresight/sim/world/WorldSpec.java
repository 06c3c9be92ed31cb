package io.foresight.sim.world;

/**
 * The configuration of a kind of simulated world, and the factory of its worlds: what the simulated
 * cameras, robots and dataset recorder take so that they work on any world. Implemented by {@link
 * WorldConfig} (Two-Rooms) and {@code PushTConfig} (Push-T).
 *
 * <pre>{@code
 * WorldSpec spec = WorldConfig.DEFAULT;
 * SimWorld world = spec.newWorld(42);
 * }</pre>
 */
public interface WorldSpec {
  /** The world's name on the command line and in manifests: {@code tworooms} or {@code pusht}. */
  String worldName();

  /** Image width in pixels. */
  int width();

  /** Image height in pixels. */
  int height();

  /** The number of bytes of one RGB8 frame: {@code width * height * 3}. */
  default int frameBytes() {
    return width() * height() * 3;
  }

  /** The names of the world's exploration policies; the first is the default. */
  java.util.List<String> policyNames();

  /**
   * Refuses a policy name this world does not have.
   *
   * @throws IllegalArgumentException naming the policies there are
   */
  void requirePolicy(String name);

  /** A new world of this configuration, reset with {@code seed}. */
  SimWorld newWorld(long seed);
}
