package io.foresight.tools.demo;

import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.RobotStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's and the live view's pictures of the Push-T world: the arena with each robot's path,
 * its block and the goal poses as T outlines, and the block's pose error (pixels, degrees) over
 * time. Poses are in pixels of the rendered image, angles in radians, positive clockwise on the
 * screen (docs/pusht.md).
 */
final class PushTPictures {
  private PushTPictures() {}

  /**
   * The T's outline around its centre of mass at angle 0 (bar on top), in pixels: 8 corners,
   * clockwise from the bar's top left.
   */
  static double[][] shape(PushTConfig c) {
    double s = c.scale();
    double b = c.barLength() / 2;
    double t = c.thickness();
    double h = c.thickness() / 2;
    double top = -c.centroidFromTop();
    double stem = top + t + c.stemLength();
    double[][] units = {
      {-b, top},
      {b, top},
      {b, top + t},
      {h, top + t},
      {h, stem},
      {-h, stem},
      {-h, top + t},
      {-b, top + t}
    };
    for (double[] p : units) {
      p[0] *= s;
      p[1] *= s;
    }
    return units;
  }

  /** The T's corners at a pose: {@link #shape} turned by {@code angle} and moved to (x, y). */
  static double[][] outline(PushTConfig c, double x, double y, double angle) {
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double[][] out = shape(c);
    for (double[] p : out) {
      double px = p[0];
      double py = p[1];
      p[0] = x + cos * px - sin * py;
      p[1] = y + sin * px + cos * py;
    }
    return out;
  }

  /** One SVG map per robot: walls, the agent's path, the block now, the goal poses. */
  static String world(FleetStats fleet, OutputObserver observer, PushTConfig c) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<p>Each robot in its own Push-T world (%d x %d pixels; grey: the walls). Blue: the"
                + " agent's path; light blue: the path of the block's centre; filled blue T: the"
                + " block at the end (red disc: the agent). T outlines: the goal poses (green"
                + " reached, red timed out, yellow dashed still active); a goal is reached when the"
                + " block is within %.1f px and %.0f degrees of it.</p><div class='maps'>",
            c.width(),
            c.height(),
            c.successPixels(),
            c.successDegrees()));
    for (RobotStats rs : fleet.robots()) {
      List<OutputObserver.Position> ps = observer.positions(rs.streamId());
      List<OutputObserver.Block> bs = observer.blocks(rs.streamId());
      StringBuilder svg = new StringBuilder(open(c));
      svg.append(path(centres(bs), "#9cf", 0.5 * c.scale(), "block-path"));
      svg.append(path(positions(ps), "#39f", 0.7 * c.scale(), "path"));
      if (!bs.isEmpty()) {
        OutputObserver.Block b = bs.get(bs.size() - 1);
        svg.append(t(c, b.x(), b.y(), b.angle(), "#30a0ff", "none", false, "block", "the block"));
      }
      for (RobotStats.GoalOutcome g : rs.goals()) {
        String colour =
            switch (g.status()) {
              case REACHED -> "#3c3";
              case TIMED_OUT -> "#e33";
              case ACTIVE -> "#fd3";
            };
        svg.append(
            t(
                c,
                g.x(),
                g.y(),
                g.angle(),
                "none",
                colour,
                g.status() == RobotStats.GoalOutcome.Status.ACTIVE,
                "goal",
                "goal " + g.goalId() + " " + g.status()));
      }
      if (!ps.isEmpty()) {
        OutputObserver.Position p = ps.get(ps.size() - 1);
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle class='agent' cx='%.1f' cy='%.1f' r='%.1f' fill='#ff3030'/>",
                p.x(),
                p.y(),
                c.agentRadius() * c.scale()));
      }
      svg.append("</svg>");
      RobotStats.DistanceSample last =
          rs.distances().isEmpty() ? null : rs.distances().get(rs.distances().size() - 1);
      sb.append("<figure class='robot-map' data-robot='")
          .append(SvgPlot.esc(rs.streamId()))
          .append("'>")
          .append(svg)
          .append("<figcaption>")
          .append(SvgPlot.esc(rs.streamId()))
          .append(
              String.format(
                  Locale.ROOT,
                  ": %d goals reached, %d timed out, %d steps",
                  rs.goalsReached(),
                  rs.goalsFailed(),
                  rs.steps()))
          .append(
              last == null
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      "; the block ends %.1f px and %.0f degrees from its goal",
                      last.distance(),
                      Math.toDegrees(last.angleError())))
          .append("</figcaption></figure>");
    }
    return sb.append("</div>").toString();
  }

  /** Moments of imagination drawn per robot. */
  static final int MOMENTS = 3;

  /**
   * For a few moments per robot, the plan as the world model imagines it, decoded by the probe: the
   * agent's path (dashed orange) and the block centre's path (dashed magenta), over what then
   * happened (blue: the agent, light blue: the block's centre), zoomed on the moment.
   */
  static String imagination(
      FleetStats fleet,
      OutputObserver observer,
      Imagination im,
      PushTConfig c,
      Map<String, Object> json) {
    LatentProbe probe = im.probe();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<p>Pictures of what the model imagines are <b>decoded through a linear probe</b>"
                + " (latent &rarr; agent position, held-out R&sup2; %.4f, RMSE %.2f / %.2f px%s;"
                + " shipped with the model as probe.json; the block's angle is not decoded): the"
                + " plan's actions rolled out from the frame's latent by the predictor, each"
                + " predicted latent decoded to the agent's position (dashed orange) and the"
                + " block's centre (dashed magenta), over what then happened (blue: the agent,"
                + " light blue: the block's centre; the T: the block at the start).</p>"
                + "<div class='maps imag'>",
            probe.r2(),
            probe.rmsePx()[0],
            probe.rmsePx()[1],
            probe.block() == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; latent &rarr; block centre R&sup2; %.3f, RMSE %.2f / %.2f px",
                    probe.block().r2(),
                    probe.block().rmsePx()[0],
                    probe.block().rmsePx()[1])));
    double agentSum = 0;
    double blockSum = 0;
    int agentN = 0;
    int blockN = 0;
    int moments = 0;
    for (RobotStats rs : fleet.robots()) {
      List<OutputObserver.ObservedPlan> plans =
          observer.sampledPlans(rs.streamId()).stream()
              .filter(p -> observer.latent(p.streamId(), p.basedOnSequence()) != null)
              .toList();
      List<double[]> agent = positions(observer.positions(rs.streamId()));
      List<OutputObserver.Position> ps = observer.positions(rs.streamId());
      List<OutputObserver.Block> bs = observer.blocks(rs.streamId());
      int step = Math.max(1, plans.size() / MOMENTS);
      for (int k = 0; k < plans.size() && k / step < MOMENTS; k += step) {
        OutputObserver.ObservedPlan p = plans.get(k);
        int from = indexOfPosition(ps, p.basedOnSequence());
        int fromBlock = indexOfBlock(bs, p.basedOnSequence());
        if (from < 0 || fromBlock < 0) {
          continue;
        }
        Imagination.Imagined seen =
            im.imagine(observer.latent(p.streamId(), p.basedOnSequence()), p.actions());
        int n = seen.agent().size();
        List<double[]> agentTaken = agent.subList(from, Math.min(agent.size(), from + n));
        List<double[]> blockTaken =
            centres(bs).subList(fromBlock, Math.min(bs.size(), fromBlock + n));
        List<List<double[]>> all = new ArrayList<>(List.of(agentTaken, blockTaken, seen.agent()));
        if (seen.block() != null) {
          all.add(seen.block());
        }
        double[] box = box(all);
        double u = box[2] / 24;
        OutputObserver.Block start = bs.get(fromBlock);
        StringBuilder svg = new StringBuilder(open(c, box));
        svg.append(
            t(c, start.x(), start.y(), start.angle(), "#30a0ff", "none", false, "block", "start")
                .replace("<polygon ", "<polygon fill-opacity='0.35' "));
        svg.append(path(blockTaken, "#9cf", 1.0 * u, "block-path"));
        svg.append(path(agentTaken, "#39f", 1.2 * u, "path"));
        svg.append(dashed(seen.agent(), "#f90", u, "imagined"));
        if (seen.block() != null) {
          svg.append(dashed(seen.block(), "#e4e", u, "imagined-block"));
        }
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx='%.1f' cy='%.1f' r='%.3f' fill='#fff'/>",
                agentTaken.get(0)[0],
                agentTaken.get(0)[1],
                1.2 * u));
        svg.append("</svg>");
        double a = meanDistance(seen.agent(), agentTaken);
        double b = seen.block() == null ? Double.NaN : meanDistance(seen.block(), blockTaken);
        if (!Double.isNaN(a)) {
          agentSum += a;
          agentN++;
        }
        if (!Double.isNaN(b)) {
          blockSum += b;
          blockN++;
        }
        moments++;
        sb.append("<figure>")
            .append(svg)
            .append("<figcaption>")
            .append(SvgPlot.esc(rs.streamId()))
            .append(
                String.format(
                    Locale.ROOT,
                    " from frame %d: %d steps imagined; mean distance to what happened: agent %.1f"
                        + " px%s (zoomed: %.0f x %.0f px)",
                    p.basedOnSequence(),
                    n - 1,
                    a,
                    Double.isNaN(b) ? "" : String.format(Locale.ROOT, ", block centre %.1f px", b),
                    box[2],
                    box[2]))
            .append("</figcaption></figure>");
      }
    }
    if (moments == 0) {
      sb.append("<p>No plan was sampled (the run was too short).</p>");
    }
    json.put("available", true);
    json.put("decoded_through", "linear probe " + LatentProbe.FILE_NAME);
    json.put("probe_r2", probe.r2());
    json.put("block_probe_r2", probe.block() == null ? null : probe.block().r2());
    json.put("moments", moments);
    json.put("mean_px_from_path_taken", agentN == 0 ? null : DemoReport.round(agentSum / agentN));
    json.put(
        "block_mean_px_from_path_taken", blockN == 0 ? null : DemoReport.round(blockSum / blockN));
    return sb.append("</div>").toString();
  }

  private static double meanDistance(List<double[]> imagined, List<double[]> taken) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < imagined.size() && i < taken.size(); i++) {
      sum += Math.hypot(imagined.get(i)[0] - taken.get(i)[0], imagined.get(i)[1] - taken.get(i)[1]);
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** A square around the points, at least 16 px, padded by 3 px: {@code [x, y, side]}. */
  private static double[] box(List<List<double[]>> paths) {
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (List<double[]> path : paths) {
      for (double[] q : path) {
        minX = Math.min(minX, q[0]);
        maxX = Math.max(maxX, q[0]);
        minY = Math.min(minY, q[1]);
        maxY = Math.max(maxY, q[1]);
      }
    }
    double side = Math.max(16, Math.max(maxX - minX, maxY - minY) + 6);
    return new double[] {(minX + maxX - side) / 2, (minY + maxY - side) / 2, side};
  }

  private static String dashed(List<double[]> pts, String colour, double u, String cls) {
    StringBuilder sb = new StringBuilder();
    for (double[] p : pts) {
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
    }
    return String.format(
        Locale.ROOT,
        "<polyline class='%s' points='%s' fill='none' stroke='%s' stroke-width='%.3f'"
            + " stroke-dasharray='%.3f,%.3f'/>",
        cls,
        sb.toString().strip(),
        colour,
        1.2 * u,
        2 * u,
        u);
  }

  private static int indexOfPosition(List<OutputObserver.Position> ps, long sequence) {
    for (int i = 0; i < ps.size(); i++) {
      if (ps.get(i).sequence() == sequence) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfBlock(List<OutputObserver.Block> bs, long sequence) {
    for (int i = 0; i < bs.size(); i++) {
      if (bs.get(i).sequence() == sequence) {
        return i;
      }
    }
    return -1;
  }

  /** The block's position error (pixels) and angle error (degrees) per robot over frames. */
  static List<String> poseErrorPlots(FleetStats fleet, PushTConfig c) {
    SvgPlot px =
        new SvgPlot(
            String.format(
                Locale.ROOT,
                "Block position error per robot (the criterion: %.1f px)",
                c.successPixels()),
            "frame",
            "pixels");
    SvgPlot deg =
        new SvgPlot(
            String.format(
                Locale.ROOT,
                "Block angle error per robot (the criterion: %.0f degrees)",
                c.successDegrees()),
            "frame",
            "degrees");
    for (RobotStats rs : fleet.robots()) {
      List<RobotStats.DistanceSample> d = rs.distances();
      double[] x = new double[d.size()];
      double[] p = new double[d.size()];
      double[] a = new double[d.size()];
      for (int i = 0; i < d.size(); i++) {
        x[i] = d.get(i).sequence();
        p[i] = d.get(i).distance();
        a[i] = Math.toDegrees(d.get(i).angleError());
      }
      px.add(new SvgPlot.Series(rs.streamId(), x, p));
      deg.add(new SvgPlot.Series(rs.streamId(), x.clone(), a));
    }
    return List.of(px.render(), deg.render());
  }

  /**
   * The goals' figures in report.json: the criterion, and the median final position and angle error
   * of the goals that ended (reached or timed out) and of the active ones at the end.
   */
  static Map<String, Object> goalErrors(FleetStats fleet, PushTConfig c) {
    List<Double> endedPx = new ArrayList<>();
    List<Double> endedDeg = new ArrayList<>();
    List<Double> activePx = new ArrayList<>();
    List<Double> activeDeg = new ArrayList<>();
    for (RobotStats rs : fleet.robots()) {
      Map<String, RobotStats.DistanceSample> lastOf = new LinkedHashMap<>();
      for (RobotStats.DistanceSample d : rs.distances()) {
        lastOf.put(d.goalId(), d);
      }
      for (RobotStats.GoalOutcome g : rs.goals()) {
        RobotStats.DistanceSample d = lastOf.get(g.goalId());
        if (d == null) {
          continue;
        }
        boolean active = g.status() == RobotStats.GoalOutcome.Status.ACTIVE;
        (active ? activePx : endedPx).add((double) d.distance());
        (active ? activeDeg : endedDeg).add(Math.toDegrees(d.angleError()));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> criterion = new LinkedHashMap<>();
    criterion.put("pixels", DemoReport.round(c.successPixels()));
    criterion.put("degrees", DemoReport.round(c.successDegrees()));
    criterion.put(
        "definition",
        "the block's centre of mass within `pixels` of the goal pose's and its angle within"
            + " `degrees` (PushTConfig.success)");
    m.put("criterion", criterion);
    m.put("ended_final_distance_px_median", median(endedPx));
    m.put("ended_final_angle_deg_median", median(endedDeg));
    m.put("active_distance_px_median_at_end", median(activePx));
    m.put("active_angle_deg_median_at_end", median(activeDeg));
    return m;
  }

  private static Double median(List<Double> v) {
    if (v.isEmpty()) {
      return null;
    }
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double m = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    return DemoReport.round(m);
  }

  private static String open(PushTConfig c) {
    return open(c, new double[] {0, 0, c.width()});
  }

  /** The arena in a square view {@code [x, y, side]} (the whole image: {@code [0, 0, width]}). */
  private static String open(PushTConfig c, double[] view) {
    double w = c.wallThickness() * c.scale();
    return String.format(
        Locale.ROOT,
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='%.2f %.2f %.2f %.2f'>"
            + "<rect x='0' y='0' width='%d' height='%d' fill='#a0a0a0'/>"
            + "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='#000'/>",
        view[0],
        view[1],
        view[2],
        c.height() == c.width() ? view[2] : view[2] * c.height() / c.width(),
        c.width(),
        c.height(),
        w,
        w,
        c.width() - 2 * w,
        c.height() - 2 * w);
  }

  private static String t(
      PushTConfig c,
      double x,
      double y,
      double angle,
      String fill,
      String stroke,
      boolean dashed,
      String cls,
      String title) {
    StringBuilder pts = new StringBuilder();
    for (double[] p : outline(c, x, y, angle)) {
      pts.append(String.format(Locale.ROOT, "%.2f,%.2f ", p[0], p[1]));
    }
    return String.format(
        Locale.ROOT,
        "<polygon class='%s' points='%s' fill='%s' stroke='%s' stroke-width='%.2f'%s>"
            + "<title>%s</title></polygon>",
        cls,
        pts.toString().strip(),
        fill,
        stroke,
        0.6 * c.scale(),
        dashed ? String.format(Locale.ROOT, " stroke-dasharray='%.2f'", 1.5 * c.scale()) : "",
        SvgPlot.esc(title));
  }

  private static List<double[]> positions(List<OutputObserver.Position> ps) {
    List<double[]> out = new ArrayList<>(ps.size());
    for (OutputObserver.Position p : ps) {
      out.add(new double[] {p.x(), p.y()});
    }
    return out;
  }

  private static List<double[]> centres(List<OutputObserver.Block> bs) {
    List<double[]> out = new ArrayList<>(bs.size());
    for (OutputObserver.Block b : bs) {
      out.add(new double[] {b.x(), b.y()});
    }
    return out;
  }

  /** A polyline, broken where it jumps more than 8 px (a teleport). */
  private static String path(List<double[]> pts, String colour, double width, String cls) {
    StringBuilder sb = new StringBuilder();
    List<double[]> piece = new ArrayList<>();
    for (int i = 0; i <= pts.size(); i++) {
      boolean jump =
          i == pts.size()
              || (i > 0
                  && Math.hypot(
                          pts.get(i)[0] - pts.get(i - 1)[0], pts.get(i)[1] - pts.get(i - 1)[1])
                      > 8);
      if (jump) {
        if (piece.size() > 1) {
          sb.append("<polyline class='")
              .append(cls)
              .append("' fill='none' stroke='")
              .append(colour)
              .append(String.format(Locale.ROOT, "' stroke-width='%.2f' points='", width));
          for (double[] p : piece) {
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
          }
          sb.setLength(sb.length() - 1);
          sb.append("'/>");
        }
        piece.clear();
      }
      if (i < pts.size()) {
        piece.add(pts.get(i));
      }
    }
    return sb.toString();
  }

  /** The T's outline at angle 0 for the live page, rounded to 0.01 px. */
  static double[][] shapeForPage(PushTConfig c) {
    double[][] s = shape(c);
    for (double[] p : s) {
      p[0] = Math.round(p[0] * 100) / 100.0;
      p[1] = Math.round(p[1] * 100) / 100.0;
    }
    return Arrays.copyOf(s, s.length);
  }
}
