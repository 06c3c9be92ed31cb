package io.foresight.tools.eval;

import io.foresight.sim.dataset.DatasetRecorder;
import io.foresight.sim.world.ExplorationPolicy;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import java.util.Objects;
import java.util.Random;

/**
 * Episodes of the simulated Two-Rooms world generated in memory for evaluating a world model: RGB8
 * frames, the actions taken, the agent's positions and the violation labels.
 *
 * <p>Episode {@code e} of seed {@code s} is the same episode that {@code foresight dataset record
 * --seed s} writes as episode {@code e} (same episode seed, same exploration policy), so a Python
 * evaluation of a recorded dataset and a Java evaluation of the same seed see the same frames.
 *
 * <pre>{@code
 * EvalEpisodes eps = EvalEpisodes.generate(WorldConfig.DEFAULT, 1001, 200, 40, "mixed");
 * byte[] frames = eps.frames(0); // 40 frames of 64x64x3, back to back
 * }</pre>
 */
public final class EvalEpisodes {
  private final WorldConfig config;
  private final long seed;
  private final int steps;
  private final byte[][] frames;
  private final float[][] actions;
  private final float[][] positions;
  private final byte[][] labels;
  private byte[] scratch;

  private EvalEpisodes(WorldConfig config, long seed, int episodes, int steps) {
    this.config = config;
    this.seed = seed;
    this.steps = steps;
    this.frames = new byte[episodes][steps * config.frameBytes()];
    this.actions = new float[episodes][steps * 2];
    this.positions = new float[episodes][steps * 2];
    this.labels = new byte[episodes][steps];
  }

  /**
   * Generates episodes driven by an exploration policy ({@code mixed}, {@code random} or {@code
   * door}).
   */
  public static EvalEpisodes generate(
      WorldConfig config, long seed, int episodes, int steps, String policy) {
    check(episodes, steps);
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

  /**
   * Replays the actions of {@code source} in a world with {@code config} from the same episode
   * seeds: with a violation-free config this gives each violated episode's clean twin (same door,
   * same start, same actions).
   */
  public static EvalEpisodes replay(WorldConfig config, EvalEpisodes source) {
    EvalEpisodes out =
        new EvalEpisodes(
            Objects.requireNonNull(config, "config"), source.seed, source.episodes(), source.steps);
    TwoRoomsWorld world = new TwoRoomsWorld(config);
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

  private void capture(TwoRoomsWorld world, int e, int t) {
    if (scratch == null) {
      scratch = new byte[config.frameBytes()];
    }
    byte[] rgb = scratch;
    world.render(rgb);
    System.arraycopy(rgb, 0, frames[e], t * rgb.length, rgb.length);
    positions[e][2 * t] = world.agentX();
    positions[e][2 * t + 1] = world.agentY();
    labels[e][t] = (byte) world.violationCode();
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
  public WorldConfig config() {
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
}
