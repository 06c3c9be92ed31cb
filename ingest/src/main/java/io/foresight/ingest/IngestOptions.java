package io.foresight.ingest;

import io.foresight.schemas.config.Check;
import io.foresight.schemas.config.ConfigBuilder;
import io.foresight.schemas.config.ConfigOption;
import io.foresight.schemas.config.ConfigOptions;
import io.foresight.schemas.config.ConfigValues;
import io.foresight.schemas.config.KafkaOptions;
import io.foresight.schemas.config.OptionGroup;
import io.foresight.schemas.config.ValueType;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The typed options of the ingest module: where and how producers publish ({@code
 * kafka.bootstrap.servers}, {@code ingest.*}) and how simulated robots follow plans ({@code
 * robot.*}), each declared once below.
 *
 * <p>The same keys work from the command line, a properties file ({@link #fromMap}) and the
 * environment ({@link #fromEnvironment}: {@code ingest.compression} becomes {@code
 * INGEST_COMPRESSION}); see {@code docs/configuration.md}.
 *
 * <pre>{@code
 * IngestOptions o = IngestOptions.builder().set(IngestOptions.BOOTSTRAP_SERVERS, "kafka:9092").build();
 * try (FramePublisher p = FramePublisher.create(o)) { ... }
 * }</pre>
 */
public final class IngestOptions implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The Kafka brokers (shared by every module; replaces {@code ingest.bootstrap.servers}). */
  public static final ConfigOption<String> BOOTSTRAP_SERVERS = KafkaOptions.BOOTSTRAP_SERVERS;

  public static final ConfigOption<Compression> COMPRESSION =
      ConfigOptions.key("ingest.compression")
          .type(
              new ValueType<>(
                  "auto|none|lz4|zstd|gzip|snappy",
                  Compression::parse,
                  c -> c.name().toLowerCase(Locale.ROOT)))
          .defaultValue(Compression.AUTO)
          .withDescription(
              "Producer compression; auto = lz4 for raw frames and small records, none for"
                  + " JPEG/PNG");
  public static final ConfigOption<Duration> LINGER =
      ConfigOptions.key("ingest.linger")
          .durationType()
          .defaultValue(Duration.ofMillis(5))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedMillisKey("ingest.linger.ms")
          .withDescription("Producer linger.ms: how long a batch waits to fill");
  public static final ConfigOption<String> CLIENT_ID =
      ConfigOptions.key("ingest.client.id")
          .stringType()
          .defaultValue("foresight-ingest")
          .checking(Check.notBlank())
          .withDescription("Kafka client.id prefix");
  public static final ConfigOption<Duration> PROGRESS_INTERVAL =
      ConfigOptions.key("ingest.progress.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedMillisKey("ingest.progress.interval.ms")
          .withDescription("How often long runs print progress (records sent, rate); 0 = never");
  public static final ConfigOption<Float> GOAL_TOLERANCE =
      ConfigOptions.key("robot.goal.tolerance")
          .floatType()
          .defaultValue(4f)
          .checking(Check.positive())
          .withDescription("Distance in pixels under which a simulated robot has reached its goal");
  public static final ConfigOption<Integer> PLAN_MAX_LAG_FRAMES =
      ConfigOptions.key("robot.plan.max.lag.frames")
          .intType()
          .defaultValue(5)
          .checking(Check.nonNegative())
          .withDescription(
              "A plan is fresh while the robot's frame is at most this many frames past the frame"
                  + " the plan was based on; older plans are ignored (no-op)");
  public static final ConfigOption<Integer> GOAL_TIMEOUT_STEPS =
      ConfigOptions.key("robot.goal.timeout.steps")
          .intType()
          .defaultValue(300)
          .checking(Check.nonNegative())
          .withDescription(
              "With random goals, a goal not reached within this many steps counts as failed and"
                  + " a new one is set; 0 = never give up");

  /** Every option of this module, in documentation order. */
  public static final OptionGroup<IngestOptions> GROUP =
      OptionGroup.builder("ingest", IngestOptions::new)
          .title("Ingest and robots (`ingest.*`, `robot.*`)")
          .description("Producers for frames and readings, and the simulated robots.")
          .prefixes("ingest.", "robot.")
          .options(
              BOOTSTRAP_SERVERS,
              COMPRESSION,
              LINGER,
              CLIENT_ID,
              PROGRESS_INTERVAL,
              GOAL_TOLERANCE,
              PLAN_MAX_LAG_FRAMES,
              GOAL_TIMEOUT_STEPS)
          .errors(IngestException::new)
          .build();

  private final ConfigValues values;

  private IngestOptions(ConfigValues values) {
    this.values = values;
  }

  /** Every option of this module, in documentation order. */
  public static List<ConfigOption<?>> keys() {
    return GROUP.options();
  }

  public static IngestOptions defaults() {
    return GROUP.defaults();
  }

  public static ConfigBuilder<IngestOptions> builder() {
    return GROUP.builder();
  }

  /** A builder holding this instance's values. */
  public ConfigBuilder<IngestOptions> toBuilder() {
    return GROUP.builder(values);
  }

  /**
   * Options from {@code ingest.*}, {@code robot.*} and {@code kafka.bootstrap.servers}; other keys
   * are ignored, an unknown key with these prefixes or a bad value is an error naming the key.
   */
  public static IngestOptions fromMap(Map<String, String> values) {
    return GROUP.fromMap(values);
  }

  /** Options from environment variables such as {@code KAFKA_BOOTSTRAP_SERVERS}. */
  public static IngestOptions fromEnvironment(Map<String, String> env) {
    return GROUP.fromEnvironment(env);
  }

  /** The value of an option. */
  public <T> T get(ConfigOption<T> option) {
    return values.get(option);
  }

  /** Every option as key -> text, the form {@link #fromMap} reads. */
  public Map<String, String> toMap() {
    return values.asMap();
  }

  public String bootstrapServers() {
    return get(BOOTSTRAP_SERVERS);
  }

  public Compression compression() {
    return get(COMPRESSION);
  }

  public int lingerMs() {
    return (int) Math.min(Integer.MAX_VALUE, get(LINGER).toMillis());
  }

  public String clientId() {
    return get(CLIENT_ID);
  }

  public long progressIntervalMs() {
    return get(PROGRESS_INTERVAL).toMillis();
  }

  public float goalTolerance() {
    return get(GOAL_TOLERANCE);
  }

  public int planMaxLagFrames() {
    return get(PLAN_MAX_LAG_FRAMES);
  }

  public int goalTimeoutSteps() {
    return get(GOAL_TIMEOUT_STEPS);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IngestOptions other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "IngestOptions" + values;
  }
}
