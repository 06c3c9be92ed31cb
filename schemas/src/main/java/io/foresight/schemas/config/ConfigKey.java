package io.foresight.schemas.config;

import java.io.Serializable;
import java.util.Locale;

/**
 * One configuration option of a Foresight module: its key, value type, default and what it does.
 * The same key works from the command line ({@code --set encoder.batch.size=32}), a properties file
 * and the environment ({@link #envName()}: {@code ENCODER_BATCH_SIZE}), as docker-compose sets it.
 *
 * @param name the key, e.g. {@code encoder.batch.size}
 * @param type the value type, for help texts
 * @param defaultValue the default, as text
 * @param description what the option does
 */
public record ConfigKey(String name, String type, String defaultValue, String description)
    implements Serializable {

  /** The environment variable form: {@code encoder.batch.size} -> {@code ENCODER_BATCH_SIZE}. */
  public String envName() {
    return envName(name);
  }

  /**
   * The values that environment variables give for these keys, as key -> text (variables of other
   * keys are ignored).
   */
  public static java.util.Map<String, String> fromEnvironment(
      java.util.Collection<ConfigKey> keys, java.util.Map<String, String> env) {
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    for (ConfigKey k : keys) {
      String v = env.get(k.envName());
      if (v != null) {
        values.put(k.name(), v);
      }
    }
    return values;
  }

  /** The environment variable form of any key. */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
