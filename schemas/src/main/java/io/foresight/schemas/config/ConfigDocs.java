package io.foresight.schemas.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes {@code docs/configuration.md} from the option declarations: every key with its environment
 * variable, type, default, description and deprecated keys, grouped by module.
 *
 * <pre>{@code
 * java -cp <every module> io.foresight.schemas.config.ConfigDocs docs/configuration.md \
 *     io.foresight.encoders.EncoderOptions io.foresight.planner.PlannerOptions ...
 * }</pre>
 *
 * (each class named holds its module's {@code public static final OptionGroup GROUP}).
 */
public final class ConfigDocs {
  private ConfigDocs() {}

  /** Writes the page for the groups of the named classes into {@code args[0]}. */
  public static void main(String[] args) throws Exception {
    List<OptionGroup<?>> groups = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      groups.add((OptionGroup<?>) Class.forName(args[i]).getField("GROUP").get(null));
    }
    write(Path.of(args[0]), groups);
  }

  /** Writes the page. */
  public static void write(Path file, List<? extends OptionGroup<?>> groups) throws IOException {
    Files.writeString(file, render(groups), StandardCharsets.UTF_8);
  }

  /** The page, as markdown. */
  public static String render(List<? extends OptionGroup<?>> groups) {
    StringBuilder s = new StringBuilder();
    s.append("# Configuration\n\n")
        .append("<!-- Generated from the option declarations (the modules' *Options classes) by")
        .append(" io.foresight.schemas.config.ConfigDocs; do not edit by hand. -->\n\n")
        .append("Every option is declared once, in its module's `...Options` class, and read the")
        .append(" same way everywhere, each source overriding the one before:\n\n")
        .append("1. the default below;\n")
        .append("2. a properties file (`--config FILE`);\n")
        .append("3. an environment variable: the key in upper case with `_` for `.`")
        .append(" (`encoder.batch.size` is `ENCODER_BATCH_SIZE`), as docker-compose sets them;\n")
        .append("4. the command line: `--set key=value`.\n\n")
        .append("Durations carry a unit: `50ms`, `5s`, `5m`, `1h`, `7d` (or ISO-8601 such as")
        .append(" `PT30S`); `0` is zero, any other bare number is refused. A bad value is refused")
        .append(" with the key, the environment variable, the value and what is expected; an")
        .append(" unknown key under a module's prefix is refused with the closest known key.\n\n")
        .append("Deprecated keys still work for one release, with one WARN line each naming the")
        .append(" new key; an old `*.ms` key still takes a bare number of milliseconds.\n");
    Set<String> seen = new HashSet<>();
    for (OptionGroup<?> g : groups) {
      s.append("\n## ").append(g.title()).append("\n\n");
      if (!g.description().isEmpty()) {
        s.append(g.description()).append("\n\n");
      }
      List<ConfigOption<?>> shared = new ArrayList<>();
      s.append("| Key | Environment | Type | Default | Description |\n");
      s.append("|---|---|---|---|---|\n");
      for (ConfigOption<?> o : g.options()) {
        if (!seen.add(o.key())) {
          shared.add(o);
          continue;
        }
        s.append("| `")
            .append(o.key())
            .append("` | `")
            .append(o.envName())
            .append("` | ")
            .append(cell(o.expected()))
            .append(" | ")
            .append(o.defaultText().isEmpty() ? "(empty)" : "`" + cell(o.defaultText()) + "`")
            .append(" | ")
            .append(cell(o.description()))
            .append(deprecated(o))
            .append(" |\n");
      }
      if (!shared.isEmpty()) {
        s.append("\nAlso reads ")
            .append(shared.stream().map(o -> "`" + o.key() + "`").collect(Collectors.joining(", ")))
            .append(" (above).\n");
      }
    }
    return s.toString();
  }

  private static String deprecated(ConfigOption<?> o) {
    if (o.deprecatedKeys().isEmpty()) {
      return "";
    }
    return (o.description().endsWith(".") ? " " : ". ")
        + "Deprecated keys: "
        + o.deprecatedKeys().stream()
            .map(d -> "`" + d.key() + "`" + (d.millis() ? " (milliseconds)" : ""))
            .collect(Collectors.joining(", "))
        + ".";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
