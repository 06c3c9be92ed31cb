package io.foresight.tools.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One console line saying where the models run and why, read from the log file the sessions wrote
 * their choice to (the full native error stays in the file).
 */
public final class DeviceLine {
  private static final Pattern CHOSEN =
      Pattern.compile(
          "Model (\\S+): execution provider (CPU|CUDA on GPU \\d+) \\(requested (\\S+),");
  private static final Pattern FALLBACK =
      Pattern.compile("Model (\\S+): running on the CPU \\(requested auto; (.*)\\); set ");

  private DeviceLine() {}

  /** E.g. {@code "CPU (auto: CUDA did not start, see run/demo/logs/foresight.log)"}. */
  public static String from(Path log) {
    List<String> lines;
    try {
      lines = Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      return "unknown (cannot read " + log + ": " + e.getMessage() + ")";
    }
    return summarize(lines, log);
  }

  static String summarize(List<String> lines, Path log) {
    Map<String, String> devices = new LinkedHashMap<>();
    String why = null;
    for (String line : lines) {
      Matcher c = CHOSEN.matcher(line);
      if (c.find()) {
        devices.put(name(c.group(1)), c.group(2) + " (requested " + c.group(3) + ")");
      }
      Matcher f = FALLBACK.matcher(line);
      if (f.find()) {
        devices.put(name(f.group(1)), "CPU (requested auto)");
        why = f.group(2).contains("CUDA") ? "CUDA did not start" : f.group(2);
      }
    }
    if (devices.isEmpty()) {
      return "unknown (no model session in " + log + ")";
    }
    String on =
        devices.values().stream().distinct().count() == 1
            ? devices.values().iterator().next()
            : devices.toString();
    String text = String.join(", ", devices.keySet()) + " on " + on;
    if (why != null) {
      text += ": " + why + "; details in the log";
    }
    return text;
  }

  private static String name(String path) {
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }
}
