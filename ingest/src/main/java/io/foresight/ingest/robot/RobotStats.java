package io.foresight.ingest.robot;

import io.foresight.ingest.world.Violation;
import java.util.List;

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
    List<Violation> violations) {

  public RobotStats {
    goals = List.copyOf(goals);
    distances = List.copyOf(distances);
    violations = List.copyOf(violations);
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
   * @param x goal x in pixels
   * @param y goal y in pixels
   * @param otherRoom whether the goal was in the other room when it was set
   * @param setAtSequence frame sequence when the goal was set
   * @param endSequence frame sequence when it was reached or given up (-1 while active)
   * @param startDistance distance (straight line) when set
   * @param startPathDistance distance through the door when set
   * @param finalDistance distance at the end (or now, while active)
   * @param status what happened
   */
  public record GoalOutcome(
      String goalId,
      float x,
      float y,
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
   */
  public record DistanceSample(long sequence, String goalId, float distance, float pathDistance) {}
}
