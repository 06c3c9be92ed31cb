package io.foresight.schemas.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One module's options: the list of declarations that is its "what can be configured", the key
 * prefixes it owns (an unknown key under them is refused), the checks that span several options,
 * the module's root exception for bad values and the options class the values are wrapped in.
 *
 * <pre>{@code
 * static final OptionGroup<EncoderOptions> GROUP =
 *     OptionGroup.builder("encoders", EncoderOptions::new)
 *         .title("Encoders").prefixes("encoder.").options(MODEL_DIR, DEVICE, BATCH_SIZE)
 *         .errors(EncoderException::new).build();
 * EncoderOptions o = GROUP.builder().set(BATCH_SIZE, 16).build();
 * }</pre>
 *
 * @param <O> the module's options class
 */
public final class OptionGroup<O> {
  private final String name;
  private final String title;
  private final String description;
  private final List<String> prefixes;
  private final String passThroughPrefix;
  private final List<ConfigOption<?>> options;
  private final Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
  private final Map<String, ConfigOption.DeprecatedKey> deprecated = new LinkedHashMap<>();
  private final Map<String, ConfigOption<?>> byDeprecatedKey = new LinkedHashMap<>();
  private final Consumer<ConfigValues> check;
  private final BiFunction<String, Throwable, ? extends RuntimeException> errors;
  private final Function<ConfigValues, O> wrap;

  private OptionGroup(Builder<O> b) {
    this.name = b.name;
    this.title = b.title == null ? b.name : b.title;
    this.description = b.description;
    this.prefixes = List.copyOf(b.prefixes);
    this.passThroughPrefix = b.passThroughPrefix;
    this.options = List.copyOf(b.options);
    this.check = b.check;
    this.errors = b.errors;
    this.wrap = b.wrap;
    for (ConfigOption<?> o : options) {
      if (byKey.put(o.key(), o) != null) {
        throw new IllegalArgumentException("option " + o.key() + " declared twice in " + name);
      }
      for (ConfigOption.DeprecatedKey d : o.deprecatedKeys()) {
        deprecated.put(d.key(), d);
        byDeprecatedKey.put(d.key(), o);
      }
    }
  }

  /** Starts a group named after its module, e.g. {@code encoders}. */
  public static <O> Builder<O> builder(String name, Function<ConfigValues, O> wrap) {
    return new Builder<>(name, wrap);
  }

  public String name() {
    return name;
  }

  /** The heading in {@code docs/configuration.md}. */
  public String title() {
    return title;
  }

  public String description() {
    return description;
  }

  /** The key prefixes this module owns, e.g. {@code encoder.}. */
  public List<String> prefixes() {
    return prefixes;
  }

  /** Every option, in documentation order. */
  public List<ConfigOption<?>> options() {
    return options;
  }

  /** The options object with every option at its default. */
  public O defaults() {
    return builder().build();
  }

  /** A builder with every option at its default; bad values raise the module's exception. */
  public ConfigBuilder<O> builder() {
    return new ConfigBuilder<>(this, Warnings.LOG_ONCE);
  }

  /** A builder starting from existing values (an options object's {@code toBuilder()}). */
  public ConfigBuilder<O> builder(ConfigValues from) {
    ConfigBuilder<O> b = builder();
    from.asMap().forEach(b::set);
    from.passThrough().forEach(b::set);
    return b;
  }

  /**
   * Options from a map of keys (a properties file, a Flink configuration): this module's keys are
   * read, an unknown key under its prefixes is refused, other keys are ignored.
   */
  public O fromMap(Map<String, String> values) {
    return builder().setAll(values).build();
  }

  /** Options from environment variables such as {@code ENCODER_BATCH_SIZE}; others are ignored. */
  public O fromEnvironment(Map<String, String> env) {
    return ConfigReader.of(null, env, Map.of()).read(this);
  }

  /** True when {@code key} is under one of this module's prefixes. */
  public boolean owns(String key) {
    return prefixes.stream().anyMatch(key::startsWith);
  }

  Optional<ConfigOption<?>> option(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  Optional<ConfigOption<?>> optionOfDeprecated(String key) {
    return Optional.ofNullable(byDeprecatedKey.get(key));
  }

  ConfigOption.DeprecatedKey deprecatedKey(String key) {
    return deprecated.get(key);
  }

  boolean isPassThrough(String key) {
    return passThroughPrefix != null
        && key.startsWith(passThroughPrefix)
        && key.length() > passThroughPrefix.length();
  }

  /** Every key and deprecated key of this group. */
  List<String> knownKeys() {
    List<String> all = new ArrayList<>(byKey.keySet());
    all.addAll(deprecated.keySet());
    return all;
  }

  RuntimeException error(String message, Throwable cause) {
    return errors.apply(message, cause);
  }

  O wrap(ConfigValues values) {
    check.accept(values);
    return wrap.apply(values);
  }

  /**
   * Throws the module's exception for a rule over several options.
   *
   * @param ok true when the rule holds
   * @param option the option the message is about
   * @param what what is wrong, e.g. {@code must not exceed encoder.batches.in.flight (2)}
   */
  public void require(boolean ok, ConfigOption<?> option, String what) {
    if (!ok) {
      throw error(option.key() + " " + what + " (env " + option.envName() + ")", null);
    }
  }

  /** Builds an {@link OptionGroup}. */
  public static final class Builder<O> {
    private final String name;
    private final Function<ConfigValues, O> wrap;
    private String title;
    private String description = "";
    private final List<String> prefixes = new ArrayList<>();
    private String passThroughPrefix;
    private final List<ConfigOption<?>> options = new ArrayList<>();
    private Consumer<ConfigValues> check = v -> {};
    private BiFunction<String, Throwable, ? extends RuntimeException> errors = ConfigException::new;

    private Builder(String name, Function<ConfigValues, O> wrap) {
      this.name = Objects.requireNonNull(name);
      this.wrap = Objects.requireNonNull(wrap);
    }

    public Builder<O> title(String title) {
      this.title = title;
      return this;
    }

    public Builder<O> description(String description) {
      this.description = description;
      return this;
    }

    /** Key prefixes the module owns, e.g. {@code "ingest.", "robot."}. */
    public Builder<O> prefixes(String... prefixes) {
      this.prefixes.addAll(List.of(prefixes));
      return this;
    }

    /** A prefix whose keys are kept as they are, for a library (e.g. {@code memory.kafka.}). */
    public Builder<O> passThrough(String prefix) {
      this.passThroughPrefix = prefix;
      return this;
    }

    public Builder<O> options(ConfigOption<?>... options) {
      this.options.addAll(List.of(options));
      return this;
    }

    /** A check over several options, run in {@code build()} (use {@link OptionGroup#require}). */
    public Builder<O> check(Consumer<ConfigValues> check) {
      this.check = check;
      return this;
    }

    /** The module's root exception for bad values, e.g. {@code EncoderException::new}. */
    public Builder<O> errors(BiFunction<String, Throwable, ? extends RuntimeException> errors) {
      this.errors = errors;
      return this;
    }

    public OptionGroup<O> build() {
      return new OptionGroup<>(this);
    }
  }
}
