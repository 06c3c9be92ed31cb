package io.foresight.ingest;

import io.foresight.schemas.avro.SensorReading;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Publishes sensor readings from a CSV file as {@code SensorReading} records of one stream.
 *
 * <p>Each line is {@code time,kind,value1,value2,...}: the time as seconds since the Unix epoch
 * (decimals allowed; see {@link Builder#timeUnit}) or an ISO-8601 instant such as {@code
 * 2026-11-28T13:00:00.250Z}, the kind of reading (e.g. {@code proprio}), then one or more numbers.
 * An optional first line that does not start with a time is a header: its columns from the third on
 * name the values. Blank lines and lines starting with {@code #} are skipped; a malformed line is
 * reported with its line number and counted.
 *
 * <pre>{@code
 * time,kind,x,y,vx,vy
 * 1764334800.00,proprio,12.5,30.0,0.0,0.0
 * 1764334800.10,proprio,13.1,30.2,0.6,0.2
 * }</pre>
 */
public final class CsvReadingsIngest {
  /** Units of a numeric time column. */
  public enum TimeUnit {
    S(1_000_000.0),
    MS(1_000.0),
    US(1.0);

    private final double toMicros;

    TimeUnit(double toMicros) {
      this.toMicros = toMicros;
    }

    /** Parses {@code s}, {@code ms} or {@code us}. */
    public static TimeUnit parse(String text) {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    }
  }

  private final Path file;
  private final String streamId;
  private final TimeUnit timeUnit;
  private final double rate;
  private final ProducerSettings settings;

  private CsvReadingsIngest(Builder b) {
    this.file = b.file;
    this.streamId = b.streamId;
    this.timeUnit = b.timeUnit;
    this.rate = b.rate;
    this.settings = b.settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sends every well-formed line; malformed lines are reported (file:line) and counted. */
  public IngestReport run() {
    ProducerRun report = settings.start(file.toString(), rate, "readings");
    List<String> names = null;
    long sequence = 0;
    boolean first = true;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        String[] cols = text.split(",", -1);
        if (first) {
          first = false;
          if (parseTime(cols[0].strip()) == null) {
            names = new ArrayList<>();
            for (int i = 2; i < cols.length; i++) {
              names.add(cols[i].strip());
            }
            continue;
          }
        }
        String where = file + ":" + lineNo;
        if (cols.length < 3) {
          report.skipped(
              where + ": expected time,kind,value[,value...], got " + cols.length + " column(s)");
          continue;
        }
        Long time = parseTime(cols[0].strip());
        if (time == null) {
          report.skipped(
              where
                  + ": time '"
                  + cols[0].strip()
                  + "' is neither a number of "
                  + timeUnit.name().toLowerCase(Locale.ROOT)
                  + " nor an ISO-8601 instant");
          continue;
        }
        String kind = cols[1].strip();
        if (kind.isEmpty()) {
          report.skipped(where + ": the kind (second column) is empty");
          continue;
        }
        List<Double> values = new ArrayList<>(cols.length - 2);
        String bad = null;
        for (int i = 2; i < cols.length; i++) {
          try {
            double v = Double.parseDouble(cols[i].strip());
            values.add(v);
          } catch (NumberFormatException e) {
            bad = "value " + (i - 1) + " '" + cols[i].strip() + "' is not a number";
            break;
          }
        }
        if (bad != null) {
          report.skipped(where + ": " + bad);
          continue;
        }
        if (names != null && names.size() != values.size()) {
          report.skipped(
              where
                  + ": "
                  + values.size()
                  + " values but the header names "
                  + names.size()
                  + " "
                  + names);
          continue;
        }
        if (!report.awaitNext()) {
          break;
        }
        SensorReading reading =
            SensorReading.newBuilder()
                .setStreamId(streamId)
                .setSequence(sequence++)
                .setTimeUs(time)
                .setKind(kind)
                .setValues(values)
                .setNames(names)
                .build();
        settings.publisher().send(reading);
        report.sent(8L * values.size());
      }
    } catch (IOException e) {
      report.skipped("cannot read " + file + " after " + sequence + " readings: " + e);
    }
    return report.finish();
  }

  private Long parseTime(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      double v = Double.parseDouble(s);
      if (!Double.isFinite(v)) {
        return null;
      }
      return Math.round(v * timeUnit.toMicros);
    } catch (NumberFormatException e) {
      try {
        Instant t = Instant.parse(s);
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** Builds a {@link CsvReadingsIngest}; file, stream id and publisher are required. */
  public static final class Builder extends ProducerSettings.Builder<Builder> {
    private Path file;
    private String streamId;
    private TimeUnit timeUnit = TimeUnit.S;
    private double rate = 0;
    private ProducerSettings settings;

    private Builder() {}

    public Builder file(Path file) {
      this.file = file;
      return this;
    }

    public Builder streamId(String streamId) {
      this.streamId = streamId;
      return this;
    }

    /** Unit of a numeric time column: seconds (default), milliseconds or microseconds. */
    public Builder timeUnit(TimeUnit timeUnit) {
      this.timeUnit = Objects.requireNonNull(timeUnit, "timeUnit");
      return this;
    }

    /** Readings per second; 0 (default) = as fast as possible. */
    public Builder rate(double rate) {
      this.rate = rate;
      return this;
    }

    public CsvReadingsIngest build() {
      Objects.requireNonNull(file, "file");
      settings = settings();
      if (!Files.isReadable(file)) {
        throw new IngestException(file + " does not exist or cannot be read");
      }
      ProducerSettings.requireStreamId(streamId);
      if (!(rate >= 0)) {
        throw new IngestException("rate must be >= 0, got " + rate);
      }
      return new CsvReadingsIngest(this);
    }
  }
}
