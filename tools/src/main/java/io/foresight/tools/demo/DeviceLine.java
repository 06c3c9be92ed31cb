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

  /**
   * E.g. {@code "CPU: encoder.onnx (requested auto: CUDA did not start), predictor.onnx (requested
   * cpu); details in the log"}.
   */
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
    // model file -> [device, why]
    Map<String, String[]> devices = new LinkedHashMap<>();
    boolean fellBack = false;
    for (String line : lines) {
      Matcher c = CHOSEN.matcher(line);
      if (c.find()) {
        devices.put(name(c.group(1)), new String[] {c.group(2), "requested " + c.group(3)});
      }
      Matcher f = FALLBACK.matcher(line);
      if (f.find()) {
        boolean cuda = f.group(2).contains("CUDA");
        devices.put(
            name(f.group(1)),
            new String[] {"CPU", "requested auto" + (cuda ? ": CUDA did not start" : "")});
        fellBack = true;
      }
    }
    if (devices.isEmpty()) {
      return "unknown (no model session in " + log + ")";
    }
    Map<String, List<String>> byDevice = new LinkedHashMap<>();
    devices.forEach(
        (model, d) ->
            byDevice
                .computeIfAbsent(d[0], k -> new java.util.ArrayList<>())
                .add(model + " (" + d[1] + ")"));
    StringBuilder sb = new StringBuilder();
    byDevice.forEach(
        (device, models) ->
            sb.append(sb.length() == 0 ? "" : "; ")
                .append(device)
                .append(": ")
                .append(String.join(", ", models)));
    if (fellBack) {
      sb.append("; details in the log");
    }
    return sb.toString();
  }

  private static String name(String path) {
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }
}
