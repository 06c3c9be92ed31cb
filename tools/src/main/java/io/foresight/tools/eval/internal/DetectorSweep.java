package io.foresight.tools.eval.internal;

import io.foresight.planner.SurpriseScore;
import io.foresight.planner.SurpriseScorer;
import io.foresight.planner.SurpriseStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming surprise detector, as the world-model operator runs it, replayed over evaluation
 * episodes: the episodes of one set are laid end to end as one long stream (a camera that keeps
 * running), each frame's raw score goes through {@link SurpriseScorer} with its running statistics,
 * and the alarms are compared with the violation labels.
 *
 * <p>An alarm within {@code window} frames of a violation frame counts as a true alarm, any other
 * as a false alarm; a violation counts as detected when an alarm fell within {@code window} frames
 * of it. On the clean twins every alarm is false.
 */
public final class DetectorSweep {
  private DetectorSweep() {}

  /** One operating point. */
  public record Point(
      double threshold,
      long warmUp,
      int alarms,
      int trueAlarms,
      int violations,
      int detected,
      int cleanFrames,
      int cleanAlarms) {

    /** Share of the alarms on the violated stream that fell on a violation. */
    public double precision() {
      return alarms == 0 ? Double.NaN : (double) trueAlarms / alarms;
    }

    /** Share of the violations with an alarm near them. */
    public double recall() {
      return violations == 0 ? Double.NaN : (double) detected / violations;
    }

    /** False alarms per 1,000 frames of the clean twins. */
    public double falseAlarmsPer1000() {
      return cleanFrames == 0 ? Double.NaN : 1000.0 * cleanAlarms / cleanFrames;
    }

    /** JSON-ready key/values. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("threshold", threshold);
      m.put("warmup", warmUp);
      m.put("precision", round(precision()));
      m.put("recall", round(recall()));
      m.put("false_alarms_per_1000_clean_frames", round(falseAlarmsPer1000()));
      m.put("alarms", alarms);
      m.put("violations", violations);
      return m;
    }
  }

  /**
   * Runs the detector at every threshold and warm-up given.
   *
   * @param violated raw scores of the violated episodes ({@code [episode][t]}, t = 0 unused)
   * @param labels violation labels of the violated episodes (0 = none)
   * @param clean raw scores of the clean twins
   */
  public static List<Point> sweep(
      double[][] violated,
      byte[][] labels,
      double[][] clean,
      double[] thresholds,
      long[] warmUps,
      double alpha,
      int window) {
    boolean[][] violation = new boolean[labels.length][];
    for (int e = 0; e < labels.length; e++) {
      violation[e] = new boolean[labels[e].length];
      for (int t = 0; t < labels[e].length; t++) {
        violation[e][t] = labels[e][t] != 0;
      }
    }
    List<Point> points = new ArrayList<>();
    for (long warmUp : warmUps) {
      for (double threshold : thresholds) {
        SurpriseScorer scorer =
            SurpriseScorer.builder().threshold(threshold).warmUp(warmUp).alpha(alpha).build();
        boolean[][] alarmsV = alarms(scorer, violated);
        boolean[][] alarmsC = alarms(scorer, clean);
        int alarms = 0;
        int trueAlarms = 0;
        int violations = 0;
        int detected = 0;
        for (int e = 0; e < violated.length; e++) {
          int steps = violated[e].length;
          for (int t = 1; t < steps; t++) {
            if (alarmsV[e][t]) {
              alarms++;
              if (near(violation[e], t, window, steps)) {
                trueAlarms++;
              }
            }
            if (violation[e][t]) {
              violations++;
              if (near(alarmsV[e], t, window, steps)) {
                detected++;
              }
            }
          }
        }
        int cleanFrames = 0;
        int cleanAlarms = 0;
        for (boolean[] episode : alarmsC) {
          for (int t = 1; t < episode.length; t++) {
            cleanFrames++;
            cleanAlarms += episode[t] ? 1 : 0;
          }
        }
        points.add(
            new Point(
                threshold,
                warmUp,
                alarms,
                trueAlarms,
                violations,
                detected,
                cleanFrames,
                cleanAlarms));
      }
    }
    return points;
  }

  /** The detector's alarms over the episodes laid end to end as one stream. */
  private static boolean[][] alarms(SurpriseScorer scorer, double[][] scores) {
    SurpriseStatistics stats = SurpriseStatistics.EMPTY;
    boolean[][] out = new boolean[scores.length][];
    for (int e = 0; e < scores.length; e++) {
      out[e] = new boolean[scores[e].length];
      for (int t = 1; t < scores[e].length; t++) {
        SurpriseScore s = scorer.scoreRaw(stats, scores[e][t]);
        out[e][t] = s.surprising();
        stats = s.statistics();
      }
    }
    return out;
  }

  private static double round(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 10_000) / 10_000.0;
  }

  /** Whether any of {@code marks} within {@code window} frames of frame {@code t} is set. */
  private static boolean near(boolean[] marks, int t, int window, int steps) {
    for (int u = Math.max(1, t - window); u <= Math.min(steps - 1, t + window); u++) {
      if (marks[u]) {
        return true;
      }
    }
    return false;
  }
}
