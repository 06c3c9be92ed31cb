package io.foresight.tools.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line plot rendered as inline SVG, so the demo's report.html needs no script, no network
 * and no plotting library.
 */
public final class SvgPlot {
  private static final String[] COLOURS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
  };
  private static final int W = 720;
  private static final int H = 260;
  private static final int L = 60;
  private static final int R = 150;
  private static final int T = 30;
  private static final int B = 40;

  /** One line: x and y of the same length. */
  public record Series(String name, double[] x, double[] y) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<double[]> markers = new ArrayList<>();
  private final List<String> markerLabels = new ArrayList<>();
  private boolean points;
  private double fixedMinX = Double.NaN;
  private double fixedMaxX = Double.NaN;

  public SvgPlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  public SvgPlot add(Series s) {
    series.add(s);
    return this;
  }

  /** A vertical marker at x (e.g. an injected violation). */
  public SvgPlot marker(double x, String label) {
    markers.add(new double[] {x});
    markerLabels.add(label);
    return this;
  }

  /** Fixes the x axis to [min, max] instead of the data's range. */
  public SvgPlot xRange(double min, double max) {
    this.fixedMinX = min;
    this.fixedMaxX = max;
    return this;
  }

  /** Draw bars from zero (a histogram: x is each bin's left edge, bins of equal width). */
  public SvgPlot bars() {
    this.bars = true;
    return this;
  }

  /** Draw points instead of lines. */
  public SvgPlot points() {
    this.points = true;
    return this;
  }

  private boolean bars;

  /** The plot as an SVG element (scales with the page's width). */
  public String render() {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = 0;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        minX = Math.min(minX, s.x()[i]);
        maxX = Math.max(maxX, s.x()[i]);
        minY = Math.min(minY, s.y()[i]);
        maxY = Math.max(maxY, s.y()[i]);
      }
    }
    for (double[] m : markers) {
      minX = Math.min(minX, m[0]);
      maxX = Math.max(maxX, m[0]);
    }
    if (!Double.isNaN(fixedMinX)) {
      minX = fixedMinX;
      maxX = fixedMaxX;
    }
    if (!Double.isFinite(minX)) {
      minX = 0;
      maxX = 1;
    }
    if (!Double.isFinite(maxY) || maxY <= minY) {
      maxY = minY + 1;
    }
    if (maxX <= minX) {
      maxX = minX + 1;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' class='plot'"
                + " font-family='sans-serif' font-size='11'>",
            W,
            H));
    sb.append(
        String.format(Locale.ROOT, "<text x='%d' y='18' font-size='14'>%s</text>", L, esc(title)));
    int pw = W - L - R;
    int ph = H - T - B;
    sb.append(
        String.format(
            Locale.ROOT,
            "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>",
            L,
            T,
            pw,
            ph));
    for (int i = 0; i <= 4; i++) {
      double yv = minY + (maxY - minY) * i / 4;
      double yp = T + ph - ph * i / 4.0;
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%.1f' text-anchor='end'>%s</text><line x1='%d' x2='%d' y1='%.1f'"
                  + " y2='%.1f' stroke='#eee'/>",
              L - 4,
              yp + 4,
              fmt(yv),
              L,
              L + pw,
              yp,
              yp));
      double xv = minX + (maxX - minX) * i / 4;
      double xp = L + pw * i / 4.0;
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>",
              xp,
              T + ph + 14,
              fmt(xv)));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x='%d' y='%d' text-anchor='middle'>%s</text>",
            L + pw / 2,
            H - 6,
            esc(xLabel)));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x='14' y='%d' transform='rotate(-90 14 %d)' text-anchor='middle'>%s</text>",
            T + ph / 2,
            T + ph / 2,
            esc(yLabel)));
    for (int m = 0; m < markers.size(); m++) {
      double xp = L + pw * (markers.get(m)[0] - minX) / (maxX - minX);
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#d62728' stroke-dasharray='4 3'>"
                  + "<title>%s</title></line>",
              xp,
              xp,
              T,
              T + ph,
              esc(markerLabels.get(m))));
    }
    for (int s = 0; s < series.size(); s++) {
      Series se = series.get(s);
      String colour = COLOURS[s % COLOURS.length];
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < se.x().length; i++) {
        double xp = L + pw * (se.x()[i] - minX) / (maxX - minX);
        double yp = T + ph - ph * (se.y()[i] - minY) / (maxY - minY);
        if (bars) {
          double bw = se.x().length > 1 ? pw * (se.x()[1] - se.x()[0]) / (maxX - minX) : pw / 10.0;
          double y0 = T + ph - ph * (0 - minY) / (maxY - minY);
          sb.append(
              String.format(
                  Locale.ROOT,
                  "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>",
                  xp,
                  yp,
                  Math.max(1, bw - 1),
                  Math.max(0, y0 - yp),
                  colour));
        } else if (points) {
          sb.append(
              String.format(
                  Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2' fill='%s'/>", xp, yp, colour));
        } else {
          path.append(i == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ", xp, yp));
        }
      }
      if (!points && !bars && path.length() > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "<path d='%s' fill='none' stroke='%s' stroke-width='1.5'/>",
                path.toString().strip(),
                colour));
      }
      if (s < 12) {
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect x='%d' y='%d' width='10' height='10' fill='%s'/><text x='%d' y='%d'>%s</text>",
                L + pw + 10,
                T + s * 16,
                colour,
                L + pw + 24,
                T + s * 16 + 9,
                esc(se.name())));
      }
    }
    sb.append("</svg>");
    return sb.toString();
  }

  private static String fmt(double v) {
    if (Math.abs(v) >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
