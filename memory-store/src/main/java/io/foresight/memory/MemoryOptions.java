package io.foresight.memory;

import io.foresight.schemas.Topics;
import io.foresight.schemas.config.Check;
import io.foresight.schemas.config.ConfigBuilder;
import io.foresight.schemas.config.ConfigOption;
import io.foresight.schemas.config.ConfigOptions;
import io.foresight.schemas.config.ConfigValues;
import io.foresight.schemas.config.KafkaOptions;
import io.foresight.schemas.config.OptionGroup;
import io.foresight.schemas.config.ValueType;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The typed options of the memory store: Kafka, state directory, HTTP, retention and index
 * settings, each declared once below under a key such as {@code memory.http.port}.
 *
 * <p>The same keys work from the command line ({@code -o memory.retention.max.age=7d}), a
 * properties file ({@link #fromMap}) and the environment ({@link #fromEnvironment}: {@code
 * memory.http.port} becomes {@code MEMORY_HTTP_PORT}); see {@code docs/configuration.md}. Durations
 * are written {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code
 * PT30S}); 0 disables a limit. The kebab-case keys of earlier releases ({@code
 * memory.retention.max-age}) still work, with a warning.
 *
 * <pre>{@code
 * MemoryOptions options = MemoryOptions.builder()
 *     .set(MemoryOptions.BOOTSTRAP, "127.0.0.1:9092")
 *     .set(MemoryOptions.DIR, Path.of("/var/lib/foresight/memory"))
 *     .set(MemoryOptions.RETENTION_MAX_AGE, Duration.ofDays(7)).build();
 * }</pre>
 */
public final class MemoryOptions implements Serializable {
  private static final long serialVersionUID = 2L;

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
      throw new IllegalArgumentException("not at_least_once or exactly_once_v2");
    }
  }

  /** Latent sizes by model sha256: {@code <64 hex>=<size>,...}. */
  static final ValueType<Map<String, Integer>> MODEL_DIMS_TYPE =
      new ValueType<>("sha=n,...", MemoryOptions::parseDims, MemoryOptions::formatDims);

  /** The Kafka brokers (shared by every module; replaces {@code memory.bootstrap}). */
  public static final ConfigOption<String> BOOTSTRAP = KafkaOptions.BOOTSTRAP_SERVERS;

  public static final ConfigOption<String> APPLICATION_ID =
      ConfigOptions.key("memory.application.id")
          .stringType()
          .defaultValue("foresight-memory")
          .checking(Check.notBlank())
          .withDeprecatedKeys("memory.application-id")
          .withDescription(
              "Kafka Streams application id: the consumer group and the prefix of the changelog"
                  + " topics; instances with the same id share the partitions");
  public static final ConfigOption<Path> DIR =
      ConfigOptions.key("memory.dir")
          .pathType()
          .defaultValue(Path.of("memory-state"))
          .withDescription(
              "State directory: RocksDB stores and index snapshots (Kafka Streams' state.dir)");
  public static final ConfigOption<String> HTTP_HOST =
      ConfigOptions.key("memory.http.host")
          .stringType()
          .defaultValue("127.0.0.1")
          .checking(Check.notBlank())
          .withDescription("Address the HTTP API listens on");
  public static final ConfigOption<Integer> HTTP_PORT =
      ConfigOptions.key("memory.http.port")
          .intType()
          .defaultValue(8090)
          .checking(Check.between(0, 65535))
          .withDescription("Port of the HTTP API; 0 = any free port");
  public static final ConfigOption<String> HTTP_ADVERTISED_HOST =
      ConfigOptions.key("memory.http.advertised.host")
          .stringType()
          .defaultValue("")
          .withDeprecatedKeys("memory.http.advertised-host")
          .withDescription(
              "Host name other instances use to reach this one (Kafka Streams'"
                  + " application.server); empty = memory.http.host, or this host's name if that is"
                  + " 0.0.0.0");
  public static final ConfigOption<Integer> HTTP_THREADS =
      ConfigOptions.key("memory.http.threads")
          .intType()
          .defaultValue(4)
          .checking(Check.atLeast(1))
          .withDescription("Threads answering HTTP requests");
  public static final ConfigOption<ProcessingGuarantee> PROCESSING_GUARANTEE =
      ConfigOptions.key("memory.processing.guarantee")
          .type(ValueType.enumType(ProcessingGuarantee.class, ProcessingGuarantee::config))
          .defaultValue(ProcessingGuarantee.AT_LEAST_ONCE)
          .withDeprecatedKeys("memory.processing-guarantee")
          .withDescription("Kafka Streams processing.guarantee");
  public static final ConfigOption<Duration> COMMIT_INTERVAL =
      ConfigOptions.key("memory.commit.interval")
          .durationType()
          .defaultValue(Duration.ZERO)
          .checking(Check.nonNegativeDuration())
          .withDeprecatedKeys("memory.commit-interval")
          .withDescription(
              "Kafka Streams commit.interval.ms; 0 = Kafka's default (30s, or 100ms with"
                  + " exactly_once_v2)");
  public static final ConfigOption<Integer> FETCH_MIN_BYTES =
      ConfigOptions.key("memory.fetch.min.bytes")
          .intType()
          .defaultValue(65536)
          .checking(Check.between(1, 16 << 20))
          .withDeprecatedKeys("memory.fetch.min-bytes")
          .withDescription(
              "Consumer fetch.min.bytes: the broker answers a fetch once this much is there (or"
                  + " memory.fetch.max.wait has passed), so the stream thread handles batches"
                  + " instead of a few records per poll; 1 = Kafka's default, answer at once");
  public static final ConfigOption<Duration> FETCH_MAX_WAIT =
      ConfigOptions.key("memory.fetch.max.wait")
          .durationType()
          .defaultValue(Duration.ofMillis(100))
          .checking(Check.between(Duration.ofMillis(1), Duration.ofSeconds(30)))
          .withDeprecatedKeys("memory.fetch.max-wait")
          .withDescription(
              "Consumer fetch.max.wait.ms: longest a fetch waits for memory.fetch.min.bytes, i.e."
                  + " the most this adds to the time until a record is stored");
  public static final ConfigOption<Integer> STREAM_THREADS =
      ConfigOptions.key("memory.stream.threads")
          .intType()
          .defaultValue(1)
          .checking(Check.atLeast(1))
          .withDeprecatedKeys("memory.stream-threads")
          .withDescription("Kafka Streams stream threads");
  public static final ConfigOption<Integer> REPLICATION_FACTOR =
      ConfigOptions.key("memory.replication.factor")
          .intType()
          .defaultValue(-1)
          .checking(new Check<>("-1 or >= 1", n -> n.intValue() == -1 || n.intValue() >= 1))
          .withDeprecatedKeys("memory.replication-factor")
          .withDescription("Replication factor of the changelog topics; -1 = the broker's default");
  public static final ConfigOption<Integer> STANDBY_REPLICAS =
      ConfigOptions.key("memory.standby.replicas")
          .intType()
          .defaultValue(0)
          .checking(Check.nonNegative())
          .withDeprecatedKeys("memory.standby-replicas")
          .withDescription(
              "Standby copies of each task's stores on other instances (faster fail-over)");
  public static final ConfigOption<Duration> RETENTION_MAX_AGE =
      ConfigOptions.key("memory.retention.max.age")
          .durationType()
          .defaultValue(Duration.ZERO)
          .checking(Check.nonNegativeDuration())
          .withDeprecatedKeys("memory.retention.max-age")
          .withDescription(
              "Delete states older than this (by their time_us against the wall clock); 0 = keep");
  public static final ConfigOption<Long> RETENTION_MAX_COUNT =
      ConfigOptions.key("memory.retention.max.count")
          .longType()
          .defaultValue(0L)
          .checking(Check.nonNegative())
          .withDeprecatedKeys("memory.retention.max-count")
          .withDescription(
              "Keep at most this many states per stream and model, deleting the oldest; 0 = no"
                  + " limit");
  public static final ConfigOption<Duration> RETENTION_INTERVAL =
      ConfigOptions.key("memory.retention.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .checking(Check.atLeast(Duration.ofMillis(1)))
          .withDescription(
              "How often retention runs a slice (on the stream thread, between records)");
  public static final ConfigOption<Integer> RETENTION_SLICE =
      ConfigOptions.key("memory.retention.slice")
          .intType()
          .defaultValue(2000)
          .checking(Check.atLeast(1))
          .withDescription(
              "At most this many deletions per retention run, so ingest is never held up for"
                  + " long");
  public static final ConfigOption<Integer> INDEX_EXACT_THRESHOLD =
      ConfigOptions.key("memory.index.exact.threshold")
          .intType()
          .defaultValue(20000)
          .checking(Check.nonNegative())
          .withDeprecatedKeys("memory.index.exact-threshold")
          .withDescription(
              "Below this many latents of a model (per partition) nearest-neighbour search is"
                  + " exact brute force; from it on, an HNSW graph is built in the background");
  public static final ConfigOption<Integer> INDEX_M =
      ConfigOptions.key("memory.index.m")
          .intType()
          .defaultValue(16)
          .checking(Check.between(2, 128))
          .withDescription("HNSW links per node (twice that on the base layer)");
  public static final ConfigOption<Integer> INDEX_EF_CONSTRUCTION =
      ConfigOptions.key("memory.index.ef.construction")
          .intType()
          .defaultValue(100)
          .checking(Check.atLeast(1))
          .withDeprecatedKeys("memory.index.ef-construction")
          .withDescription("HNSW candidate list size when inserting (at least memory.index.m)");
  public static final ConfigOption<Integer> INDEX_EF_SEARCH =
      ConfigOptions.key("memory.index.ef.search")
          .intType()
          .defaultValue(64)
          .checking(Check.atLeast(1))
          .withDeprecatedKeys("memory.index.ef-search")
          .withDescription(
              "HNSW candidate list size when searching (at least k); higher = better recall,"
                  + " slower");
  public static final ConfigOption<Duration> INDEX_SNAPSHOT_INTERVAL =
      ConfigOptions.key("memory.index.snapshot.interval")
          .durationType()
          .defaultValue(Duration.ofMinutes(5))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedKeys("memory.index.snapshot-interval")
          .withDescription(
              "How often changed index graphs are written to the state directory (also on"
                  + " shutdown), so a restart does not rebuild them; 0 = only on shutdown");
  public static final ConfigOption<Duration> ACTION_MATCH_WINDOW =
      ConfigOptions.key("memory.actions.match.window")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedKeys("memory.actions.match-window")
          .withDescription(
              "How far around a transition's times to look for the action with its"
                  + " frame_sequence");
  public static final ConfigOption<Map<String, Integer>> MODEL_DIMS =
      ConfigOptions.key("memory.model.dims")
          .type(MODEL_DIMS_TYPE)
          .defaultValue(Map.of())
          .withDescription(
              "Expected latent size per model sha256; a latent of another size goes to the"
                  + " dead-letter topic. Without an entry, the first latent of a model in a"
                  + " partition fixes it");
  public static final ConfigOption<String> TOPIC_LATENTS =
      topic("latents", Topics.LATENTS, "Topic of LatentState records");
  public static final ConfigOption<String> TOPIC_ACTIONS =
      topic("actions", Topics.ACTIONS, "Topic of ActionCommand records");
  public static final ConfigOption<String> TOPIC_PREDICTIONS =
      topic("predictions", Topics.PREDICTIONS, "Topic of Prediction records");
  public static final ConfigOption<String> TOPIC_SURPRISE =
      topic("surprise", Topics.SURPRISE, "Topic of SurpriseEvent records");
  public static final ConfigOption<String> TOPIC_DEADLETTER =
      topic("deadletter", Topics.DEADLETTER, "Topic that receives records the memory cannot store");
  public static final ConfigOption<Boolean> CREATE_TOPICS =
      ConfigOptions.key("memory.topics.create")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Create missing input and dead-letter topics at start (with"
                  + " memory.topics.partitions); otherwise a missing topic stops the start with an"
                  + " error");
  public static final ConfigOption<Integer> TOPIC_PARTITIONS =
      ConfigOptions.key("memory.topics.partitions")
          .intType()
          .defaultValue(1)
          .checking(Check.atLeast(1))
          .withDescription("Partitions of topics created by memory.topics.create");

  /** Prefix of options passed through to Kafka Streams (and its clients) as they are. */
  public static final String KAFKA_PREFIX = "memory.kafka.";

  /** Every option, in documentation order. */
  public static final OptionGroup<MemoryOptions> GROUP =
      OptionGroup.builder("memory-store", MemoryOptions::new)
          .title("Memory store (`memory.*`)")
          .description(
              "The RocksDB memory server. Any Kafka Streams or client setting can be given as"
                  + " `memory.kafka.<setting>` (e.g. `memory.kafka.session.timeout.ms`); it is"
                  + " passed through as it is.")
          .prefixes("memory.")
          .passThrough(KAFKA_PREFIX)
          .options(
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
              TOPIC_PARTITIONS)
          .check(MemoryOptions::checkTogether)
          .errors(MemoryException::new)
          .build();

  private final ConfigValues values;

  private MemoryOptions(ConfigValues values) {
    this.values = values;
  }

  private static ConfigOption<String> topic(String name, String defaultTopic, String description) {
    return ConfigOptions.key("memory.topics." + name)
        .type(ValueType.STRING.named("topic"))
        .defaultValue(defaultTopic)
        .checking(Check.notBlank())
        .withDescription(description);
  }

  private static void checkTogether(ConfigValues v) {
    GROUP.require(
        v.get(INDEX_EF_CONSTRUCTION) >= v.get(INDEX_M),
        INDEX_EF_CONSTRUCTION,
        "("
            + v.get(INDEX_EF_CONSTRUCTION)
            + ") must be >= memory.index.m ("
            + v.get(INDEX_M)
            + ")");
  }

  /** Every option, in documentation order. */
  public static List<ConfigOption<?>> keys() {
    return GROUP.options();
  }

  /** The defaults. */
  public static MemoryOptions defaults() {
    return GROUP.defaults();
  }

  /** A builder with every option at its default. */
  public static ConfigBuilder<MemoryOptions> builder() {
    return GROUP.builder();
  }

  /**
   * Options from a map of keys to text values (a properties file); unknown {@code memory.*} keys
   * are refused with the closest known one, other keys are ignored.
   */
  public static MemoryOptions fromMap(Map<String, String> map) {
    return GROUP.fromMap(map);
  }

  /** Options from a properties object; see {@link #fromMap}. */
  public static MemoryOptions fromProperties(Properties p) {
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return fromMap(m);
  }

  /** Options from environment variables such as {@code MEMORY_HTTP_PORT}; others are ignored. */
  public static MemoryOptions fromEnvironment(Map<String, String> env) {
    return GROUP.fromEnvironment(env);
  }

  /** A builder holding this instance's values. */
  public ConfigBuilder<MemoryOptions> toBuilder() {
    return GROUP.builder(values);
  }

  /** The value of an option. */
  public <T> T get(ConfigOption<T> option) {
    return values.get(option);
  }

  /** Kafka Streams settings given as {@code memory.kafka.<setting>}, without the prefix. */
  public Map<String, String> kafkaOverrides() {
    Map<String, String> out = new LinkedHashMap<>();
    values.passThrough().forEach((k, v) -> out.put(k.substring(KAFKA_PREFIX.length()), v));
    return out;
  }

  /** Every option with its effective value, for logs. */
  public Map<String, String> asMap() {
    Map<String, String> out = new LinkedHashMap<>(values.asMap());
    out.putAll(values.passThrough());
    return out;
  }

  public String bootstrap() {
    return get(BOOTSTRAP);
  }

  public String applicationId() {
    return get(APPLICATION_ID);
  }

  public Path stateDir() {
    return get(DIR);
  }

  public String httpHost() {
    return get(HTTP_HOST);
  }

  public int httpPort() {
    return get(HTTP_PORT);
  }

  /** The host other instances should use to reach this one. */
  public String advertisedHost() {
    String h = get(HTTP_ADVERTISED_HOST);
    if (!h.isBlank()) {
      return h;
    }
    String bind = httpHost();
    if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
      return bind;
    }
    // listening on every interface: peers need a name that reaches this host, not loopback
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      throw new MemoryException(
          "memory.http.host is "
              + bind
              + " and this host's name cannot be resolved ("
              + e.getMessage()
              + "); set memory.http.advertised.host (MEMORY_HTTP_ADVERTISED_HOST) to the name"
              + " other instances reach this one by",
          e);
    }
  }

  public int httpThreads() {
    return get(HTTP_THREADS);
  }

  public ProcessingGuarantee processingGuarantee() {
    return get(PROCESSING_GUARANTEE);
  }

  public Duration commitInterval() {
    return get(COMMIT_INTERVAL);
  }

  public int fetchMinBytes() {
    return get(FETCH_MIN_BYTES);
  }

  public Duration fetchMaxWait() {
    return get(FETCH_MAX_WAIT);
  }

  public int streamThreads() {
    return get(STREAM_THREADS);
  }

  public int replicationFactor() {
    return get(REPLICATION_FACTOR);
  }

  public int standbyReplicas() {
    return get(STANDBY_REPLICAS);
  }

  public Duration retentionMaxAge() {
    return get(RETENTION_MAX_AGE);
  }

  public long retentionMaxCount() {
    return get(RETENTION_MAX_COUNT);
  }

  public Duration retentionInterval() {
    return get(RETENTION_INTERVAL);
  }

  public int retentionSlice() {
    return get(RETENTION_SLICE);
  }

  public int indexExactThreshold() {
    return get(INDEX_EXACT_THRESHOLD);
  }

  public int indexM() {
    return get(INDEX_M);
  }

  public int indexEfConstruction() {
    return get(INDEX_EF_CONSTRUCTION);
  }

  public int indexEfSearch() {
    return get(INDEX_EF_SEARCH);
  }

  public Duration indexSnapshotInterval() {
    return get(INDEX_SNAPSHOT_INTERVAL);
  }

  public Duration actionMatchWindow() {
    return get(ACTION_MATCH_WINDOW);
  }

  /** Expected latent sizes by model sha256 (lower case). */
  public Map<String, Integer> modelDims() {
    return get(MODEL_DIMS);
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
    return get(CREATE_TOPICS);
  }

  public int topicPartitions() {
    return get(TOPIC_PARTITIONS);
  }

  private static Map<String, Integer> parseDims(String v) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (v.isEmpty()) {
      return out;
    }
    for (String part : v.split(",")) {
      String[] kv = part.strip().split("=");
      if (kv.length != 2 || !kv[0].strip().matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(
            "each entry looks like <64 hex sha256>=<size>; got '" + part.strip() + "'");
      }
      try {
        out.put(kv[0].strip().toLowerCase(Locale.ROOT), Integer.parseInt(kv[1].strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + kv[1].strip() + "' is not a latent size");
      }
    }
    return out;
  }

  private static String formatDims(Map<String, Integer> dims) {
    return dims.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemoryOptions other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "MemoryOptions" + asMap();
  }
}
