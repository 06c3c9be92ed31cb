package io.foresight.schemas.config;

import io.foresight.schemas.ContractException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Configuration values by key, merged from (lowest to highest precedence) defaults, a properties
 * file, the environment and explicit overrides (the command line's {@code --set key=value}).
 *
 * <pre>{@code
 * Settings s = Settings.load(Path.of("foresight.properties"), System.getenv(), Map.of("job.parallelism", "2"), JobOptions.KEYS);
 * int p = s.getInt(JobOptions.PARALLELISM);
 * }</pre>
 */
public final class Settings implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, String> values;

  public Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * Merges the sources for the given keys: environment variables are looked up by {@link
   * ConfigKey#envName()}; the file and the overrides by key.
   *
   * @param file a properties file, or null
   */
  public static Settings load(
      Path file,
      Map<String, String> env,
      Map<String, String> overrides,
      Collection<ConfigKey> keys) {
    Map<String, String> v = new LinkedHashMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new ContractException(
            "Error reading properties file " + file + ": " + e.getMessage(), e);
      }
      p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k)));
    }
    v.putAll(ConfigKey.fromEnvironment(keys, env));
    v.putAll(overrides);
    return new Settings(v);
  }

  /** All values as a map (only the keys that were set). */
  public Map<String, String> asMap() {
    return values;
  }

  public String get(ConfigKey key) {
    return values.getOrDefault(key.name(), key.defaultValue());
  }

  public int getInt(ConfigKey key) {
    return parse(key, Integer::parseInt);
  }

  public long getLong(ConfigKey key) {
    return parse(key, Long::parseLong);
  }

  public double getDouble(ConfigKey key) {
    return parse(key, Double::parseDouble);
  }

  public boolean getBoolean(ConfigKey key) {
    String v = get(key).strip().toLowerCase(java.util.Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw invalid(key, v, "true or false");
    }
    return v.equals("true");
  }

  /** A duration given in milliseconds. */
  public Duration getMillis(ConfigKey key) {
    return Duration.ofMillis(getLong(key));
  }

  private <T> T parse(ConfigKey key, java.util.function.Function<String, T> f) {
    String v = get(key);
    try {
      return f.apply(v.strip());
    } catch (RuntimeException e) {
      throw invalid(key, v, "a " + key.type());
    }
  }

  private static ContractException invalid(ConfigKey key, String value, String expected) {
    return new ContractException(
        "option "
            + key.name()
            + " (env "
            + key.envName()
            + ") is '"
            + value
            + "'; expected "
            + expected
            + ". "
            + key.description());
  }
}
