package io.foresight.schemas.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one module's options: typed values through {@link #set(ConfigOption, Object)}, text (from
 * a file, the environment, the command line) through {@link #set(String, String)}. Every value is
 * checked when it is set; {@link #build()} runs the checks that span several options.
 *
 * @param <O> the module's options class
 */
public final class ConfigBuilder<O> {
  private final OptionGroup<O> group;
  private final Warnings warnings;
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, String> passThrough = new LinkedHashMap<>();

  ConfigBuilder(OptionGroup<O> group, Warnings warnings) {
    this.group = group;
    this.warnings = warnings;
  }

  /** Sets a typed value; a value the option refuses raises the module's exception. */
  public <T> ConfigBuilder<O> set(ConfigOption<T> option, T value) {
    if (group.option(option.key()).orElse(null) != option) {
      throw group.error(
          option.key() + " is not an option of " + group.name() + "; see docs/configuration.md",
          null);
    }
    try {
      values.put(option.key(), option.check(value));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw bad(option, value == null ? "null" : option.type().format(value), e, null);
    }
    return this;
  }

  /**
   * Sets an option from its text, by key or deprecated key (the latter with one warning naming the
   * new key); an unknown key is refused with the closest known one.
   */
  public ConfigBuilder<O> set(String key, String text) {
    return set(key, text, null);
  }

  /** Sets every entry of {@code map} this module knows or owns; other keys are ignored. */
  public ConfigBuilder<O> setAll(Map<String, String> map) {
    return setAll(map, null);
  }

  ConfigBuilder<O> setAll(Map<String, String> map, String source) {
    // deprecated keys first, so the new key wins when a source gives both
    map.forEach(
        (k, v) -> {
          if (group.deprecatedKey(k) != null) {
            set(k, v, source);
          }
        });
    map.forEach(
        (k, v) -> {
          if (group.deprecatedKey(k) == null && (group.option(k).isPresent() || group.owns(k))) {
            set(k, v, source);
          }
        });
    return this;
  }

  ConfigBuilder<O> set(String key, String text, String source) {
    if (group.isPassThrough(key)) {
      if (text == null) {
        passThrough.remove(key);
      } else {
        passThrough.put(key, text);
      }
      return this;
    }
    ConfigOption<?> option = group.option(key).orElse(null);
    boolean millis = false;
    if (option == null) {
      option = group.optionOfDeprecated(key).orElse(null);
      if (option == null) {
        throw group.error(unknown(key), null);
      }
      ConfigOption.DeprecatedKey d = group.deprecatedKey(key);
      millis = d.millis();
      warnings.warn(
          "option "
              + key
              + " (env "
              + ConfigOption.envName(key)
              + ") is deprecated and will be removed in the next release; use "
              + option.key()
              + " (env "
              + option.envName()
              + ")"
              + (millis ? " with a unit, e.g. " + option.defaultText() : ""));
    }
    if (text == null) {
      values.remove(option.key());
      return this;
    }
    try {
      values.put(option.key(), option.parse(text, millis));
    } catch (IllegalArgumentException e) {
      throw bad(option, text, e, source);
    }
    return this;
  }

  String unknown(String key) {
    String hint =
        Suggestions.closest(key, group.knownKeys())
            .map(s -> "did you mean " + s + "?")
            .orElse("the " + group.name() + " options are " + group.options());
    return "unknown option '" + key + "'; " + hint + " (every key: docs/configuration.md)";
  }

  /** Checks the options together and builds them. */
  public O build() {
    Map<String, String> text = new LinkedHashMap<>();
    for (ConfigOption<?> o : group.options()) {
      text.put(o.key(), format(o));
    }
    return group.wrap(new ConfigValues(text, passThrough));
  }

  @SuppressWarnings("unchecked")
  private <T> String format(ConfigOption<T> o) {
    Object v = values.get(o.key());
    return o.type().format(v == null ? o.defaultValue() : (T) v);
  }

  private RuntimeException bad(ConfigOption<?> o, String value, Exception e, String source) {
    String why = e instanceof IllegalArgumentException ? e.getMessage() : o.expected();
    return group.error(
        "bad value '"
            + value
            + "' for "
            + o.key()
            + " (env "
            + o.envName()
            + (source == null ? "" : "; from " + source)
            + "): expected "
            + why,
        e);
  }
}
