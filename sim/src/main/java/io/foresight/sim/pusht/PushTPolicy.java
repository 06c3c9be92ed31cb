package io.foresight.sim.pusht;

import io.foresight.sim.pusht.internal.PushTPolicies;
import io.foresight.sim.world.WorldPolicy;
import java.util.function.Supplier;

/**
 * The policies of the {@link PushTWorld}: scripted pushes toward a target pose (with action noise
 * for training data), a random walk with momentum for exploration, and their mix. Each is bound to
 * one world; call {@link WorldPolicy#reset} after each reset of the world.
 *
 * <pre>{@code
 * PushTWorld world = new PushTWorld(PushTConfig.DEFAULT, 7);
 * WorldPolicy push = PushTPolicy.push(world, 0.0);     // toward world.goal()
 * push.reset(new Random(7));
 * float[] a = new float[2];
 * for (int t = 0; t < 200 && !world.success(); t++) {
 *   push.act(a);
 *   world.step(a[0], a[1]);
 * }
 * }</pre>
 */
public final class PushTPolicy {
  private PushTPolicy() {}

  /**
   * Pushes the block toward the episode's goal pose ({@link PushTWorld#goal()}): walks the agent
   * around the block to stand behind the outline point whose push best reduces the position and
   * angle errors, pushes through it, slows near the goal. Gaussian action noise of standard
   * deviation {@code noise} (0 = none).
   */
  public static WorldPolicy push(PushTWorld world, double noise) {
    return new PushTPolicies.ScriptedPush(world, world::goal, noise, "push");
  }

  /** {@link #push} toward a target pose given by {@code target} (read every step). */
  public static WorldPolicy pushTo(PushTWorld world, Supplier<BlockPose> target, double noise) {
    return new PushTPolicies.ScriptedPush(world, target, noise, "push");
  }

  /** A random walk with momentum (touches the block only by chance). */
  public static WorldPolicy random(PushTWorld world) {
    return new PushTPolicies.RandomWalk(world);
  }

  /** Per episode: a push with noise with probability {@code pushFraction}, else a random walk. */
  public static WorldPolicy mixed(PushTWorld world, double pushFraction, double noise) {
    return new PushTPolicies.Mixed(world, pushFraction, noise);
  }

  /**
   * A policy by name: {@code mixed} (pushes with noise 0.3 in 70% of the episodes, random walks in
   * the others), {@code push} (no noise) or {@code random}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static WorldPolicy named(PushTWorld world, String name) {
    return PushTPolicies.named(world, name);
  }
}
