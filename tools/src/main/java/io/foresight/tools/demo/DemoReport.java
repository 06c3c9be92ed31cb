package io.foresight.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.robot.FleetReport;
import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.RobotStats;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Builds the demo's report.json and report.html from what the fleet and the observer saw. */
public final class DemoReport {
  /** Surprise events at most this many frames from an injected violation match it. */
  public static final int MATCH_WINDOW = 2;

  /**
   * The targets the summary marks pass or fail against ({@code foresight demo --check} uses the
   * same).
   *
   * @param minGoalSuccess least fraction of attempted goals reached
   * @param maxPlanP95Ms most frame -> plan latency p95
   * @param minRecall least fraction of injected violations with a surprise event
   * @param badRecords bad records injected: each must have exactly one dead letter
   */
  public record Targets(
      double minGoalSuccess, double maxPlanP95Ms, double minRecall, int badRecords) {}

  /** One line of the summary: a figure against its target. */
  record Row(String metric, String value, String target, Boolean pass) {}

  private final Map<String, Object> json = new LinkedHashMap<>();
  private final List<String> plots = new ArrayList<>();
  private final List<Row> summary = new ArrayList<>();
  private String world = "";
  private String imagined = "";
  private String camera = "";
  private PushTConfig pushT;

  private DemoReport() {}

  /** The report of one demo run, without targets or pictures of imagined plans. */
  public static DemoReport build(
      FleetStats fleet, OutputObserver observer, double seconds, Map<String, Object> settings) {
    return build(fleet, observer, seconds, settings, new Targets(0.95, 100, 0.9, 0), null);
  }

  /**
   * The report of one Two-Rooms demo run.
   *
   * @param imagination decodes the plans for the pictures, or null for none
   */
  public static DemoReport build(
      FleetStats fleet,
      OutputObserver observer,
      double seconds,
      Map<String, Object> settings,
      Targets targets,
      Imagination imagination) {
    return build(fleet, observer, seconds, settings, targets, imagination, WorldConfig.DEFAULT);
  }

  /**
   * The report of one demo run in a world: Two-Rooms ({@link WorldConfig}) or Push-T ({@link
   * PushTConfig}: the block's pose instead of rooms and doors).
   *
   * @param imagination decodes the plans for the pictures, or null for none
   * @param world the robots' world
   */
  public static DemoReport build(
      FleetStats fleet,
      OutputObserver observer,
      double seconds,
      Map<String, Object> settings,
      Targets targets,
      Imagination imagination,
      WorldSpec world) {
    PushTConfig pushT = world instanceof PushTConfig p ? p : null;
    DemoReport r = new DemoReport();
    r.pushT = pushT;
    r.json.put("duration_s", round(seconds));
    r.json.put("settings", settings);
    r.json.put("counts", observer.counts());

    long attempted = 0;
    long reached = 0;
    long failed = 0;
    long attemptedOther = 0;
    long reachedOther = 0;
    for (RobotStats rs : fleet.robots()) {
      for (RobotStats.GoalOutcome g : rs.goals()) {
        if (g.status() == RobotStats.GoalOutcome.Status.ACTIVE) {
          continue;
        }
        attempted++;
        if (g.otherRoom()) {
          attemptedOther++;
        }
        if (g.status() == RobotStats.GoalOutcome.Status.REACHED) {
          reached++;
          if (g.otherRoom()) {
            reachedOther++;
          }
        } else {
          failed++;
        }
      }
    }
    long active =
        fleet.robots().stream()
            .flatMap(rs -> rs.goals().stream())
            .filter(g -> g.status() == RobotStats.GoalOutcome.Status.ACTIVE)
            .count();
    Map<String, Object> goals = new LinkedHashMap<>();
    goals.put("attempted", attempted);
    goals.put("reached", reached);
    goals.put("timed_out", failed);
    goals.put("still_active_at_end", active);
    goals.put("success_rate", attempted == 0 ? null : round((double) reached / attempted));
    if (pushT == null) {
      goals.put("other_room_attempted", attemptedOther);
      goals.put("other_room_reached", reachedOther);
    } else {
      goals.putAll(PushTPictures.goalErrors(fleet, pushT));
    }
    r.json.put("goals", goals);

    // Summarised as the robot fleet's latencies are: an HdrHistogram of microseconds.
    Histogram us = RobotStats.newLatencyHistogram();
    for (OutputObserver.PlanLatency l : observer.latencies()) {
      us.recordValue(
          Math.max(0, Math.min(us.getHighestTrackableValue(), Math.round(l.millis() * 1000))));
    }
    FleetReport.Latency lat = FleetReport.Latency.of(us);
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("plans_measured", lat.count());
    latency.put("p50", lat.p50());
    latency.put("p95", lat.p95());
    latency.put("p99", lat.p99());
    latency.put("max", lat.max());
    r.json.put("latency_ms_frame_to_plan", latency);

    List<OutputObserver.Surprise> surprises = observer.surprises();
    int violations = 0;
    int detected = 0;
    for (RobotStats rs : fleet.robots()) {
      for (Violation v : rs.violations()) {
        violations++;
        boolean hit =
            surprises.stream()
                .anyMatch(
                    s ->
                        s.streamId().equals(rs.streamId())
                            && Math.abs(s.sequence() - v.step()) <= MATCH_WINDOW);
        if (hit) {
          detected++;
        }
      }
    }
    long matching =
        surprises.stream()
            .filter(
                s ->
                    fleet.robots().stream()
                        .filter(rs -> rs.streamId().equals(s.streamId()))
                        .flatMap(rs -> rs.violations().stream())
                        .anyMatch(v -> Math.abs(s.sequence() - v.step()) <= MATCH_WINDOW))
            .count();
    Map<String, Object> surprise = new LinkedHashMap<>();
    surprise.put("events", surprises.size());
    surprise.put("violations_injected", violations);
    surprise.put("violations_detected", detected);
    surprise.put("events_matching_a_violation", matching);
    surprise.put("match_window_frames", MATCH_WINDOW);
    r.json.put("surprise", surprise);

    List<DeadLetter> dls = observer.deadLetters();
    Map<String, Long> byType = new TreeMap<>();
    for (DeadLetter d : dls) {
      byType.merge(d.getStage() + "/" + d.getErrorType(), 1L, Long::sum);
    }
    Map<String, Object> dead = new LinkedHashMap<>();
    dead.put("count", dls.size());
    dead.put("by_stage_and_type", byType);
    r.json.put("dead_letters", dead);

    Map<String, Object> throughput = new LinkedHashMap<>();
    throughput.put("frames_per_s", round(observer.count(Topics.FRAMES) / Math.max(seconds, 1e-9)));
    throughput.put(
        "latents_per_s", round(observer.count(Topics.LATENTS) / Math.max(seconds, 1e-9)));
    throughput.put("plans_per_s", round(observer.count(Topics.PLANS) / Math.max(seconds, 1e-9)));
    r.json.put("throughput", throughput);

    long attemptedSame = attempted - attemptedOther;
    long reachedSame = reached - reachedOther;
    if (pushT == null) {
      goals.put("same_room_attempted", attemptedSame);
      goals.put("same_room_reached", reachedSame);
    }
    surprise.put(
        "precision", surprises.isEmpty() ? null : round((double) matching / surprises.size()));
    surprise.put("recall", violations == 0 ? null : round((double) detected / violations));

    r.summarize(
        targets,
        attempted,
        reached,
        attemptedSame,
        reachedSame,
        attemptedOther,
        reachedOther,
        lat,
        surprises.size(),
        matching,
        violations,
        detected,
        dls.size(),
        byType);
    if (pushT == null) {
      r.world = ReportPictures.world(fleet, observer);
    } else {
      r.world = PushTPictures.world(fleet, observer, pushT);
    }
    if (imagination != null) {
      Map<String, Object> im = new LinkedHashMap<>();
      r.imagined =
          pushT == null
              ? ReportPictures.imagination(fleet, observer, imagination, im)
              : PushTPictures.imagination(fleet, observer, imagination, pushT, im);
      r.json.put("imagination", im);
    } else if (pushT != null) {
      r.imagined = NO_PUSH_T_IMAGINATION;
      r.json.put("imagination", Map.of("available", false, "why", NO_PUSH_T_IMAGINATION_WHY));
    }
    r.camera = ReportPictures.camera(fleet, observer);
    r.plotLatency(observer);
    r.plotThroughput(observer);
    if (pushT == null) {
      r.plotDistances(fleet);
    } else {
      r.plots.addAll(PushTPictures.poseErrorPlots(fleet, pushT));
    }
    r.plotSurprise(fleet, observer, seconds);
    return r;
  }

  /** Why a Push-T report without a probe has no pictures of imagined plans. */
  static final String NO_PUSH_T_IMAGINATION_WHY =
      "not available for this model: its folder has no usable probe.json (one fitted on this"
          + " model's encoder that decodes a latent to the agent's and the block's position; the"
          + " console says why), so the predicted latents of a plan cannot be drawn (fit one with"
          + " models/recipe/fit_probe.sh MODEL_DIR --no-card)";

  private static final String NO_PUSH_T_IMAGINATION =
      "<p id='no-imagination'>Pictures of imagined plans are "
          + SvgPlot.esc(NO_PUSH_T_IMAGINATION_WHY)
          + ".</p>";

  private void summarize(
      Targets t,
      long attempted,
      long reached,
      long attemptedSame,
      long reachedSame,
      long attemptedOther,
      long reachedOther,
      FleetReport.Latency lat,
      int events,
      long matching,
      int violations,
      int detected,
      int deadLetters,
      Map<String, Long> byType) {
    String goalTarget = String.format(Locale.ROOT, ">= %.0f%%", t.minGoalSuccess() * 100);
    if (pushT != null) {
      summary.add(
          goalRow(
              String.format(
                  Locale.ROOT,
                  "goals reached (block within %.0f px and %.0f degrees)",
                  pushT.successPixels(),
                  pushT.successDegrees()),
              reached,
              attempted,
              goalTarget,
              t.minGoalSuccess()));
    } else {
      summary.add(goalRow("goals reached", reached, attempted, goalTarget, t.minGoalSuccess()));
    }
    if (pushT == null) {
      summary.add(
          goalRow(
              "  in the same room", reachedSame, attemptedSame, goalTarget, t.minGoalSuccess()));
      summary.add(
          goalRow(
              "  in the other room (through the door)",
              reachedOther,
              attemptedOther,
              goalTarget,
              t.minGoalSuccess()));
    }
    if (pushT != null) {
      Map<?, ?> g = (Map<?, ?>) json.get("goals");
      Object px = g.get("ended_final_distance_px_median");
      Object deg = g.get("ended_final_angle_deg_median");
      Object apx = g.get("active_distance_px_median_at_end");
      Object adeg = g.get("active_angle_deg_median_at_end");
      summary.add(
          new Row(
              "  block's final error (median of goals that ended)",
              px == null ? "no goal ended" : String.format(Locale.ROOT, "%s px, %s deg", px, deg),
              "",
              null));
      summary.add(
          new Row(
              "  block's error at the end (median of active goals)",
              apx == null
                  ? "no active goal"
                  : String.format(Locale.ROOT, "%s px, %s deg", apx, adeg),
              "",
              null));
    }
    boolean measured = lat.count() > 0;
    summary.add(new Row("frame -> plan latency p50", ms(lat.p50(), measured), "", null));
    summary.add(
        new Row(
            "frame -> plan latency p95",
            ms(lat.p95(), measured),
            String.format(Locale.ROOT, "<= %.0f ms", t.maxPlanP95Ms()),
            measured ? lat.p95() <= t.maxPlanP95Ms() : Boolean.FALSE));
    summary.add(new Row("frame -> plan latency p99", ms(lat.p99(), measured), "", null));
    summary.add(
        new Row(
            "surprise recall (injected violations detected)",
            violations == 0
                ? "no violation injected"
                : String.format(
                    Locale.ROOT,
                    "%d / %d = %.0f%%",
                    detected,
                    violations,
                    100.0 * detected / violations),
            String.format(Locale.ROOT, ">= %.0f%%", t.minRecall() * 100),
            violations == 0 ? null : (double) detected / violations >= t.minRecall()));
    summary.add(
        new Row(
            "surprise precision (events matching a violation)",
            events == 0
                ? "no event"
                : String.format(
                    Locale.ROOT, "%d / %d = %.0f%%", matching, events, 100.0 * matching / events),
            "",
            null));
    StringBuilder reasons = new StringBuilder();
    byType.forEach(
        (k, v) ->
            reasons.append(reasons.length() == 0 ? "" : ", ").append(k).append(" ").append(v));
    summary.add(
        new Row(
            "dead letters" + (reasons.length() == 0 ? "" : " (" + reasons + ")"),
            Integer.toString(deadLetters),
            "= " + t.badRecords() + " bad records injected",
            deadLetters == t.badRecords()));
  }

  private static Row goalRow(String name, long reached, long attempted, String target, double min) {
    return new Row(
        name,
        attempted == 0
            ? "none attempted"
            : String.format(
                Locale.ROOT, "%d / %d = %.0f%%", reached, attempted, 100.0 * reached / attempted),
        target,
        attempted == 0 ? null : (double) reached / attempted >= min);
  }

  private static String ms(double v, boolean measured) {
    return measured ? String.format(Locale.ROOT, "%.1f ms", v) : "no plan measured";
  }

  /** The summary as console lines, each with its mark. */
  public List<String> summaryLines() {
    List<String> out = new ArrayList<>();
    for (Row row : summary) {
      String mark = row.pass() == null ? "      " : row.pass() ? "[pass]" : "[FAIL]";
      out.add(
          String.format(
              Locale.ROOT,
              "%s %-52s %-22s %s",
              mark,
              row.metric().length() > 52 ? row.metric().substring(0, 49) + "..." : row.metric(),
              row.value(),
              row.target().isEmpty() ? "" : "target " + row.target()));
    }
    return out;
  }

  private void plotLatency(OutputObserver observer) {
    List<OutputObserver.PlanLatency> ls = observer.latencies();
    SvgPlot plot =
        new SvgPlot(
                "Frame -> plan latency (histogram; the last bar: all above)",
                "milliseconds",
                "plans")
            .bars();
    if (!ls.isEmpty()) {
      double[] ms = ls.stream().mapToDouble(OutputObserver.PlanLatency::millis).sorted().toArray();
      // the start-up's stragglers would squeeze the bulk into one bar: the last bar holds
      // everything above 3 x p95
      double p95 = ms[(int) Math.min(ms.length - 1, Math.floor(ms.length * 0.95))];
      double hi = Math.min(ms[ms.length - 1], 3 * p95);
      int bins = 40;
      double width = Math.max(1, Math.ceil(hi / bins));
      double[] x = new double[bins];
      double[] y = new double[bins];
      for (int i = 0; i < bins; i++) {
        x[i] = i * width;
      }
      for (double v : ms) {
        y[(int) Math.min(bins - 1, Math.max(0, v / width))]++;
      }
      plot.add(new SvgPlot.Series("plans", x, y)).xRange(0, bins * width);
    }
    plots.add(plot.render());
  }

  private void plotDistances(FleetStats fleet) {
    SvgPlot plot = new SvgPlot("Distance to goal (through the door) per robot", "frame", "pixels");
    for (RobotStats rs : fleet.robots()) {
      List<RobotStats.DistanceSample> d = rs.distances();
      double[] x = new double[d.size()];
      double[] y = new double[d.size()];
      for (int i = 0; i < d.size(); i++) {
        x[i] = d.get(i).sequence();
        y[i] = d.get(i).pathDistance();
      }
      plot.add(new SvgPlot.Series(rs.streamId(), x, y));
    }
    plots.add(plot.render());
  }

  private void plotSurprise(FleetStats fleet, OutputObserver observer, double seconds) {
    SvgPlot plot =
        new SvgPlot(
                "Surprise events (normalised score); dashed: injected violations",
                "seconds since start",
                "std devs")
            .points()
            .xRange(0, Math.ceil(seconds));
    Map<String, List<double[]>> byStream = new TreeMap<>();
    double t0 = observer.startMs() / 1000.0;
    for (OutputObserver.Surprise s : observer.surprises()) {
      byStream
          .computeIfAbsent(s.streamId(), k -> new ArrayList<>())
          .add(new double[] {s.timeUs() / 1e6 - t0, s.normalized()});
    }
    byStream.forEach(
        (stream, pts) ->
            plot.add(
                new SvgPlot.Series(
                    stream,
                    pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray())));
    for (RobotStats rs : fleet.robots()) {
      for (Violation v : rs.violations()) {
        Long t = observer.frameTimeUs(rs.streamId(), v.step());
        if (t != null) {
          plot.marker(t / 1e6 - t0, rs.streamId() + " " + v.kind() + " at frame " + v.step());
        }
      }
    }
    plots.add(plot.render());
  }

  private void plotThroughput(OutputObserver observer) {
    SvgPlot plot = new SvgPlot("Throughput", "seconds since start", "records per second");
    for (String topic : List.of(Topics.FRAMES, Topics.LATENTS, Topics.PLANS)) {
      Map<Long, Long> ps = observer.perSecond(topic);
      plot.add(
          new SvgPlot.Series(
              topic.replace("foresight.", ""),
              ps.keySet().stream().mapToDouble(Long::doubleValue).toArray(),
              ps.values().stream().mapToDouble(Long::doubleValue).toArray()));
    }
    plots.add(plot.render());
  }

  public Map<String, Object> json() {
    return json;
  }

  /** Writes report.json and report.html into {@code dir}. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      String text = m.writeValueAsString(json);
      Files.writeString(dir.resolve("report.json"), text);
      Files.writeString(dir.resolve("report.html"), html(text));
    } catch (IOException e) {
      throw new UncheckedIOException("Error writing the report to " + dir, e);
    }
  }

  private String html(String jsonText) {
    StringBuilder h = new StringBuilder();
    h.append(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            + "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            + "<title>Foresight demo report</title><link rel='icon' href='data:,'><style>"
            + "body{font-family:system-ui,sans-serif;max-width:1100px;margin:1.5em auto;"
            + "padding:0 1em;color:#222}"
            + "h2{margin-top:1.6em;border-bottom:1px solid #ddd}"
            + "table.summary{border-collapse:collapse}"
            + "table.summary td{padding:.25em .8em;border-bottom:1px solid #eee}"
            + "table.summary td:first-child,table.summary td:nth-child(3){white-space:nowrap}"
            + ".pass{color:#fff;background:#2a2;border-radius:4px;padding:0 .4em}"
            + ".fail{color:#fff;background:#c22;border-radius:4px;padding:0 .4em}"
            + ".maps{display:flex;flex-wrap:wrap;gap:1em}"
            + ".maps figure{margin:0}.maps svg{width:240px;height:240px;background:#333}"
            + ".imag svg{width:170px;height:170px}"
            + "figcaption{font-size:.85em;color:#444;max-width:240px}"
            + ".shots{display:flex;flex-wrap:wrap;gap:1em}"
            + ".shot{border:1px solid #ddd;border-radius:6px;padding:.4em}"
            + ".shot img{width:96px;height:96px;image-rendering:pixelated;margin-right:2px}"
            + ".false{color:#b00}.hit{color:#070}"
            + "svg.plot{width:100%;max-width:900px;height:auto}"
            + "pre{background:#f6f6f6;padding:1em;overflow:auto}"
            + "</style></head><body>");
    h.append(
        pushT == null
            ? "<h1>Foresight demo report</h1>"
            : "<h1>Foresight demo report: Push-T</h1>");
    Object d = json.get("duration_s");
    Object st = json.get("settings");
    h.append("<p>")
        .append(SvgPlot.esc(String.valueOf(d)))
        .append(" s of closed loop; settings ")
        .append(SvgPlot.esc(String.valueOf(st)))
        .append("</p>");
    h.append("<h2>Summary</h2><table class='summary' id='summary'>");
    h.append(
        "<tr><th></th><th align='left'>what</th><th align='left'>measured</th>"
            + "<th align='left'>target</th></tr>");
    for (Row row : summary) {
      String mark =
          row.pass() == null
              ? ""
              : row.pass()
                  ? "<span class='pass'>&#10003; pass</span>"
                  : "<span class='fail'>&#10007; fail</span>";
      h.append("<tr><td>")
          .append(mark)
          .append("</td><td>")
          .append(SvgPlot.esc(row.metric()))
          .append("</td><td>")
          .append(SvgPlot.esc(row.value()))
          .append("</td><td>")
          .append(SvgPlot.esc(row.target()))
          .append("</td></tr>");
    }
    h.append("</table>");
    h.append("<h2>The world</h2>").append(world);
    if (!imagined.isEmpty()) {
      h.append("<h2>Imagination against reality</h2>").append(imagined);
    }
    h.append("<h2>The camera around surprise events</h2>").append(camera);
    h.append(
        pushT == null
            ? "<h2>Latency, throughput, distance to goal</h2>"
            : "<h2>Latency, throughput, the block's pose error</h2>");
    for (String svg : plots) {
      h.append("<div>").append(svg).append("</div>");
    }
    h.append("<details><summary>report.json</summary><pre>")
        .append(SvgPlot.esc(jsonText))
        .append("</pre></details>");
    h.append("</body></html>");
    return h.toString();
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
