package io.foresight.sim.robot;

import io.foresight.ingest.PublisherStats;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A snapshot of a {@link RobotFleet}: one {@link RobotStats} per robot plus totals.
 *
 * @param robots per-robot statistics, in stream id order
 * @param ticks control ticks run (rounds in which every robot stepped once)
 * @param seconds seconds since {@link RobotFleet#open()} ended (since it was built, before)
 * @param plansConsumed plan records read from Kafka (for any stream)
 * @param badPlans plan records that did not decode (skipped and counted)
 * @param publisher what the fleet's publisher sent, acked and failed (null before open)
 */
public record FleetStats(
    List<RobotStats> robots,
    long ticks,
    double seconds,
    long plansConsumed,
    long badPlans,
    PublisherStats publisher) {

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

  /** Frames published by all robots (frame 0 of each plus one per step). */
  public long framesPublished() {
    return robots.stream().mapToLong(RobotStats::framesPublished).sum();
  }

  /** Plans received for the robots' streams (for the current goal or not). */
  public long plansReceived() {
    return robots.stream().mapToLong(r -> r.plansReceived() + r.plansIgnored()).sum();
  }

  /** Sum of the plans' {@code stats.skipped}. */
  public long plansSkipped() {
    return robots.stream().mapToLong(RobotStats::plansSkipped).sum();
  }

  public long stepsAfterWarmup() {
    return robots.stream().mapToLong(RobotStats::stepsAfterWarmup).sum();
  }

  public long plannedStepsAfterWarmup() {
    return robots.stream().mapToLong(RobotStats::plannedStepsAfterWarmup).sum();
  }

  /** Steps on a fresh plan / all steps, after the warm-up; NaN before any step. */
  public double freshStepFraction() {
    long all = stepsAfterWarmup();
    return all == 0 ? Double.NaN : (double) plannedStepsAfterWarmup() / all;
  }

  /** All robots' frame-to-plan latencies (microseconds) in one histogram. */
  public Histogram planLatencyUs() {
    Histogram h = RobotStats.newLatencyHistogram();
    for (RobotStats r : robots) {
      h.add(r.planLatencyUs());
    }
    return h;
  }
}
