package io.foresight.schemas.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where option declarations start, in the style of Flink's {@code ConfigOptions}: {@code
 * ConfigOptions.key("planner.budget").durationType().defaultValue(Duration.ofMillis(20))}.
 */
public final class ConfigOptions {
  private ConfigOptions() {}

  /** Starts the declaration of {@code key} (dotted lower-case words). */
  public static KeyBuilder key(String key) {
    return new KeyBuilder(key);
  }

  /**
   * The device option of a module that runs ONNX Runtime ({@code encoder.device}, {@code
   * planner.device}): one declaration, so both read and check it the same way.
   *
   * @param key e.g. {@code encoder.device}
   * @param what what runs on the device, for the description
   * @param defaultDevice {@code auto} for the encoder; {@code cpu} for the planner, whose small
   *     predictor runs faster on the CPU than through a host-device round trip per step
   */
  public static ConfigOption<String> device(String key, String what, String defaultDevice) {
    return key(key)
        .type(ValueType.DEVICE)
        .defaultValue(ValueType.DEVICE.parse(defaultDevice))
        .withDescription(
            "Execution provider of the "
                + what
                + ": auto = CUDA if it can be initialised, else the CPU (an INFO line says so);"
                + " cpu; cuda or cuda:N = that GPU, failing loudly if it cannot start");
  }

  /** The second step: the value type. */
  public static final class KeyBuilder {
    private final String key;

    private KeyBuilder(String key) {
      this.key = key;
    }

    public TypedBuilder<Integer> intType() {
      return type(ValueType.INT);
    }

    public TypedBuilder<Long> longType() {
      return type(ValueType.LONG);
    }

    public TypedBuilder<Double> doubleType() {
      return type(ValueType.DOUBLE);
    }

    public TypedBuilder<Float> floatType() {
      return type(ValueType.FLOAT);
    }

    public TypedBuilder<Boolean> booleanType() {
      return type(ValueType.BOOLEAN);
    }

    public TypedBuilder<String> stringType() {
      return type(ValueType.STRING);
    }

    public TypedBuilder<Path> pathType() {
      return type(ValueType.PATH);
    }

    /** A path where the empty text means none (the default). */
    public ConfigOption<Optional<Path>> optionalPathType() {
      return type(ValueType.OPTIONAL_PATH).defaultValue(Optional.empty());
    }

    public TypedBuilder<Duration> durationType() {
      return type(ValueType.DURATION);
    }

    public <E extends Enum<E>> TypedBuilder<E> enumType(Class<E> type) {
      return type(ValueType.enumType(type));
    }

    /** One of a few words, e.g. {@code oneOf("cem", "mppi")}. */
    public TypedBuilder<String> oneOf(String... choices) {
      return type(ValueType.oneOf(choices));
    }

    public <T> TypedBuilder<T> type(ValueType<T> type) {
      return new TypedBuilder<>(key, type);
    }
  }

  /** The third step: the default, which completes the declaration. */
  public static final class TypedBuilder<T> {
    private final String key;
    private final ValueType<T> type;

    private TypedBuilder(String key, ValueType<T> type) {
      this.key = key;
      this.type = type;
    }

    public ConfigOption<T> defaultValue(T value) {
      return new ConfigOption<>(key, type, value, List.of(), "", List.of());
    }
  }
}
