package io.foresight.ingest.robot;

import java.util.List;

/**
 * A snapshot of a {@link RobotFleet}: one {@link RobotStats} per robot plus totals.
 *
 * @param robots per-robot statistics, in stream id order
 * @param ticks control ticks run
 * @param seconds seconds since the fleet opened
 * @param plansConsumed plan records read from Kafka (for any stream)
 * @param badPlans plan records that did not decode (skipped and counted)
 */
public record FleetStats(
    List<RobotStats> robots, long ticks, double seconds, long plansConsumed, long badPlans) {

  public FleetStats {
    robots = List.copyOf(robots);
  }

  public long steps() {
    return robots.stream().mapToLong(RobotStats::steps).sum();
  }

  public long plannedSteps() {
    return robots.stream().mapToLong(RobotStats::plannedSteps).sum();
  }

  public long goalsReached() {
    return robots.stream().mapToLong(RobotStats::goalsReached).sum();
  }

  public long goalsFailed() {
    return robots.stream().mapToLong(RobotStats::goalsFailed).sum();
  }

  public long violations() {
    return robots.stream().mapToLong(r -> r.violations().size()).sum();
  }
}
