package io.foresight.tools.demo;

import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.RobotStats;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's pictures: the rooms with each robot's path, imagined plans, camera thumbnails. */
final class ReportPictures {
  /** Moments of imagination drawn per robot. */
  static final int MOMENTS = 3;

  /** Surprise events shown with camera thumbnails. */
  static final int SHOTS = 12;

  private ReportPictures() {}

  /**
   * One SVG map per robot: walls and door, the path taken, the goals and where they were reached.
   */
  static String world(FleetStats fleet, OutputObserver observer) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "<p>Each robot in its own Two-Rooms world (64 x 64 pixels; grey: the wall, the gap: the"
            + " door). Blue: the path taken. Crosses: goals (green reached, red timed out, grey"
            + " still active); a green ring marks where a goal was reached.</p><div class='maps'>");
    for (RobotStats rs : fleet.robots()) {
      List<OutputObserver.Position> ps = observer.positions(rs.streamId());
      StringBuilder svg = new StringBuilder(open(observer.door(rs.streamId())));
      svg.append(polyline(ps, 0, ps.size(), "#39f", 0.7, null));
      for (RobotStats.GoalOutcome g : rs.goals()) {
        String colour =
            switch (g.status()) {
              case REACHED -> "#3c3";
              case TIMED_OUT -> "#e33";
              case ACTIVE -> "#999";
            };
        svg.append(cross(g.x(), g.y(), colour, "goal " + g.goalId() + " " + g.status()));
        if (g.status() == RobotStats.GoalOutcome.Status.REACHED) {
          OutputObserver.Position at = at(ps, g.endSequence());
          if (at != null) {
            svg.append(
                String.format(
                    Locale.ROOT,
                    "<circle cx='%.1f' cy='%.1f' r='3.5' fill='none' stroke='#3c3' stroke-width='0.8'/>",
                    at.x(),
                    at.y()));
          }
        }
      }
      svg.append("</svg>");
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
          .append("</figcaption></figure>");
    }
    return sb.append("</div>").toString();
  }

  /**
   * For a few moments per robot, the plan as the world model imagines it (dashed orange: the
   * predicted latents decoded by the probe) over the path then actually taken (blue).
   */
  static String imagination(
      FleetStats fleet, OutputObserver observer, Imagination im, Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    LatentProbe probe = im.probe();
    sb.append(
        String.format(
            Locale.ROOT,
            "<p>Pictures of what the model imagines are <b>decoded through a linear probe</b>"
                + " (latent &rarr; agent position, shipped with the model as probe.json, held-out"
                + " R&sup2; %.4f, RMSE %.2f / %.2f px): the plan's actions rolled out from the"
                + " frame's latent by the predictor, each predicted latent decoded to a position"
                + " (dashed orange), over the path the robot then took (blue). White dot: the"
                + " start.</p><div class='maps imag'>",
            probe.r2(),
            probe.rmsePx()[0],
            probe.rmsePx()[1]));
    double errSum = 0;
    int errN = 0;
    int moments = 0;
    for (RobotStats rs : fleet.robots()) {
      List<OutputObserver.ObservedPlan> plans =
          observer.sampledPlans(rs.streamId()).stream()
              .filter(p -> observer.latent(p.streamId(), p.basedOnSequence()) != null)
              .toList();
      List<OutputObserver.Position> ps = observer.positions(rs.streamId());
      int step = Math.max(1, plans.size() / MOMENTS);
      for (int k = 0; k < plans.size() && k / step < MOMENTS; k += step) {
        OutputObserver.ObservedPlan p = plans.get(k);
        List<double[]> path =
            im.path(observer.latent(p.streamId(), p.basedOnSequence()), p.actions());
        int from = index(ps, p.basedOnSequence());
        if (from < 0) {
          continue;
        }
        int to = Math.min(ps.size(), from + path.size());
        // zoomed on the moment: a plan covers a few pixels of the 64 x 64 world
        double[] box = box(ps.subList(from, to), path);
        double u = box[2] / 24; // line widths in the zoomed picture's units
        StringBuilder svg = new StringBuilder(open(observer.door(rs.streamId()), box));
        svg.append(polyline(ps, from, to, "#39f", 1.2 * u, null));
        svg.append(
            String.format(
                Locale.ROOT,
                "<polyline class='imagined' points='%s' fill='none' stroke='#f90'"
                    + " stroke-width='%.3f' stroke-dasharray='%.3f,%.3f'/>",
                points(path),
                1.2 * u,
                2 * u,
                u));
        OutputObserver.Position start = ps.get(from);
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx='%.1f' cy='%.1f' r='%.3f' fill='#fff'/>",
                start.x(),
                start.y(),
                1.2 * u));
        svg.append("</svg>");
        double err = 0;
        int n = 0;
        for (int i = 0; i < path.size() && from + i < ps.size(); i++) {
          OutputObserver.Position q = ps.get(from + i);
          err += Math.hypot(path.get(i)[0] - q.x(), path.get(i)[1] - q.y());
          n++;
        }
        if (n > 0) {
          errSum += err / n;
          errN++;
        }
        moments++;
        sb.append("<figure>")
            .append(svg)
            .append("<figcaption>")
            .append(SvgPlot.esc(rs.streamId()))
            .append(
                String.format(
                    Locale.ROOT,
                    " from frame %d: %d steps imagined, %.1f px mean distance to the path taken"
                        + " (zoomed: %.0f x %.0f px)",
                    p.basedOnSequence(),
                    path.size() - 1,
                    n == 0 ? Double.NaN : err / n,
                    box[2],
                    box[2]))
            .append("</figcaption></figure>");
      }
    }
    if (moments == 0) {
      sb.append("<p>No plan was sampled (the run was too short).</p>");
    }
    json.put("decoded_through", "linear probe " + LatentProbe.FILE_NAME);
    json.put("probe_r2", probe.r2());
    json.put("moments", moments);
    json.put("mean_px_from_path_taken", errN == 0 ? null : DemoReport.round(errSum / errN));
    return sb.append("</div>").toString();
  }

  /** Thumbnails of the frames before, at and after surprise events, with what they matched. */
  static String camera(FleetStats fleet, OutputObserver observer) {
    List<OutputObserver.Surprise> events = observer.surprises();
    if (events.isEmpty()) {
      return "<p>No surprise event.</p>";
    }
    List<OutputObserver.Surprise> hits = new ArrayList<>();
    List<OutputObserver.Surprise> misses = new ArrayList<>();
    for (OutputObserver.Surprise e : events) {
      (match(fleet, e) != null ? hits : misses).add(e);
    }
    List<OutputObserver.Surprise> shown = new ArrayList<>();
    for (int i = 0; shown.size() < SHOTS && (i < hits.size() || i < misses.size()); i++) {
      if (i < hits.size()) {
        shown.add(hits.get(i));
      }
      if (i < misses.size() && shown.size() < SHOTS) {
        shown.add(misses.get(i));
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<p>%d surprise events, %d of them matching an injected violation (within %d frames);"
                + " %d shown: the frame before, the frame of the event and the frame after.</p>"
                + "<div class='shots'>",
            events.size(),
            hits.size(),
            DemoReport.MATCH_WINDOW,
            shown.size()));
    for (OutputObserver.Surprise e : shown) {
      Violation v = match(fleet, e);
      sb.append("<div class='shot'>");
      for (long s = e.sequence() - 1; s <= e.sequence() + 1; s++) {
        byte[] f = observer.frame(e.streamId(), s);
        if (f != null) {
          sb.append("<img alt='frame ")
              .append(s)
              .append("' title='")
              .append(SvgPlot.esc(e.streamId()))
              .append(" frame ")
              .append(s)
              .append("' src='")
              .append(Pictures.dataUrl(f, OutputObserver.FRAME_SIDE, OutputObserver.FRAME_SIDE))
              .append("'>");
        }
      }
      sb.append("<div class='")
          .append(v != null ? "hit" : "false")
          .append("'>")
          .append(SvgPlot.esc(e.streamId()))
          .append(
              String.format(
                  Locale.ROOT, " frame %d, %.1f std devs: ", e.sequence(), e.normalized()))
          .append(v != null ? "injected " + v.kind() + " at frame " + v.step() : "false alarm")
          .append("</div></div>");
    }
    return sb.append("</div>").toString();
  }

  private static Violation match(FleetStats fleet, OutputObserver.Surprise e) {
    for (RobotStats rs : fleet.robots()) {
      if (rs.streamId().equals(e.streamId())) {
        for (Violation v : rs.violations()) {
          if (Math.abs(v.step() - e.sequence()) <= DemoReport.MATCH_WINDOW) {
            return v;
          }
        }
      }
    }
    return null;
  }

  private static String open(OutputObserver.Door door) {
    WorldConfig c = WorldConfig.DEFAULT;
    return open(door, new double[] {0, 0, c.width()});
  }

  /** A square around the points, at least 16 px, padded by 3 px: {@code [x, y, side]}. */
  private static double[] box(List<OutputObserver.Position> taken, List<double[]> imagined) {
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (OutputObserver.Position q : taken) {
      minX = Math.min(minX, q.x());
      maxX = Math.max(maxX, q.x());
      minY = Math.min(minY, q.y());
      maxY = Math.max(maxY, q.y());
    }
    for (double[] q : imagined) {
      minX = Math.min(minX, q[0]);
      maxX = Math.max(maxX, q[0]);
      minY = Math.min(minY, q[1]);
      maxY = Math.max(maxY, q[1]);
    }
    double side = Math.max(16, Math.max(maxX - minX, maxY - minY) + 6);
    return new double[] {(minX + maxX - side) / 2, (minY + maxY - side) / 2, side};
  }

  private static String open(OutputObserver.Door door, double[] view) {
    WorldConfig c = WorldConfig.DEFAULT;
    int top = door == null ? c.height() : door.top();
    int bottom = door == null ? c.height() : door.bottom();
    return String.format(
        Locale.ROOT,
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='%.2f %.2f %.2f %.2f'>"
            + "<rect x='0' y='0' width='%d' height='%d' fill='#000'/>"
            + "<rect x='%d' y='0' width='%d' height='%d' fill='#a0a0a0'/>"
            + "<rect x='%d' y='%d' width='%d' height='%d' fill='#a0a0a0'/>",
        view[0],
        view[1],
        view[2],
        view[2],
        c.width(),
        c.height(),
        c.wallLeft(),
        c.wallRight() - c.wallLeft(),
        top,
        c.wallLeft(),
        bottom,
        c.wallRight() - c.wallLeft(),
        c.height() - bottom);
  }

  private static String polyline(
      List<OutputObserver.Position> ps, int from, int to, String colour, double width, String cls) {
    if (to - from < 2) {
      return "";
    }
    StringBuilder pts = new StringBuilder();
    for (int i = from; i < to; i++) {
      // a jump (teleport, a new episode) breaks the line
      if (i > from
          && Math.hypot(ps.get(i).x() - ps.get(i - 1).x(), ps.get(i).y() - ps.get(i - 1).y()) > 8) {
        pts.append("' fill='none' stroke='")
            .append(colour)
            .append("' stroke-width='")
            .append(width)
            .append("'/><polyline class='path' points='");
      }
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", ps.get(i).x(), ps.get(i).y()));
    }
    return "<polyline class='path' points='"
        + pts.toString().strip()
        + "' fill='none' stroke='"
        + colour
        + "' stroke-width='"
        + width
        + "'/>";
  }

  private static String points(List<double[]> path) {
    StringBuilder sb = new StringBuilder();
    for (double[] p : path) {
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
    }
    return sb.toString().strip();
  }

  private static String cross(double x, double y, String colour, String title) {
    return String.format(
        Locale.ROOT,
        "<g class='goal' stroke='%s' stroke-width='1'><title>%s</title>"
            + "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f'/><line x1='%.1f' y1='%.1f' x2='%.1f'"
            + " y2='%.1f'/></g>",
        colour,
        SvgPlot.esc(title),
        x - 2.5,
        y - 2.5,
        x + 2.5,
        y + 2.5,
        x - 2.5,
        y + 2.5,
        x + 2.5,
        y - 2.5);
  }

  private static int index(List<OutputObserver.Position> ps, long sequence) {
    for (int i = 0; i < ps.size(); i++) {
      if (ps.get(i).sequence() == sequence) {
        return i;
      }
    }
    return -1;
  }

  private static OutputObserver.Position at(List<OutputObserver.Position> ps, long sequence) {
    int i = index(ps, sequence);
    return i < 0 ? null : ps.get(i);
  }
}
