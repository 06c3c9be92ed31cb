package io.foresight.sim.world;

import java.util.random.RandomGenerator;

/**
 * An exploration or scripted policy bound to one {@link SimWorld}: what the simulated cameras and
 * the dataset recorder use to choose actions, whatever the world. Keeps per-episode state: call
 * {@link #reset} after each reset of the world (or to start a new leg without resetting it).
 *
 * <pre>{@code
 * WorldPolicy policy = world.policy("mixed");
 * policy.reset(new Random(7));
 * float[] a = new float[2];
 * policy.act(a);
 * world.step(a[0], a[1]);
 * }</pre>
 */
public interface WorldPolicy {
  /** Starts an episode (or a leg) in the world's current state, drawing randomness from rng. */
  void reset(RandomGenerator rng);

  /** Writes the next action (values in [-1, 1]) into {@code action}. */
  void act(float[] action);

  /** A short name for manifests and logs. */
  String name();
}
