package io.foresight.schemas.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checked values of one module's options, immutable and {@link Serializable} (Flink ships them
 * to operators). Values travel as their canonical text and are parsed back, once, on first {@link
 * #get}: paths and other values need not be serializable themselves.
 */
public final class ConfigValues implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, String> text;
  private final LinkedHashMap<String, String> passThrough;
  private transient volatile Map<String, Object> typed;

  ConfigValues(Map<String, String> text, Map<String, String> passThrough) {
    this.text = new LinkedHashMap<>(text);
    this.passThrough = new LinkedHashMap<>(passThrough);
  }

  /** The value of an option of this module. */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigOption<T> option) {
    String t = text.get(option.key());
    if (t == null) {
      throw new IllegalArgumentException(
          option.key() + " is not an option of this module; its options are " + text.keySet());
    }
    Map<String, Object> cache = typed;
    if (cache == null) {
      cache = new ConcurrentHashMap<>();
      typed = cache;
    }
    return (T) cache.computeIfAbsent(option.key(), k -> option.type().parse(t));
  }

  /** Every option as key -> text, defaults included, in declaration order. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(text);
  }

  /**
   * The settings given under the module's pass-through prefix (e.g. {@code memory.kafka.}), with
   * the full key.
   */
  public Map<String, String> passThrough() {
    return Collections.unmodifiableMap(passThrough);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigValues other
        && text.equals(other.text)
        && passThrough.equals(other.passThrough);
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + passThrough.hashCode();
  }

  @Override
  public String toString() {
    Map<String, String> all = new LinkedHashMap<>(text);
    all.putAll(passThrough);
    return all.toString();
  }
}
