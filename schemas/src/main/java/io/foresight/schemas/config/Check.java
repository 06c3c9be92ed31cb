package io.foresight.schemas.config;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * A rule a value must follow, with the words that say what is expected ({@code in 1..4096}), which
 * the error message and {@code docs/configuration.md} quote.
 *
 * @param <T> the value type
 * @param text what is expected, e.g. {@code >= 0}
 * @param test true for a good value
 */
public record Check<T>(String text, Predicate<? super T> test) {

  /** A number of at least {@code min}. */
  public static Check<Number> atLeast(long min) {
    return new Check<>(">= " + min, n -> n.doubleValue() >= min);
  }

  /** A number in {@code [min, max]}. */
  public static Check<Number> between(long min, long max) {
    return new Check<>(
        "in " + min + ".." + max, n -> n.doubleValue() >= min && n.doubleValue() <= max);
  }

  /** A number above zero. */
  public static Check<Number> positive() {
    return new Check<>("> 0", n -> n.doubleValue() > 0);
  }

  /** A number of zero or more. */
  public static Check<Number> nonNegative() {
    return atLeast(0);
  }

  /** Text with something in it. */
  public static Check<String> notBlank() {
    return new Check<>("not empty", s -> !s.isBlank());
  }

  /** A duration of zero or more. */
  public static Check<Duration> nonNegativeDuration() {
    return new Check<>(">= 0", d -> !d.isNegative());
  }

  /** A duration of at least {@code min}. */
  public static Check<Duration> atLeast(Duration min) {
    return new Check<>(">= " + ValueType.formatDuration(min), d -> d.compareTo(min) >= 0);
  }

  /** A duration in {@code [min, max]}. */
  public static Check<Duration> between(Duration min, Duration max) {
    return new Check<>(
        "in " + ValueType.formatDuration(min) + ".." + ValueType.formatDuration(max),
        d -> d.compareTo(min) >= 0 && d.compareTo(max) <= 0);
  }

  /** True when {@code value} follows the rule. */
  public boolean accepts(T value) {
    return test.test(value);
  }
}
