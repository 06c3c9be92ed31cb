package io.foresight.schemas.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The declaration of one configuration option: key, value type, default, check, description and the
 * old keys it replaces. Declared once, as a {@code static final} constant of the module's {@code
 * ...Options} class; everything else (reading the command line, a properties file and the
 * environment, the error messages, {@code docs/configuration.md}) follows from it.
 *
 * <pre>{@code
 * public static final ConfigOption<Integer> BATCH_SIZE =
 *     ConfigOptions.key("encoder.batch.size").intType().defaultValue(32)
 *         .checking(Check.between(1, 4096))
 *         .withDescription("Frames per encoder call; a batch is flushed when full");
 * int n = options.get(BATCH_SIZE);
 * }</pre>
 *
 * <p>The environment form of a key is its upper-case text with {@code _} for {@code .}: {@code
 * encoder.batch.size} is {@code ENCODER_BATCH_SIZE}.
 *
 * @param <T> the value type
 */
public final class ConfigOption<T> {
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z0-9]+)+");

  /**
   * An old key that still works for one release, with a warning naming the new one.
   *
   * @param key the old key
   * @param millis true for an old {@code *.ms} key, where a bare number means milliseconds
   */
  public record DeprecatedKey(String key, boolean millis) {}

  private final String key;
  private final ValueType<T> type;
  private final T defaultValue;
  private final List<Check<? super T>> checks;
  private final String description;
  private final List<DeprecatedKey> deprecatedKeys;

  ConfigOption(
      String key,
      ValueType<T> type,
      T defaultValue,
      List<Check<? super T>> checks,
      String description,
      List<DeprecatedKey> deprecatedKeys) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "option key '" + key + "' must be dotted lower-case words, e.g. encoder.batch.size");
    }
    this.key = key;
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
    this.checks = List.copyOf(checks);
    this.description = description;
    this.deprecatedKeys = List.copyOf(deprecatedKeys);
    for (Check<? super T> c : this.checks) {
      if (!c.accepts(defaultValue)) {
        throw new IllegalArgumentException(
            "default of " + key + " (" + type.format(defaultValue) + ") is not " + c.text());
      }
    }
  }

  /** The key, e.g. {@code encoder.batch.size}. */
  public String key() {
    return key;
  }

  /** The environment variable: {@code encoder.batch.size} -> {@code ENCODER_BATCH_SIZE}. */
  public String envName() {
    return envName(key);
  }

  /** The environment variable of any key. */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public ValueType<T> type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  /** The default as text, as {@code docs/configuration.md} shows it. */
  public String defaultText() {
    return type.format(defaultValue);
  }

  public String description() {
    return description;
  }

  public List<DeprecatedKey> deprecatedKeys() {
    return deprecatedKeys;
  }

  /** What a value must be: the type text and every check, e.g. {@code int in 1..4096}. */
  public String expected() {
    StringBuilder s = new StringBuilder(type.text());
    for (Check<? super T> c : checks) {
      s.append(' ').append(c.text());
    }
    return s.toString();
  }

  /** A copy with this description. */
  public ConfigOption<T> withDescription(String text) {
    return new ConfigOption<>(key, type, defaultValue, checks, text, deprecatedKeys);
  }

  /** A copy that also refuses values failing {@code check}. */
  public ConfigOption<T> checking(Check<? super T> check) {
    List<Check<? super T>> all = new ArrayList<>(checks);
    all.add(check);
    return new ConfigOption<>(key, type, defaultValue, all, description, deprecatedKeys);
  }

  /** A copy that still reads {@code oldKeys} (with a warning naming this key). */
  public ConfigOption<T> withDeprecatedKeys(String... oldKeys) {
    List<DeprecatedKey> all = new ArrayList<>(deprecatedKeys);
    for (String k : oldKeys) {
      all.add(new DeprecatedKey(k, false));
    }
    return new ConfigOption<>(key, type, defaultValue, checks, description, all);
  }

  /**
   * A copy of a duration option that still reads the old {@code *.ms} key, where a bare number
   * means milliseconds.
   */
  public ConfigOption<T> withDeprecatedMillisKey(String oldKey) {
    if (type != ValueType.DURATION) {
      throw new IllegalArgumentException(key + " is not a duration option");
    }
    List<DeprecatedKey> all = new ArrayList<>(deprecatedKeys);
    all.add(new DeprecatedKey(oldKey, true));
    return new ConfigOption<>(key, type, defaultValue, checks, description, all);
  }

  /**
   * Parses and checks a text value.
   *
   * @param text the value as given
   * @param viaMillisKey true when it came through an old {@code *.ms} key
   * @throws IllegalArgumentException with what is expected (the caller adds key and value)
   */
  @SuppressWarnings("unchecked")
  T parse(String text, boolean viaMillisKey) {
    String v = text == null ? "" : text.strip();
    T value;
    try {
      value = viaMillisKey ? (T) ValueType.MILLIS_OR_DURATION.parse(v) : type.parse(v);
    } catch (RuntimeException e) {
      // a parser's own message adds a reason (a bare number's missing unit, a bad entry);
      // without one, or from Integer.parseInt, the expected type is the whole story
      boolean reason =
          e instanceof IllegalArgumentException
              && !(e instanceof NumberFormatException)
              && e.getMessage() != null;
      String why = reason ? " (" + e.getMessage() + ")" : "";
      throw new IllegalArgumentException(expected() + why, e);
    }
    check(value);
    return value;
  }

  /** Checks a typed value; throws {@link IllegalArgumentException} with what is expected. */
  T check(T value) {
    Objects.requireNonNull(value, key);
    for (Check<? super T> c : checks) {
      if (!c.accepts(value)) {
        throw new IllegalArgumentException(expected());
      }
    }
    return value;
  }

  @Override
  public String toString() {
    return key;
  }
}
