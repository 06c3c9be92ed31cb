package io.foresight.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.sim.robot.FleetReport;
import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.RobotStats;
import io.foresight.sim.world.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Builds the demo's report.json and report.html from what the fleet and the observer saw. */
public final class DemoReport {
  /** Surprise events at most this many frames from an injected violation match it. */
  public static final int MATCH_WINDOW = 2;

  private final Map<String, Object> json = new LinkedHashMap<>();
  private final List<String> plots = new ArrayList<>();

  private DemoReport() {}

  /** The report of one demo run. */
  public static DemoReport build(
      FleetStats fleet, OutputObserver observer, double seconds, Map<String, Object> settings) {
    DemoReport r = new DemoReport();
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
    goals.put("other_room_attempted", attemptedOther);
    goals.put("other_room_reached", reachedOther);
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

    r.plotDistances(fleet);
    r.plotSurprise(fleet, observer, seconds);
    r.plotThroughput(observer);
    return r;
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
      StringBuilder html = new StringBuilder();
      html.append(
          "<!doctype html><html><head><meta charset='utf-8'><title>Foresight demo report</title>"
              + "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}"
              + "pre{background:#f6f6f6;padding:1em;overflow:auto}</style></head><body>");
      html.append("<h1>Foresight demo report</h1>");
      for (String svg : plots) {
        html.append("<div>").append(svg).append("</div>");
      }
      html.append("<h2>report.json</h2><pre>").append(SvgPlot.esc(text)).append("</pre>");
      html.append("</body></html>");
      Files.writeString(dir.resolve("report.html"), html.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Error writing the report to " + dir, e);
    }
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
