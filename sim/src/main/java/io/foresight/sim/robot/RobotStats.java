package io.foresight.sim.robot;

import io.foresight.sim.world.Violation;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A snapshot of what a {@link SimulatedRobot} did: steps, where its actions came from, goals
 * reached, distance to the goal over time and the violations injected into its world.
 *
 * @param streamId the robot's stream id
 * @param steps control steps taken (frames published after the first)
 * @param plannedSteps steps whose action came from a plan
 * @param noOpSteps steps without a fresh plan (zero action)
 * @param plansReceived plans for this stream and its current goal
 * @param plansIgnored plans for this stream that were not usable (another goal, bad shape)
 * @param goals every goal so far, the current one last
 * @param distances distance to the current goal after each frame
 * @param violations injected violations, {@code step} = frame sequence
 * @param plansSkipped sum of {@code stats.skipped} over this stream's plans: latents the job did
 *     not plan for because a newer one of the stream had arrived
 * @param stepsAfterWarmup steps taken from a frame at or after the warm-up
 * @param plannedStepsAfterWarmup of those, steps on a plan within the lag limit (fresh steps)
 * @param planLatencyUs frame capture to plan received, microseconds, for this stream's plans based
 *     on a frame after the warm-up (a copy: changing it changes nothing in the robot)
 */
public record RobotStats(
    String streamId,
    long steps,
    long plannedSteps,
    long noOpSteps,
    long plansReceived,
    long plansIgnored,
    List<GoalOutcome> goals,
    List<DistanceSample> distances,
    List<Violation> violations,
    long plansSkipped,
    long stepsAfterWarmup,
    long plannedStepsAfterWarmup,
    Histogram planLatencyUs) {

  /** Latencies up to an hour, 3 significant digits. */
  static final long MAX_LATENCY_US = 3_600_000_000L;

  public RobotStats {
    goals = List.copyOf(goals);
    distances = List.copyOf(distances);
    violations = List.copyOf(violations);
    planLatencyUs = planLatencyUs == null ? newLatencyHistogram() : planLatencyUs;
  }

  /** An empty histogram with the range and precision the robots use. */
  public static Histogram newLatencyHistogram() {
    return new Histogram(MAX_LATENCY_US, 3);
  }

  /** Frames published: frame 0 at the start and one per step (sequences 0 .. steps). */
  public long framesPublished() {
    return steps + 1;
  }

  /** Goals still active. */
  public long goalsActive() {
    return goals.stream().filter(g -> g.status() == GoalOutcome.Status.ACTIVE).count();
  }

  /** Goals reached. */
  public long goalsReached() {
    return goals.stream().filter(g -> g.status() == GoalOutcome.Status.REACHED).count();
  }

  /** Goals given up after the timeout. */
  public long goalsFailed() {
    return goals.stream().filter(g -> g.status() == GoalOutcome.Status.TIMED_OUT).count();
  }

  /**
   * What became of one goal.
   *
   * @param goalId the goal's id
   * @param x goal x in pixels (Two-Rooms: where the agent should be; Push-T: the block)
   * @param y goal y in pixels
   * @param angle goal angle in radians (Push-T: the block's; 0 in Two-Rooms)
   * @param otherRoom whether the goal was in the other room when it was set (Push-T: false)
   * @param setAtSequence frame sequence when the goal was set
   * @param endSequence frame sequence when it was reached or given up (-1 while active)
   * @param startDistance distance (straight line) when set: the agent's to the goal in Two-Rooms,
   *     the block's to the goal position in Push-T
   * @param startPathDistance distance through the door when set (Push-T: the distance)
   * @param finalDistance distance at the end (or now, while active)
   * @param status what happened
   */
  public record GoalOutcome(
      String goalId,
      float x,
      float y,
      float angle,
      boolean otherRoom,
      long setAtSequence,
      long endSequence,
      float startDistance,
      float startPathDistance,
      float finalDistance,
      Status status) {

    /** The state of a goal. */
    public enum Status {
      ACTIVE,
      REACHED,
      TIMED_OUT
    }

    /** This goal with a new end, final distance and status. */
    public GoalOutcome with(long endSequence, float finalDistance, Status status) {
      return new GoalOutcome(
          goalId,
          x,
          y,
          angle,
          otherRoom,
          setAtSequence,
          endSequence,
          startDistance,
          startPathDistance,
          finalDistance,
          status);
    }

    /** Steps from setting the goal to its end, or so far. */
    public long steps(long currentSequence) {
      return (endSequence >= 0 ? endSequence : currentSequence) - setAtSequence;
    }
  }

  /**
   * Distance to the goal at one frame.
   *
   * @param sequence the frame sequence
   * @param goalId the goal at that frame
   * @param distance straight-line distance in pixels
   * @param pathDistance distance through the door in pixels
   * @param angleError the angle to the goal's, radians in [0, pi] (Push-T: the block's to the goal
   *     angle; 0 in Two-Rooms)
   */
  public record DistanceSample(
      long sequence, String goalId, float distance, float pathDistance, float angleError) {}
}
