package io.foresight.schemas.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an option's text becomes a typed value and back: the parser, the formatter and the short type
 * text shown in messages and in {@code docs/configuration.md}.
 *
 * <pre>{@code
 * ValueType<Duration> t = ValueType.DURATION;
 * Duration d = t.parse("50ms");      // PT0.05S
 * String s = t.format(d);             // "50ms"
 * }</pre>
 *
 * @param <T> the value type
 * @param text the type as users read it, e.g. {@code int}, {@code duration}, {@code cem|mppi}
 * @param parser text to value; throws {@link IllegalArgumentException} with what is wrong
 * @param formatter value to the text {@code parser} reads back
 */
public record ValueType<T>(String text, Function<String, T> parser, Function<T, String> formatter) {

  /** A 32-bit integer. */
  public static final ValueType<Integer> INT =
      new ValueType<>("int", Integer::valueOf, String::valueOf);

  /** A 64-bit integer. */
  public static final ValueType<Long> LONG =
      new ValueType<>("long", Long::valueOf, String::valueOf);

  /** A finite floating-point number. */
  public static final ValueType<Double> DOUBLE =
      new ValueType<>("double", s -> finite(Double.valueOf(s)), ValueType::formatNumber);

  /** A finite floating-point number, stored as a float. */
  public static final ValueType<Float> FLOAT =
      new ValueType<>(
          "float",
          s -> (float) (double) finite(Double.valueOf(s)),
          f -> formatNumber(f.doubleValue()));

  /** {@code true} or {@code false} (any case). */
  public static final ValueType<Boolean> BOOLEAN =
      new ValueType<>("boolean", ValueType::parseBoolean, String::valueOf);

  /** Any text (trimmed). */
  public static final ValueType<String> STRING =
      new ValueType<>("string", Function.identity(), Function.identity());

  /** A file or folder path. */
  public static final ValueType<Path> PATH = new ValueType<>("path", Path::of, Path::toString);

  /** A path, or the empty text for none. */
  public static final ValueType<Optional<Path>> OPTIONAL_PATH =
      new ValueType<>(
          "path",
          s -> s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s)),
          p -> p.map(Path::toString).orElse(""));

  /**
   * A duration with a unit: {@code 50ms}, {@code 5s}, {@code 5m}, {@code 1h}, {@code 7d} (or
   * ISO-8601 such as {@code PT30S}); {@code 0} is zero. A bare number other than 0 is refused,
   * since its unit would be a guess.
   */
  public static final ValueType<Duration> DURATION =
      new ValueType<>("duration", ValueType::parseDuration, ValueType::formatDuration);

  /**
   * A duration that also takes a bare number of milliseconds: the form of old {@code *.ms} keys.
   */
  static final ValueType<Duration> MILLIS_OR_DURATION =
      new ValueType<>(
          "duration",
          s -> s.matches("-?\\d+") ? Duration.ofMillis(Long.parseLong(s)) : parseDuration(s),
          ValueType::formatDuration);

  /**
   * A device for ONNX Runtime: {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N} ({@code
   * gpu} is read as {@code cuda}); the value is the lower-case text.
   */
  public static final ValueType<String> DEVICE =
      new ValueType<>("auto|cpu|cuda|cuda:N", ValueType::parseDevice, Function.identity());

  private static final Pattern DEVICE_PATTERN = Pattern.compile("auto|cpu|(?:cuda|gpu)(:\\d+)?");
  private static final Pattern DURATION_PATTERN = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** Parses text; throws {@link IllegalArgumentException} if it is not of this type. */
  public T parse(String s) {
    T v = parser.apply(s.strip());
    if (v == null) {
      throw new IllegalArgumentException("no value");
    }
    return v;
  }

  /** The text form of a value, the one {@link #parse} reads back. */
  public String format(T value) {
    return formatter.apply(value);
  }

  /**
   * One of a few words (case-insensitive); the value is the word as declared.
   *
   * @param choices the accepted words, e.g. {@code "cem", "mppi"}
   */
  public static ValueType<String> oneOf(String... choices) {
    String text = String.join("|", choices);
    return new ValueType<>(
        text,
        s -> {
          for (String c : choices) {
            if (c.equalsIgnoreCase(s)) {
              return c;
            }
          }
          throw new IllegalArgumentException(); // the expected type says it all
        },
        Function.identity());
  }

  /** An enum constant, written as its name in lower case (read in any case). */
  public static <E extends Enum<E>> ValueType<E> enumType(Class<E> type) {
    return enumType(type, e -> e.name().toLowerCase(Locale.ROOT));
  }

  /** An enum constant, written as {@code name(constant)} (read in any case, or as its name). */
  public static <E extends Enum<E>> ValueType<E> enumType(Class<E> type, Function<E, String> name) {
    E[] all = type.getEnumConstants();
    String text = String.join("|", Arrays.stream(all).map(name).toList());
    return new ValueType<>(
        text,
        s -> {
          for (E e : all) {
            if (name.apply(e).equalsIgnoreCase(s) || e.name().equalsIgnoreCase(s)) {
              return e;
            }
          }
          throw new IllegalArgumentException(); // the expected type says it all
        },
        name);
  }

  /** A type of this value with another type text (e.g. {@code host:port,...}). */
  public ValueType<T> named(String newText) {
    return new ValueType<>(newText, parser, formatter);
  }

  private static double finite(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(); // the expected type says it all
    }
    return d;
  }

  private static String formatNumber(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static Boolean parseBoolean(String s) {
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(); // the expected type says it all
  }

  private static String parseDevice(String s) {
    String d = s.toLowerCase(Locale.ROOT);
    Matcher m = DEVICE_PATTERN.matcher(d);
    if (!m.matches()) {
      throw new IllegalArgumentException(); // the expected type says it all
    }
    return d.startsWith("gpu") ? "cuda" + d.substring(3) : d;
  }

  /** Parses {@code 50ms}, {@code 5s}, {@code 5m}, {@code 1h}, {@code 7d}, ISO-8601 or {@code 0}. */
  static Duration parseDuration(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    if (v.matches("-?\\d+(\\.\\d+)?")) {
      throw new IllegalArgumentException(
          "a bare number has no unit; write it with one, e.g. " + v + "ms or " + v + "s");
    }
    if (v.startsWith("p")) {
      try {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(); // the expected type says it all
      }
    }
    Matcher m = DURATION_PATTERN.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(); // the expected type says it all
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /**
   * The shortest exact form: {@code 0}, {@code 250ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code
   * 7d}.
   */
  static String formatDuration(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }
}
