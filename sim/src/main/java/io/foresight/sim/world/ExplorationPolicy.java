package io.foresight.sim.world;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Chooses actions for exploring a {@link TwoRoomsWorld} without a goal: for recording training data
 * and for simulated cameras. A policy keeps per-episode state: call {@link #reset} after each
 * {@link TwoRoomsWorld#reset}.
 *
 * <p>A pure random walk rarely crosses the door (planners trained on such data fail between rooms),
 * so the default, {@link #mixed()}, steers a share of the episodes through the door via noisy
 * waypoints.
 *
 * <pre>{@code
 * ExplorationPolicy policy = ExplorationPolicy.mixed();
 * policy.reset(world, new Random(7));
 * float[] a = new float[2];
 * policy.act(world, a);
 * world.step(a[0], a[1]);
 * }</pre>
 */
public interface ExplorationPolicy {

  /** Starts an episode in the world's current state, drawing all randomness from {@code rng}. */
  void reset(TwoRoomsWorld world, RandomGenerator rng);

  /** Writes the next action (2 values in [-1, 1]) into {@code action}. */
  void act(TwoRoomsWorld world, float[] action);

  /** A short name for manifests and logs. */
  String name();

  /** A random walk with momentum. */
  static ExplorationPolicy randomWalk() {
    return new ExplorationPolicies.RandomWalk();
  }

  /** Steers through the door to a random point in the other room, with noise, then wanders. */
  static ExplorationPolicy throughDoor() {
    return new ExplorationPolicies.ThroughDoor();
  }

  /** Per episode: through the door with probability 0.4, else a random walk with momentum. */
  static ExplorationPolicy mixed() {
    return mixed(0.4);
  }

  /** Per episode: through the door with probability {@code doorFraction}, else a random walk. */
  static ExplorationPolicy mixed(double doorFraction) {
    return new ExplorationPolicies.Mixed(doorFraction);
  }

  /**
   * The policy with a given name: {@code mixed}, {@code random} or {@code door}.
   *
   * @throws IllegalArgumentException for any other name
   */
  static ExplorationPolicy named(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "mixed":
        return mixed();
      case "random":
        return randomWalk();
      case "door":
        return throughDoor();
      default:
        throw new IllegalArgumentException(
            "unknown exploration policy '" + name + "'; use mixed, random or door");
    }
  }
}
