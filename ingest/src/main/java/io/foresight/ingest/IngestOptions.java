package io.foresight.ingest;

import io.foresight.schemas.config.ConfigKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The typed options of the ingest module: where and how producers publish ({@code ingest.*}) and
 * how simulated robots follow plans ({@code robot.*}).
 *
 * <p>The same keys work from the command line, a properties file ({@link #fromMap}) and the
 * environment ({@link #fromEnvironment}: {@code ingest.bootstrap.servers} becomes {@code
 * INGEST_BOOTSTRAP_SERVERS}).
 *
 * <pre>{@code
 * IngestOptions o = IngestOptions.builder().bootstrapServers("localhost:9092").build();
 * try (FramePublisher p = FramePublisher.create(o)) { ... }
 * }</pre>
 */
public final class IngestOptions {

  public static final ConfigKey BOOTSTRAP_SERVERS =
      new ConfigKey("ingest.bootstrap.servers", "host:port,...", "localhost:9092", "Kafka brokers");
  public static final ConfigKey COMPRESSION =
      new ConfigKey(
          "ingest.compression",
          "auto|none|lz4|zstd|gzip|snappy",
          "auto",
          "Producer compression; auto = lz4 for raw frames and small records, none for JPEG/PNG");
  public static final ConfigKey LINGER_MS =
      new ConfigKey(
          "ingest.linger.ms", "int", "5", "Producer linger.ms: how long a batch waits to fill");
  public static final ConfigKey CLIENT_ID =
      new ConfigKey("ingest.client.id", "string", "foresight-ingest", "Kafka client.id prefix");
  public static final ConfigKey PROGRESS_INTERVAL_MS =
      new ConfigKey(
          "ingest.progress.interval.ms",
          "long",
          "5000",
          "How often long runs print progress (records sent, rate); 0 = never");
  public static final ConfigKey GOAL_TOLERANCE =
      new ConfigKey(
          "robot.goal.tolerance",
          "float",
          "4",
          "Distance in pixels under which a simulated robot has reached its goal");
  public static final ConfigKey PLAN_MAX_LAG_FRAMES =
      new ConfigKey(
          "robot.plan.max.lag.frames",
          "int",
          "5",
          "A plan is fresh while the robot's frame is at most this many frames past the frame the"
              + " plan was based on; older plans are ignored (no-op)");
  public static final ConfigKey GOAL_TIMEOUT_STEPS =
      new ConfigKey(
          "robot.goal.timeout.steps",
          "int",
          "300",
          "With random goals, a goal not reached within this many steps counts as failed and a new"
              + " one is set; 0 = never give up");

  private static final List<ConfigKey> KEYS =
      List.of(
          BOOTSTRAP_SERVERS,
          COMPRESSION,
          LINGER_MS,
          CLIENT_ID,
          PROGRESS_INTERVAL_MS,
          GOAL_TOLERANCE,
          PLAN_MAX_LAG_FRAMES,
          GOAL_TIMEOUT_STEPS);

  private final String bootstrapServers;
  private final Compression compression;
  private final int lingerMs;
  private final String clientId;
  private final long progressIntervalMs;
  private final float goalTolerance;
  private final int planMaxLagFrames;
  private final int goalTimeoutSteps;

  private IngestOptions(Builder b) {
    this.bootstrapServers = b.bootstrapServers;
    this.compression = b.compression;
    this.lingerMs = b.lingerMs;
    this.clientId = b.clientId;
    this.progressIntervalMs = b.progressIntervalMs;
    this.goalTolerance = b.goalTolerance;
    this.planMaxLagFrames = b.planMaxLagFrames;
    this.goalTimeoutSteps = b.goalTimeoutSteps;
  }

  /** Every option of this module, in documentation order. */
  public static List<ConfigKey> keys() {
    return KEYS;
  }

  public static IngestOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    toMap().forEach((k, v) -> b.set(key(k), v));
    return b;
  }

  /**
   * Options from {@code ingest.*} and {@code robot.*} keys; other keys are ignored, an unknown key
   * with these prefixes or a bad value is an error naming the key.
   */
  public static IngestOptions fromMap(Map<String, String> values) {
    Builder b = builder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("ingest.") || k.startsWith("robot.")) {
        b.set(key(k), e.getValue());
      }
    }
    return b.build();
  }

  /** Options from environment variables such as {@code INGEST_BOOTSTRAP_SERVERS}. */
  public static IngestOptions fromEnvironment(Map<String, String> env) {
    return fromMap(ConfigKey.fromEnvironment(KEYS, env));
  }

  private static ConfigKey key(String name) {
    for (ConfigKey k : KEYS) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    List<String> names = new ArrayList<>();
    KEYS.forEach(k -> names.add(k.name()));
    throw new IngestException("unknown option '" + name + "'; the ingest options are " + names);
  }

  /** Every option as key -> text, the form {@link #fromMap} reads. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(BOOTSTRAP_SERVERS.name(), bootstrapServers);
    m.put(COMPRESSION.name(), compression.name().toLowerCase(Locale.ROOT));
    m.put(LINGER_MS.name(), Integer.toString(lingerMs));
    m.put(CLIENT_ID.name(), clientId);
    m.put(PROGRESS_INTERVAL_MS.name(), Long.toString(progressIntervalMs));
    m.put(GOAL_TOLERANCE.name(), Float.toString(goalTolerance));
    m.put(PLAN_MAX_LAG_FRAMES.name(), Integer.toString(planMaxLagFrames));
    m.put(GOAL_TIMEOUT_STEPS.name(), Integer.toString(goalTimeoutSteps));
    return m;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Compression compression() {
    return compression;
  }

  public int lingerMs() {
    return lingerMs;
  }

  public String clientId() {
    return clientId;
  }

  public long progressIntervalMs() {
    return progressIntervalMs;
  }

  public float goalTolerance() {
    return goalTolerance;
  }

  public int planMaxLagFrames() {
    return planMaxLagFrames;
  }

  public int goalTimeoutSteps() {
    return goalTimeoutSteps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IngestOptions other && toMap().equals(other.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "IngestOptions" + toMap();
  }

  /** Builds {@link IngestOptions}; {@link #build()} checks every value. */
  public static final class Builder {
    private String bootstrapServers = "localhost:9092";
    private Compression compression = Compression.AUTO;
    private int lingerMs = 5;
    private String clientId = "foresight-ingest";
    private long progressIntervalMs = 5000;
    private float goalTolerance = 4f;
    private int planMaxLagFrames = 5;
    private int goalTimeoutSteps = 300;

    private Builder() {}

    /** Sets one option from its text form; the error names the key and the expected type. */
    public Builder set(ConfigKey key, String value) {
      String v = value == null ? "" : value.trim();
      try {
        switch (key.name()) {
          case "ingest.bootstrap.servers" -> bootstrapServers = v;
          case "ingest.compression" -> compression = Compression.parse(v);
          case "ingest.linger.ms" -> lingerMs = Integer.parseInt(v);
          case "ingest.client.id" -> clientId = v;
          case "ingest.progress.interval.ms" -> progressIntervalMs = Long.parseLong(v);
          case "robot.goal.tolerance" -> goalTolerance = Float.parseFloat(v);
          case "robot.plan.max.lag.frames" -> planMaxLagFrames = Integer.parseInt(v);
          case "robot.goal.timeout.steps" -> goalTimeoutSteps = Integer.parseInt(v);
          default -> throw new IngestException("unknown option '" + key.name() + "'");
        }
      } catch (IllegalArgumentException e) {
        throw new IngestException(
            "bad value '"
                + value
                + "' for "
                + key.name()
                + " (expected "
                + key.type()
                + "): "
                + e.getMessage(),
            e);
      }
      return this;
    }

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder compression(Compression compression) {
      this.compression = compression;
      return this;
    }

    public Builder lingerMs(int lingerMs) {
      this.lingerMs = lingerMs;
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    public Builder progressIntervalMs(long progressIntervalMs) {
      this.progressIntervalMs = progressIntervalMs;
      return this;
    }

    public Builder goalTolerance(float goalTolerance) {
      this.goalTolerance = goalTolerance;
      return this;
    }

    public Builder planMaxLagFrames(int planMaxLagFrames) {
      this.planMaxLagFrames = planMaxLagFrames;
      return this;
    }

    public Builder goalTimeoutSteps(int goalTimeoutSteps) {
      this.goalTimeoutSteps = goalTimeoutSteps;
      return this;
    }

    /** Checks every value and builds. */
    public IngestOptions build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IngestException(
            BOOTSTRAP_SERVERS.name()
                + " is empty; give the Kafka brokers as host:port[,host:port]");
      }
      if (compression == null) {
        throw new IngestException(COMPRESSION.name() + " is null");
      }
      if (lingerMs < 0) {
        throw new IngestException(LINGER_MS.name() + " must be >= 0, got " + lingerMs);
      }
      if (clientId == null || clientId.isBlank()) {
        throw new IngestException(CLIENT_ID.name() + " is empty");
      }
      if (progressIntervalMs < 0) {
        throw new IngestException(
            PROGRESS_INTERVAL_MS.name() + " must be >= 0, got " + progressIntervalMs);
      }
      if (!(goalTolerance > 0)) {
        throw new IngestException(GOAL_TOLERANCE.name() + " must be > 0, got " + goalTolerance);
      }
      if (planMaxLagFrames < 0) {
        throw new IngestException(
            PLAN_MAX_LAG_FRAMES.name() + " must be >= 0, got " + planMaxLagFrames);
      }
      if (goalTimeoutSteps < 0) {
        throw new IngestException(
            GOAL_TIMEOUT_STEPS.name() + " must be >= 0, got " + goalTimeoutSteps);
      }
      return new IngestOptions(this);
    }
  }
}
