package io.foresight.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Reads options the one way every module does: defaults, then a properties file, then environment
 * variables ({@code encoder.batch.size} -> {@code ENCODER_BATCH_SIZE}), then command-line overrides
 * ({@code --set key=value}), each later source winning. Deprecated keys still work, with one WARN
 * line each; an unknown key under a module's prefix is refused with the closest known key, a
 * mistyped key elsewhere is warned about.
 *
 * <pre>{@code
 * ConfigReader r = ConfigReader.of(Path.of("foresight.properties"), System.getenv(),
 *     ConfigReader.parseSetArgs(List.of("encoder.batch.size=16")));
 * EncoderOptions encoder = r.read(EncoderOptions.GROUP);
 * }</pre>
 */
public final class ConfigReader {
  private final Path file;
  private final Map<String, String> fileValues;
  private final Map<String, String> env;
  private final Map<String, String> overrides;
  private final Warnings warnings;

  private ConfigReader(
      Path file, Map<String, String> env, Map<String, String> overrides, Warnings warnings) {
    this.file = file;
    this.fileValues = file == null ? Map.of() : load(file);
    this.env = Map.copyOf(env);
    this.overrides = new LinkedHashMap<>(overrides);
    this.warnings = warnings;
  }

  /**
   * A reader over these sources; warnings go to the log.
   *
   * @param file a properties file, or null
   * @param env the environment, usually {@code System.getenv()}
   * @param overrides key -> value from the command line
   * @throws ConfigException if the file cannot be read
   */
  public static ConfigReader of(Path file, Map<String, String> env, Map<String, String> overrides) {
    return new ConfigReader(file, env, overrides, Warnings.LOG_ONCE);
  }

  /** This reader with its warnings (deprecated and mistyped keys) sent to {@code sink}. */
  public ConfigReader warningsTo(Consumer<String> sink) {
    return new ConfigReader(file, env, overrides, new Warnings(sink), fileValues);
  }

  private ConfigReader(
      Path file,
      Map<String, String> env,
      Map<String, String> overrides,
      Warnings warnings,
      Map<String, String> fileValues) {
    this.file = file;
    this.fileValues = fileValues;
    this.env = env;
    this.overrides = new LinkedHashMap<>(overrides);
    this.warnings = warnings;
  }

  /** Reads one module's options from every source. */
  public <O> O read(OptionGroup<O> group) {
    ConfigBuilder<O> b = new ConfigBuilder<>(group, warnings);
    b.setAll(fileValues, "file " + file);
    Map<String, String> fromEnv = new LinkedHashMap<>();
    for (ConfigOption<?> o : group.options()) {
      for (ConfigOption.DeprecatedKey d : o.deprecatedKeys()) {
        String v = env.get(ConfigOption.envName(d.key()));
        // a renamed kebab-case key has the same variable as its new dotted key: no warning
        if (v != null && !ConfigOption.envName(d.key()).equals(o.envName())) {
          b.set(d.key(), v, "environment variable " + ConfigOption.envName(d.key()));
        }
      }
      String v = env.get(o.envName());
      if (v != null) {
        fromEnv.put(o.key(), v);
      }
    }
    fromEnv.forEach((k, v) -> b.set(k, v, "environment variable " + ConfigOption.envName(k)));
    b.setAll(overrides, "--set");
    warnMistyped(List.of(group));
    return b.build();
  }

  /**
   * Warns about keys in the file and overrides that none of {@code groups} knows or owns (with the
   * closest known key when there is one), and about environment variables under their prefixes that
   * name no option. For a command that reads several modules, after reading them.
   */
  public void warnUnknown(Collection<? extends OptionGroup<?>> groups) {
    List<String> known = knownKeys(groups);
    List<String> keys = new ArrayList<>(fileValues.keySet());
    keys.addAll(overrides.keySet());
    for (String k : keys) {
      if (groups.stream().noneMatch(g -> g.owns(k) || g.knownKeys().contains(k))) {
        warnings.warn(
            "unknown option '"
                + k
                + "' ignored"
                + Suggestions.closest(k, known).map(s -> "; did you mean " + s + "?").orElse(""));
      }
    }
    warnMistyped(groups);
  }

  private void warnMistyped(Collection<? extends OptionGroup<?>> groups) {
    List<String> known = knownKeys(groups);
    List<String> envNames = known.stream().map(ConfigOption::envName).toList();
    List<String> keys = new ArrayList<>(fileValues.keySet());
    keys.addAll(overrides.keySet());
    for (String k : keys) {
      if (!known.contains(k) && groups.stream().noneMatch(g -> g.owns(k))) {
        Suggestions.closest(k, known)
            .ifPresent(
                s -> warnings.warn("unknown option '" + k + "' ignored; did you mean " + s + "?"));
      }
    }
    for (String e : env.keySet()) {
      boolean underPrefix =
          groups.stream()
              .flatMap(g -> g.prefixes().stream())
              .filter(p -> !p.equals("kafka."))
              .anyMatch(p -> e.startsWith(ConfigOption.envName(p)));
      if (underPrefix && !envNames.contains(e)) {
        Suggestions.closest(e, envNames)
            .ifPresent(
                s ->
                    warnings.warn(
                        "environment variable " + e + " names no option; did you mean " + s + "?"));
      }
    }
  }

  private static List<String> knownKeys(Collection<? extends OptionGroup<?>> groups) {
    List<String> known = new ArrayList<>();
    groups.forEach(g -> known.addAll(g.knownKeys()));
    return known;
  }

  /**
   * Parses {@code key=value} arguments (the command line's {@code --set}).
   *
   * @throws ConfigException for an argument without {@code =}
   */
  public static Map<String, String> parseSetArgs(Collection<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "--set takes key=value, e.g. --set encoder.batch.size=16; got '" + a + "'");
      }
      out.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
    }
    return out;
  }

  private static Map<String, String> load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException(
          "Error reading properties file "
              + file
              + ": "
              + e.getMessage()
              + "; check the path given with --config",
          e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().stream().sorted().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }
}
