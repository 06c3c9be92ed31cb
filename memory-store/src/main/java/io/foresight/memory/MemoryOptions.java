package io.foresight.memory;

import io.foresight.schemas.Topics;
import io.foresight.schemas.config.ConfigKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The typed options of the memory store: Kafka, state directory, HTTP, retention and index
 * settings, each under a key such as {@code memory.http.port}.
 *
 * <p>The same keys work from the command line ({@code -o memory.retention.max-age=7d}), a
 * properties file ({@link #fromMap}) and the environment ({@link #fromEnvironment}: {@code
 * memory.http.port} becomes {@code MEMORY_HTTP_PORT}). Durations are written {@code 500ms}, {@code
 * 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT30S}); 0 disables a limit.
 *
 * <pre>{@code
 * MemoryOptions options = MemoryOptions.builder()
 *     .bootstrap("127.0.0.1:9092").stateDir(Path.of("/var/lib/foresight/memory")).httpPort(8090)
 *     .retentionMaxAge(Duration.ofDays(7)).build();
 * }</pre>
 */
public final class MemoryOptions {
  /** Kafka's processing guarantee for the memory's Kafka Streams application. */
  public enum ProcessingGuarantee {
    /** Records may be processed twice after a crash; the memory stores them once anyway. */
    AT_LEAST_ONCE("at_least_once"),
    /** Kafka transactions: stores, changelogs, dead letters and offsets commit together. */
    EXACTLY_ONCE_V2("exactly_once_v2");

    private final String config;

    ProcessingGuarantee(String config) {
      this.config = config;
    }

    /** The value of Kafka Streams' {@code processing.guarantee}. */
    public String config() {
      return config;
    }

    /** Parses {@code at_least_once} or {@code exactly_once_v2} (case-insensitive). */
    public static ProcessingGuarantee parse(String s) {
      for (ProcessingGuarantee g : values()) {
        if (g.config.equalsIgnoreCase(s.strip()) || g.name().equalsIgnoreCase(s.strip())) {
          return g;
        }
      }
      throw new MemoryException(
          "memory.processing-guarantee must be at_least_once or exactly_once_v2, got '" + s + "'");
    }
  }

  public static final ConfigKey BOOTSTRAP =
      new ConfigKey(
          "memory.bootstrap", "host:port,...", "127.0.0.1:9092", "Kafka bootstrap servers");
  public static final ConfigKey APPLICATION_ID =
      new ConfigKey(
          "memory.application-id",
          "string",
          "foresight-memory",
          "Kafka Streams application id: the consumer group and the prefix of the changelog"
              + " topics; instances with the same id share the partitions");
  public static final ConfigKey DIR =
      new ConfigKey(
          "memory.dir",
          "path",
          "memory-state",
          "State directory: RocksDB stores and index snapshots (Kafka Streams' state.dir)");
  public static final ConfigKey HTTP_HOST =
      new ConfigKey("memory.http.host", "string", "127.0.0.1", "Address the HTTP API listens on");
  public static final ConfigKey HTTP_PORT =
      new ConfigKey("memory.http.port", "int", "8090", "Port of the HTTP API; 0 = any free port");
  public static final ConfigKey HTTP_ADVERTISED_HOST =
      new ConfigKey(
          "memory.http.advertised-host",
          "string",
          "",
          "Host name other instances use to reach this one (Kafka Streams' application.server);"
              + " empty = memory.http.host, or 127.0.0.1 if that is 0.0.0.0");
  public static final ConfigKey HTTP_THREADS =
      new ConfigKey("memory.http.threads", "int", "4", "Threads answering HTTP requests");
  public static final ConfigKey PROCESSING_GUARANTEE =
      new ConfigKey(
          "memory.processing-guarantee",
          "at_least_once|exactly_once_v2",
          "at_least_once",
          "Kafka Streams processing.guarantee");
  public static final ConfigKey COMMIT_INTERVAL =
      new ConfigKey(
          "memory.commit-interval",
          "duration",
          "0",
          "Kafka Streams commit.interval.ms; 0 = Kafka's default (30s, or 100ms with"
              + " exactly_once_v2)");
  public static final ConfigKey FETCH_MIN_BYTES =
      new ConfigKey(
          "memory.fetch.min-bytes",
          "int",
          "65536",
          "Consumer fetch.min.bytes: the broker answers a fetch once this much is there (or"
              + " memory.fetch.max-wait has passed), so the stream thread handles batches instead of"
              + " a few records per poll; 1 = Kafka's default, answer at once");
  public static final ConfigKey FETCH_MAX_WAIT =
      new ConfigKey(
          "memory.fetch.max-wait",
          "duration",
          "100ms",
          "Consumer fetch.max.wait.ms: longest a fetch waits for memory.fetch.min-bytes, i.e. the"
              + " most this adds to the time until a record is stored (at least 1ms)");
  public static final ConfigKey STREAM_THREADS =
      new ConfigKey("memory.stream-threads", "int", "1", "Kafka Streams stream threads");
  public static final ConfigKey REPLICATION_FACTOR =
      new ConfigKey(
          "memory.replication-factor",
          "int",
          "-1",
          "Replication factor of the changelog topics; -1 = the broker's default");
  public static final ConfigKey STANDBY_REPLICAS =
      new ConfigKey(
          "memory.standby-replicas",
          "int",
          "0",
          "Standby copies of each task's stores on other instances (faster fail-over)");
  public static final ConfigKey RETENTION_MAX_AGE =
      new ConfigKey(
          "memory.retention.max-age",
          "duration",
          "0",
          "Delete states older than this (by their time_us against the wall clock); 0 = keep");
  public static final ConfigKey RETENTION_MAX_COUNT =
      new ConfigKey(
          "memory.retention.max-count",
          "long",
          "0",
          "Keep at most this many states per stream and model, deleting the oldest; 0 = no limit");
  public static final ConfigKey RETENTION_INTERVAL =
      new ConfigKey(
          "memory.retention.interval",
          "duration",
          "1s",
          "How often retention runs a slice (on the stream thread, between records)");
  public static final ConfigKey RETENTION_SLICE =
      new ConfigKey(
          "memory.retention.slice",
          "int",
          "2000",
          "At most this many deletions per retention run, so ingest is never held up for long");
  public static final ConfigKey INDEX_EXACT_THRESHOLD =
      new ConfigKey(
          "memory.index.exact-threshold",
          "int",
          "20000",
          "Below this many latents of a model (per partition) nearest-neighbour search is exact"
              + " brute force; from it on, an HNSW graph is built in the background");
  public static final ConfigKey INDEX_M =
      new ConfigKey(
          "memory.index.m", "int", "16", "HNSW links per node (twice that on the base layer)");
  public static final ConfigKey INDEX_EF_CONSTRUCTION =
      new ConfigKey(
          "memory.index.ef-construction", "int", "100", "HNSW candidate list size when inserting");
  public static final ConfigKey INDEX_EF_SEARCH =
      new ConfigKey(
          "memory.index.ef-search",
          "int",
          "64",
          "HNSW candidate list size when searching (at least k); higher = better recall, slower");
  public static final ConfigKey INDEX_SNAPSHOT_INTERVAL =
      new ConfigKey(
          "memory.index.snapshot-interval",
          "duration",
          "5m",
          "How often changed index graphs are written to the state directory (also on shutdown),"
              + " so a restart does not rebuild them; 0 = only on shutdown");
  public static final ConfigKey ACTION_MATCH_WINDOW =
      new ConfigKey(
          "memory.actions.match-window",
          "duration",
          "10s",
          "How far around a transition's times to look for the action with its frame_sequence");
  public static final ConfigKey MODEL_DIMS =
      new ConfigKey(
          "memory.model.dims",
          "sha=n,...",
          "",
          "Expected latent size per model sha256; a latent of another size goes to the dead-letter"
              + " topic. Without an entry, the first latent of a model in a partition fixes it");
  public static final ConfigKey TOPIC_LATENTS =
      new ConfigKey(
          "memory.topics.latents", "topic", Topics.LATENTS, "Topic of LatentState records");
  public static final ConfigKey TOPIC_ACTIONS =
      new ConfigKey(
          "memory.topics.actions", "topic", Topics.ACTIONS, "Topic of ActionCommand records");
  public static final ConfigKey TOPIC_PREDICTIONS =
      new ConfigKey(
          "memory.topics.predictions", "topic", Topics.PREDICTIONS, "Topic of Prediction records");
  public static final ConfigKey TOPIC_SURPRISE =
      new ConfigKey(
          "memory.topics.surprise", "topic", Topics.SURPRISE, "Topic of SurpriseEvent records");
  public static final ConfigKey TOPIC_DEADLETTER =
      new ConfigKey(
          "memory.topics.deadletter",
          "topic",
          Topics.DEADLETTER,
          "Topic that receives records the memory cannot store");
  public static final ConfigKey CREATE_TOPICS =
      new ConfigKey(
          "memory.topics.create",
          "boolean",
          "false",
          "Create missing input and dead-letter topics at start (with memory.topics.partitions);"
              + " otherwise a missing topic stops the start with an error");
  public static final ConfigKey TOPIC_PARTITIONS =
      new ConfigKey(
          "memory.topics.partitions",
          "int",
          "1",
          "Partitions of topics created by memory.topics.create");

  private static final List<ConfigKey> KEYS =
      List.of(
          BOOTSTRAP,
          APPLICATION_ID,
          DIR,
          HTTP_HOST,
          HTTP_PORT,
          HTTP_ADVERTISED_HOST,
          HTTP_THREADS,
          PROCESSING_GUARANTEE,
          COMMIT_INTERVAL,
          FETCH_MIN_BYTES,
          FETCH_MAX_WAIT,
          STREAM_THREADS,
          REPLICATION_FACTOR,
          STANDBY_REPLICAS,
          RETENTION_MAX_AGE,
          RETENTION_MAX_COUNT,
          RETENTION_INTERVAL,
          RETENTION_SLICE,
          INDEX_EXACT_THRESHOLD,
          INDEX_M,
          INDEX_EF_CONSTRUCTION,
          INDEX_EF_SEARCH,
          INDEX_SNAPSHOT_INTERVAL,
          ACTION_MATCH_WINDOW,
          MODEL_DIMS,
          TOPIC_LATENTS,
          TOPIC_ACTIONS,
          TOPIC_PREDICTIONS,
          TOPIC_SURPRISE,
          TOPIC_DEADLETTER,
          CREATE_TOPICS,
          TOPIC_PARTITIONS);

  /** Prefix of options passed through to Kafka Streams (and its clients) as they are. */
  public static final String KAFKA_PREFIX = "memory.kafka.";

  private final Map<String, String> values;

  private MemoryOptions(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Every option, in documentation order. */
  public static List<ConfigKey> keys() {
    return KEYS;
  }

  /** The defaults. */
  public static MemoryOptions defaults() {
    return builder().build();
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Options from a map of keys to text values (a properties file); unknown {@code memory.*} keys
   * are refused with the list of known ones, other keys are ignored.
   */
  public static MemoryOptions fromMap(Map<String, String> map) {
    return builder().setAll(map).build();
  }

  /** Options from a properties object; see {@link #fromMap}. */
  public static MemoryOptions fromProperties(Properties p) {
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return fromMap(m);
  }

  /** Options from environment variables such as {@code MEMORY_HTTP_PORT}; others are ignored. */
  public static MemoryOptions fromEnvironment(Map<String, String> env) {
    return builder().setEnvironment(env).build();
  }

  /** A builder holding this instance's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    return b;
  }

  /** The text value of an option (its default if unset). */
  public String get(ConfigKey key) {
    return values.getOrDefault(key.name(), key.defaultValue());
  }

  /** Kafka Streams settings given as {@code memory.kafka.<setting>}, without the prefix. */
  public Map<String, String> kafkaOverrides() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_PREFIX)) {
            out.put(k.substring(KAFKA_PREFIX.length()), v);
          }
        });
    return out;
  }

  /** Every option with its effective value, for logs. */
  public Map<String, String> asMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (ConfigKey k : KEYS) {
      out.put(k.name(), get(k));
    }
    kafkaOverrides().forEach((k, v) -> out.put(KAFKA_PREFIX + k, v));
    return out;
  }

  public String bootstrap() {
    return get(BOOTSTRAP);
  }

  public String applicationId() {
    return get(APPLICATION_ID);
  }

  public Path stateDir() {
    return Path.of(get(DIR));
  }

  public String httpHost() {
    return get(HTTP_HOST);
  }

  public int httpPort() {
    return intValue(HTTP_PORT);
  }

  /** The host other instances should use to reach this one. */
  public String advertisedHost() {
    String h = get(HTTP_ADVERTISED_HOST);
    if (!h.isBlank()) {
      return h;
    }
    String bind = httpHost();
    return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
  }

  public int httpThreads() {
    return intValue(HTTP_THREADS);
  }

  public ProcessingGuarantee processingGuarantee() {
    return ProcessingGuarantee.parse(get(PROCESSING_GUARANTEE));
  }

  public Duration commitInterval() {
    return durationValue(COMMIT_INTERVAL);
  }

  public int fetchMinBytes() {
    return intValue(FETCH_MIN_BYTES);
  }

  public Duration fetchMaxWait() {
    return durationValue(FETCH_MAX_WAIT);
  }

  public int streamThreads() {
    return intValue(STREAM_THREADS);
  }

  public int replicationFactor() {
    return intValue(REPLICATION_FACTOR);
  }

  public int standbyReplicas() {
    return intValue(STANDBY_REPLICAS);
  }

  public Duration retentionMaxAge() {
    return durationValue(RETENTION_MAX_AGE);
  }

  public long retentionMaxCount() {
    return longValue(RETENTION_MAX_COUNT);
  }

  public Duration retentionInterval() {
    return durationValue(RETENTION_INTERVAL);
  }

  public int retentionSlice() {
    return intValue(RETENTION_SLICE);
  }

  public int indexExactThreshold() {
    return intValue(INDEX_EXACT_THRESHOLD);
  }

  public int indexM() {
    return intValue(INDEX_M);
  }

  public int indexEfConstruction() {
    return intValue(INDEX_EF_CONSTRUCTION);
  }

  public int indexEfSearch() {
    return intValue(INDEX_EF_SEARCH);
  }

  public Duration indexSnapshotInterval() {
    return durationValue(INDEX_SNAPSHOT_INTERVAL);
  }

  public Duration actionMatchWindow() {
    return durationValue(ACTION_MATCH_WINDOW);
  }

  /** Expected latent sizes by model sha256 (lower case). */
  public Map<String, Integer> modelDims() {
    Map<String, Integer> out = new LinkedHashMap<>();
    String v = get(MODEL_DIMS).strip();
    if (v.isEmpty()) {
      return out;
    }
    for (String part : v.split(",")) {
      String[] kv = part.strip().split("=");
      if (kv.length != 2 || !kv[0].strip().matches("[0-9a-fA-F]{64}")) {
        throw new MemoryException(
            MODEL_DIMS.name()
                + " must look like <64 hex sha256>=<size>,...; got '"
                + part.strip()
                + "'");
      }
      try {
        out.put(kv[0].strip().toLowerCase(Locale.ROOT), Integer.parseInt(kv[1].strip()));
      } catch (NumberFormatException e) {
        throw new MemoryException(
            MODEL_DIMS.name() + ": '" + kv[1].strip() + "' is not a latent size", e);
      }
    }
    return out;
  }

  public String latentsTopic() {
    return get(TOPIC_LATENTS);
  }

  public String actionsTopic() {
    return get(TOPIC_ACTIONS);
  }

  public String predictionsTopic() {
    return get(TOPIC_PREDICTIONS);
  }

  public String surpriseTopic() {
    return get(TOPIC_SURPRISE);
  }

  public String deadLetterTopic() {
    return get(TOPIC_DEADLETTER);
  }

  public boolean createTopics() {
    return Boolean.parseBoolean(get(CREATE_TOPICS).strip());
  }

  public int topicPartitions() {
    return intValue(TOPIC_PARTITIONS);
  }

  private int intValue(ConfigKey k) {
    return (int) parseLong(k, get(k));
  }

  private long longValue(ConfigKey k) {
    return parseLong(k, get(k));
  }

  private Duration durationValue(ConfigKey k) {
    return parseDuration(k, get(k));
  }

  private static long parseLong(ConfigKey k, String v) {
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new MemoryException(
          k.name() + " must be " + k.type() + " (" + k.description() + "), got '" + v + "'", e);
    }
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, ISO-8601, or 0. */
  public static Duration parseDuration(ConfigKey k, String text) {
    String v = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.equals("0")) {
        return Duration.ZERO;
      }
      if (v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        case 'd':
          return Duration.ofDays(n);
        default:
          break;
      }
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      // fall through to the message below
    }
    throw new MemoryException(
        k.name()
            + " must be a duration like 500ms, 30s, 5m, 2h, 7d or PT30S (0 = off), got '"
            + text
            + "'");
  }

  /** Builds {@link MemoryOptions}, validating every value in {@link #build()}. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets an option by key; an unknown {@code memory.*} key is refused. Keys under {@code
     * memory.kafka.} pass through to Kafka Streams without that prefix (e.g. {@code
     * memory.kafka.session.timeout.ms}).
     */
    public Builder set(String key, String value) {
      if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()) {
        if (value == null) {
          values.remove(key);
        } else {
          values.put(key, value);
        }
        return this;
      }
      ConfigKey k = find(key);
      if (value == null) {
        values.remove(k.name());
      } else {
        values.put(k.name(), value);
      }
      return this;
    }

    /** Sets an option. */
    public Builder set(ConfigKey key, String value) {
      return set(key.name(), value);
    }

    /** Sets every {@code memory.*} entry of {@code map}; other keys are ignored. */
    public Builder setAll(Map<String, String> map) {
      map.forEach(
          (k, v) -> {
            if (k.startsWith("memory.")) {
              set(k, v);
            }
          });
      return this;
    }

    /** Sets every option whose environment variable is present in {@code env}. */
    public Builder setEnvironment(Map<String, String> env) {
      for (ConfigKey k : KEYS) {
        String v = env.get(k.envName());
        if (v != null) {
          values.put(k.name(), v);
        }
      }
      return this;
    }

    public Builder bootstrap(String servers) {
      return set(BOOTSTRAP, servers);
    }

    public Builder applicationId(String id) {
      return set(APPLICATION_ID, id);
    }

    public Builder stateDir(Path dir) {
      return set(DIR, dir.toString());
    }

    public Builder httpHost(String host) {
      return set(HTTP_HOST, host);
    }

    public Builder httpPort(int port) {
      return set(HTTP_PORT, Integer.toString(port));
    }

    public Builder processingGuarantee(ProcessingGuarantee g) {
      return set(PROCESSING_GUARANTEE, g.config());
    }

    public Builder commitInterval(Duration d) {
      return set(COMMIT_INTERVAL, d.toMillis() + "ms");
    }

    public Builder retentionMaxAge(Duration d) {
      return set(RETENTION_MAX_AGE, d.toMillis() + "ms");
    }

    public Builder retentionMaxCount(long n) {
      return set(RETENTION_MAX_COUNT, Long.toString(n));
    }

    public Builder retentionInterval(Duration d) {
      return set(RETENTION_INTERVAL, d.toMillis() + "ms");
    }

    public Builder indexExactThreshold(int n) {
      return set(INDEX_EXACT_THRESHOLD, Integer.toString(n));
    }

    public Builder createTopics(boolean create) {
      return set(CREATE_TOPICS, Boolean.toString(create));
    }

    private static ConfigKey find(String name) {
      for (ConfigKey k : KEYS) {
        if (k.name().equals(name)) {
          return k;
        }
      }
      List<String> known = new ArrayList<>();
      KEYS.forEach(k -> known.add(k.name()));
      throw new MemoryException("unknown option '" + name + "'; known options: " + known);
    }

    /** Validates every value and builds the options. */
    public MemoryOptions build() {
      MemoryOptions o = new MemoryOptions(values);
      require(!o.bootstrap().isBlank(), BOOTSTRAP, "must not be empty");
      require(!o.applicationId().isBlank(), APPLICATION_ID, "must not be empty");
      require(!o.get(DIR).isBlank(), DIR, "must not be empty");
      require(o.httpPort() >= 0 && o.httpPort() <= 65535, HTTP_PORT, "must be in [0, 65535]");
      require(o.httpThreads() >= 1, HTTP_THREADS, "must be >= 1");
      o.processingGuarantee();
      require(!o.commitInterval().isNegative(), COMMIT_INTERVAL, "must not be negative");
      require(
          o.fetchMinBytes() >= 1 && o.fetchMinBytes() <= 16 << 20,
          FETCH_MIN_BYTES,
          "must be in [1, 16777216]");
      require(
          o.fetchMaxWait().toMillis() >= 1 && o.fetchMaxWait().toMillis() <= 30_000,
          FETCH_MAX_WAIT,
          "must be between 1ms and 30s");
      require(o.streamThreads() >= 1, STREAM_THREADS, "must be >= 1");
      require(
          o.replicationFactor() == -1 || o.replicationFactor() >= 1,
          REPLICATION_FACTOR,
          "must be -1 or >= 1");
      require(o.standbyReplicas() >= 0, STANDBY_REPLICAS, "must be >= 0");
      require(!o.retentionMaxAge().isNegative(), RETENTION_MAX_AGE, "must not be negative");
      require(o.retentionMaxCount() >= 0, RETENTION_MAX_COUNT, "must be >= 0");
      require(o.retentionInterval().toMillis() >= 1, RETENTION_INTERVAL, "must be at least 1ms");
      require(o.retentionSlice() >= 1, RETENTION_SLICE, "must be >= 1");
      require(o.indexExactThreshold() >= 0, INDEX_EXACT_THRESHOLD, "must be >= 0");
      require(o.indexM() >= 2 && o.indexM() <= 128, INDEX_M, "must be in [2, 128]");
      require(
          o.indexEfConstruction() >= o.indexM(),
          INDEX_EF_CONSTRUCTION,
          "must be >= memory.index.m");
      require(o.indexEfSearch() >= 1, INDEX_EF_SEARCH, "must be >= 1");
      require(
          !o.indexSnapshotInterval().isNegative(), INDEX_SNAPSHOT_INTERVAL, "must not be negative");
      require(!o.actionMatchWindow().isNegative(), ACTION_MATCH_WINDOW, "must not be negative");
      o.modelDims();
      for (ConfigKey t :
          List.of(
              TOPIC_LATENTS, TOPIC_ACTIONS, TOPIC_PREDICTIONS, TOPIC_SURPRISE, TOPIC_DEADLETTER)) {
        require(!o.get(t).isBlank(), t, "must not be empty");
      }
      String create = o.get(CREATE_TOPICS).strip();
      require(
          create.equalsIgnoreCase("true") || create.equalsIgnoreCase("false"),
          CREATE_TOPICS,
          "must be true or false");
      require(o.topicPartitions() >= 1, TOPIC_PARTITIONS, "must be >= 1");
      return o;
    }

    private static void require(boolean ok, ConfigKey k, String what) {
      if (!ok) {
        throw new MemoryException(k.name() + " " + what + " (" + k.description() + ")");
      }
    }
  }

  @Override
  public String toString() {
    return "MemoryOptions" + asMap();
  }
}
