package io.foresight.tools.eval.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks of a report's figures against targets, for {@code --check}: each check prints one line,
 * and {@link #exitCode()} is {@link #TARGETS_MISSED} when any of them failed, so a script (CI's
 * smoke runs) fails on results and not only on crashes.
 *
 * <pre>{@code
 * Checks c = new Checks(System.err);
 * c.atMost("error_ratio_h1", report.get("error_ratio_h1"), 0.1);
 * return c.exitCode();
 * }</pre>
 */
public final class Checks {
  /** The exit code of a command whose report misses a target (picocli uses 1 and 2). */
  public static final int TARGETS_MISSED = 3;

  private final PrintStream out;
  private final List<String> failed = new ArrayList<>();
  private int checked;

  public Checks(PrintStream out) {
    this.out = out;
  }

  /** {@code value <= max}; a missing or non-numeric value fails. */
  public Checks atMost(String name, Object value, double max) {
    return check(name, value, "<=", max, v -> v <= max);
  }

  /** {@code value >= min}; a missing or non-numeric value fails. */
  public Checks atLeast(String name, Object value, double min) {
    return check(name, value, ">=", min, v -> v >= min);
  }

  /** The value at a dotted path ({@code goals.success_rate}) of nested maps, or null. */
  public static Object at(Map<String, ?> report, String path) {
    Object v = report;
    for (String part : path.split("\\.")) {
      if (!(v instanceof Map<?, ?> m)) {
        return null;
      }
      v = m.get(part);
    }
    return v;
  }

  private Checks check(
      String name, Object value, String op, double bound, java.util.function.DoublePredicate ok) {
    checked++;
    boolean pass =
        value instanceof Number n && !Double.isNaN(n.doubleValue()) && ok.test(n.doubleValue());
    String line =
        String.format(
            Locale.ROOT,
            "check %s: %s = %s (target %s %s)",
            pass ? "ok" : "FAILED",
            name,
            value,
            op,
            bound);
    out.println(line);
    if (!pass) {
      failed.add(line);
    }
    return this;
  }

  /** The failed checks' lines. */
  public List<String> failed() {
    return List.copyOf(failed);
  }

  /** 0 when every check passed, else {@link #TARGETS_MISSED}, with a summary line. */
  public int exitCode() {
    if (failed.isEmpty()) {
      out.printf(Locale.ROOT, "checks: all %d passed%n", checked);
      return 0;
    }
    out.printf(Locale.ROOT, "checks: %d of %d FAILED%n", failed.size(), checked);
    return TARGETS_MISSED;
  }
}
