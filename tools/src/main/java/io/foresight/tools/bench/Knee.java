package io.foresight.tools.bench;

import java.util.List;

/**
 * The knee of a sweep: the largest number of robots whose step kept the closed loop real-time.
 *
 * <pre>{@code
 * Integer knee = Knee.of(report.steps());   // null when no step qualified
 * }</pre>
 */
public final class Knee {
  /** Frame capture to plan at the robot, 99th percentile, at most this. */
  public static final double P99_LIMIT_MS = 100;

  /** Steps on a fresh plan, at least this share. */
  public static final double MIN_FRESH = 0.95;

  /** Goals reached of those attempted, at least this share. */
  public static final double MIN_SUCCESS = 0.95;

  /** The criteria in words, for the report. */
  public static final String CRITERIA =
      "largest robots with frame_to_plan_ms.p99 <= "
          + (int) P99_LIMIT_MS
          + ", fresh_step_fraction >= "
          + MIN_FRESH
          + " and goals.success_rate >= "
          + MIN_SUCCESS;

  private Knee() {}

  /** Whether one step meets every criterion (a missing figure fails it). */
  public static boolean qualifies(StreamsReport.Step s) {
    return s.frameToPlanMs() != null
        && s.frameToPlanMs().p99() != null
        && s.frameToPlanMs().p99() <= P99_LIMIT_MS
        && s.freshStepFraction() != null
        && s.freshStepFraction() >= MIN_FRESH
        && s.goals() != null
        && s.goals().successRate() != null
        && s.goals().successRate() >= MIN_SUCCESS;
  }

  /** The largest {@code robots} among the qualifying steps, or null. */
  public static Integer of(List<StreamsReport.Step> steps) {
    Integer best = null;
    for (StreamsReport.Step s : steps) {
      if (qualifies(s) && (best == null || s.robots() > best)) {
        best = s.robots();
      }
    }
    return best;
  }
}
