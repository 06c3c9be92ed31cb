package io.foresight.sim.world;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A seeded 2-D simulated world seen through a camera, with an agent moved by a 2-D action: the seam
 * between the worlds ({@link TwoRoomsWorld}, {@code PushTWorld}) and what runs them (simulated
 * cameras, robots, dataset recording), so those are written once for every world.
 *
 * <p>Frame indices: a reset produces frame 0, each {@link #step} the next frame; the action given
 * after frame {@code t} produces frame {@code t+1}. The same seed and actions give the same frames.
 * Positions are in pixels of the rendered image ({@code x} right, {@code y} down). Not thread-safe.
 *
 * <pre>{@code
 * SimWorld world = WorldConfig.DEFAULT.newWorld(42);
 * byte[] rgb = new byte[world.frameBytes()];
 * world.step(1f, 0f);
 * world.render(rgb);
 * }</pre>
 */
public interface SimWorld {
  /** The configuration this world was made from. */
  WorldSpec spec();

  /** Image width in pixels. */
  default int width() {
    return spec().width();
  }

  /** Image height in pixels. */
  default int height() {
    return spec().height();
  }

  /** Bytes of one RGB8 frame. */
  default int frameBytes() {
    return spec().frameBytes();
  }

  /** Starts a new episode; everything random comes from the seed. Produces frame 0. */
  void reset(long seed);

  /** Applies an action (each component clamped to [-1, 1], NaN = 0) and advances one frame. */
  void step(float ax, float ay);

  /** Renders the current frame into {@code rgb} (height * width * 3 bytes, row-major RGB). */
  void render(byte[] rgb);

  /** Index of the current frame: 0 after reset, +1 per step. */
  long frameIndex();

  /** The agent's x in pixels. */
  float agentX();

  /** The agent's y in pixels. */
  float agentY();

  /** The agent's position. */
  default Position agent() {
    return new Position(agentX(), agentY());
  }

  /** Names of the proprioception values, in order (for the readings' {@code names}). */
  List<String> proprioNames();

  /** Writes the proprioception of the current frame into {@code out[0 .. names-1]}. */
  void proprioception(float[] out);

  /** The proprioception of the current frame. */
  default float[] proprioception() {
    float[] p = new float[proprioNames().size()];
    proprioception(p);
    return p;
  }

  /**
   * Ground truth of the current frame beyond the agent's position, as frame metadata (key to
   * value), for example the block's pose; empty if there is none.
   */
  default Map<String, String> groundTruth() {
    return Map.of();
  }

  /** The violation visible in the current frame, or null. */
  Violation currentViolation();

  /** The label of the current frame: 0 none, else {@link Violation.Kind#code()}. */
  default int violationCode() {
    Violation v = currentViolation();
    return v == null ? 0 : v.kind().code();
  }

  /**
   * A new policy of this world bound to it, by name (see {@link WorldSpec#policyNames()}).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  WorldPolicy policy(String name);

  /** A one-line description of the episode for logs (start, layout, goal). */
  String describe();

  // Goals: what a robot asks for, and how it knows it got there.

  /**
   * A random goal at least {@code minDistance} pixels from where the world stands now (best effort:
   * gives up after a few tries), drawn from {@code rng}.
   */
  GoalPose randomGoal(RandomGenerator rng, float minDistance);

  /** Why {@code goal} cannot be reached in this world, or null if it can. */
  String goalProblem(GoalPose goal);

  /** The straight-line distance in pixels between the goal and what should reach it. */
  float goalDistance(GoalPose goal);

  /** The length in pixels of the shortest way there (around walls); default the distance. */
  default float goalPathDistance(GoalPose goal) {
    return goalDistance(goal);
  }

  /**
   * The angle in radians, in [0, pi], between the goal's angle and the world's (Push-T: the
   * block's); default 0 (a world whose goals are positions only).
   */
  default float goalAngleError(GoalPose goal) {
    return 0f;
  }

  /** Whether the goal lies beyond an obstacle (Two-Rooms: in the other room); default false. */
  default boolean goalBeyondObstacle(GoalPose goal) {
    return false;
  }

  /** Whether the goal counts as reached with a position tolerance of {@code tolerance} pixels. */
  boolean goalReached(GoalPose goal, float tolerance);

  /** Renders the goal image of {@code goal} into {@code rgb}. */
  void renderGoal(GoalPose goal, byte[] rgb);
}
