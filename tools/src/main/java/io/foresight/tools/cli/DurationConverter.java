package io.foresight.tools.cli;

import io.foresight.schemas.config.ValueType;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Command-line durations in the style of the option keys: {@code 500ms}, {@code 30s}, {@code 5m}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return ValueType.DURATION.parser().apply(value);
  }
}
