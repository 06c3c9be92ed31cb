package io.foresight.tools.eval;

import io.foresight.sim.dataset.DatasetRecorder;
import io.foresight.sim.pusht.BlockPose;
import io.foresight.sim.pusht.PushTWorld;
import io.foresight.sim.world.ExplorationPolicy;
import io.foresight.sim.world.SimWorld;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldPolicy;
import io.foresight.sim.world.WorldSpec;
import java.util.Objects;
import java.util.Random;

/**
 * Episodes of a simulated world (Two-Rooms or Push-T) generated in memory for evaluating a world
 * model: RGB8 frames, the actions taken, the agent's positions, the violation labels and, in
 * Push-T, the block's pose per frame.
 *
 * <p>Episode {@code e} of seed {@code s} is the same episode that {@code foresight dataset record
 * --seed s} writes as episode {@code e} (same episode seed, same exploration policy), so a Python
 * evaluation of a recorded dataset and a Java evaluation of the same seed see the same frames.
 *
 * <pre>{@code
 * EvalEpisodes eps = EvalEpisodes.generate(WorldConfig.DEFAULT, 1001, 200, 40, "mixed");
 * byte[] frames = eps.frames(0); // 40 frames of 64x64x3, back to back
 * EvalEpisodes pt = EvalEpisodes.generate(PushTConfig.DEFAULT, 1001, 200, 100, "mixed");
 * float[] block = pt.blocks(0); // x, y, angle per frame
 * }</pre>
 */
public final class EvalEpisodes {
  private final WorldSpec config;
  private final long seed;
  private final int steps;
  private final byte[][] frames;
  private final float[][] actions;
  private final float[][] positions;
  private final byte[][] labels;
  private final float[][] blocks;
  private byte[] scratch;

  private EvalEpisodes(WorldSpec config, long seed, int episodes, int steps) {
    this.config = config;
    this.seed = seed;
    this.steps = steps;
    this.frames = new byte[episodes][steps * config.frameBytes()];
    this.actions = new float[episodes][steps * 2];
    this.positions = new float[episodes][steps * 2];
    this.labels = new byte[episodes][steps];
    this.blocks = config instanceof WorldConfig ? null : new float[episodes][steps * 3];
  }

  /**
   * Generates episodes driven by one of the world's exploration policies (Two-Rooms: {@code mixed},
   * {@code random} or {@code door}; Push-T: {@code mixed}, {@code push} or {@code random}), as
   * {@code foresight dataset record} does.
   */
  public static EvalEpisodes generate(
      WorldSpec spec, long seed, int episodes, int steps, String policy) {
    check(episodes, steps);
    if (!(Objects.requireNonNull(spec, "spec") instanceof WorldConfig config)) {
      return generateAny(spec, seed, episodes, steps, policy);
    }
    EvalEpisodes out =
        new EvalEpisodes(Objects.requireNonNull(config, "config"), seed, episodes, steps);
    TwoRoomsWorld world = new TwoRoomsWorld(config);
    ExplorationPolicy p = ExplorationPolicy.named(policy);
    float[] action = new float[2];
    for (int e = 0; e < episodes; e++) {
      long es = DatasetRecorder.episodeSeed(seed, e);
      world.reset(es);
      p.reset(world, new Random(~es));
      for (int t = 0; t < steps; t++) {
        if (t > 0) {
          world.step(action[0], action[1]);
        }
        out.capture(world, e, t);
        p.act(world, action);
        out.actions[e][2 * t] = action[0];
        out.actions[e][2 * t + 1] = action[1];
      }
    }
    return out;
  }

  /** Any world but Two-Rooms: its own policies, as the dataset recorder runs them. */
  private static EvalEpisodes generateAny(
      WorldSpec spec, long seed, int episodes, int steps, String policy) {
    spec.requirePolicy(policy);
    EvalEpisodes out = new EvalEpisodes(spec, seed, episodes, steps);
    SimWorld world = spec.newWorld(DatasetRecorder.episodeSeed(seed, 0));
    WorldPolicy p = world.policy(policy);
    float[] action = new float[2];
    for (int e = 0; e < episodes; e++) {
      long es = DatasetRecorder.episodeSeed(seed, e);
      world.reset(es);
      p.reset(new Random(~es));
      for (int t = 0; t < steps; t++) {
        if (t > 0) {
          world.step(action[0], action[1]);
        }
        out.capture(world, e, t);
        p.act(action);
        out.actions[e][2 * t] = action[0];
        out.actions[e][2 * t + 1] = action[1];
      }
    }
    return out;
  }

  /**
   * Replays the actions of {@code source} in a world with {@code config} from the same episode
   * seeds: with a violation-free config this gives each violated episode's clean twin (same door or
   * block, same start, same actions).
   */
  public static EvalEpisodes replay(WorldSpec config, EvalEpisodes source) {
    EvalEpisodes out =
        new EvalEpisodes(
            Objects.requireNonNull(config, "config"), source.seed, source.episodes(), source.steps);
    SimWorld world = config.newWorld(DatasetRecorder.episodeSeed(source.seed, 0));
    for (int e = 0; e < source.episodes(); e++) {
      world.reset(DatasetRecorder.episodeSeed(source.seed, e));
      for (int t = 0; t < source.steps; t++) {
        if (t > 0) {
          world.step(source.actions[e][2 * t - 2], source.actions[e][2 * t - 1]);
        }
        out.capture(world, e, t);
        out.actions[e][2 * t] = source.actions[e][2 * t];
        out.actions[e][2 * t + 1] = source.actions[e][2 * t + 1];
      }
    }
    return out;
  }

  private void capture(SimWorld world, int e, int t) {
    if (scratch == null) {
      scratch = new byte[config.frameBytes()];
    }
    byte[] rgb = scratch;
    world.render(rgb);
    System.arraycopy(rgb, 0, frames[e], t * rgb.length, rgb.length);
    positions[e][2 * t] = world.agentX();
    positions[e][2 * t + 1] = world.agentY();
    labels[e][t] = (byte) world.violationCode();
    if (blocks != null && world instanceof PushTWorld pushT) {
      BlockPose b = pushT.block();
      blocks[e][3 * t] = b.x();
      blocks[e][3 * t + 1] = b.y();
      blocks[e][3 * t + 2] = b.angle();
    }
  }

  private static void check(int episodes, int steps) {
    if (episodes < 2) {
      throw new IllegalArgumentException("episodes must be >= 2, got " + episodes);
    }
    if (steps < 2) {
      throw new IllegalArgumentException("steps must be >= 2, got " + steps);
    }
  }

  /** The world's configuration. */
  public WorldSpec config() {
    return config;
  }

  /** The seed the episode seeds derive from. */
  public long seed() {
    return seed;
  }

  public int episodes() {
    return frames.length;
  }

  /** Frames per episode. */
  public int steps() {
    return steps;
  }

  /** The frames of episode {@code e}: {@code steps} RGB8 frames back to back (not a copy). */
  public byte[] frames(int e) {
    return frames[e];
  }

  /** The actions of episode {@code e}: x, y per step; action t turns frame t into t+1. */
  public float[] actions(int e) {
    return actions[e];
  }

  /** The agent's x, y per frame of episode {@code e}, in pixels. */
  public float[] positions(int e) {
    return positions[e];
  }

  /** The violation label per frame of episode {@code e} (0 none, else the kind's code). */
  public byte[] labels(int e) {
    return labels[e];
  }

  /** Whether the episodes carry a block pose per frame (Push-T). */
  public boolean hasBlocks() {
    return blocks != null;
  }

  /**
   * The block's x, y (pixels) and angle (radians) per frame of episode {@code e} (Push-T).
   *
   * @throws IllegalStateException for a world without a block (Two-Rooms)
   */
  public float[] blocks(int e) {
    if (blocks == null) {
      throw new IllegalStateException(
          "the " + config.worldName() + " episodes have no block; generate Push-T episodes");
    }
    return blocks[e];
  }
}
