package io.foresight.memory.cli;

import io.foresight.memory.MemoryException;
import io.foresight.memory.MemoryOptions;
import io.foresight.memory.MemoryService;
import io.foresight.schemas.config.ConfigException;
import io.foresight.schemas.config.ConfigOption;
import io.foresight.schemas.config.ConfigReader;
import io.foresight.schemas.config.ValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight memory serve}: runs the memory store (Kafka Streams application plus HTTP API)
 * until it is stopped (SIGINT/SIGTERM closes it cleanly) or fails. Prints one line starting with
 * {@code foresight-memory ready url=} on standard output once the HTTP API is up and Kafka Streams
 * is RUNNING.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the memory store: consumes latents, actions, predictions and surprise into RocksDB and"
          + " answers the HTTP JSON API.",
      "Options come, in increasing precedence, from defaults, MEMORY_* environment variables,"
          + " --config, -o key=value and the flags below."
    })
public final class MemoryServeCommand implements Callable<Integer> {
  /** The prefix of the line printed when the memory is ready. */
  public static final String READY = "foresight-memory ready";

  @Option(names = "--bootstrap", description = "Kafka bootstrap servers (kafka.bootstrap.servers).")
  String bootstrap;

  @Option(names = "--state-dir", description = "State directory (memory.dir).")
  Path stateDir;

  @Option(names = "--http-port", description = "HTTP port, 0 = any free one (memory.http.port).")
  Integer httpPort;

  @Option(names = "--http-host", description = "HTTP bind address (memory.http.host).")
  String httpHost;

  @Option(
      names = "--advertised-host",
      description = "Host other instances use to reach this one (memory.http.advertised.host).")
  String advertisedHost;

  @Option(
      names = "--application-id",
      description = "Kafka Streams application id (memory.application.id).")
  String applicationId;

  @Option(
      names = "--processing-guarantee",
      description = "at_least_once or exactly_once_v2 (memory.processing.guarantee).")
  String processingGuarantee;

  @Option(
      names = "--retention-max-age",
      description = "Delete states older than this, e.g. 7d (memory.retention.max.age).")
  String retentionMaxAge;

  @Option(
      names = "--retention-max-count",
      description = "Keep at most N states per stream and model (memory.retention.max.count).")
  Long retentionMaxCount;

  @Option(
      names = "--retention-interval",
      description = "How often a retention slice runs (memory.retention.interval).")
  String retentionInterval;

  @Option(names = "--create-topics", description = "Create missing topics (memory.topics.create).")
  Boolean createTopics;

  @Option(
      names = "--partitions",
      description = "Partitions of created topics (memory.topics.partitions).")
  Integer partitions;

  @Option(names = "--config", description = "A properties file of memory.* options.")
  Path config;

  @Option(
      names = {"-o", "--option"},
      description = "Any option as key=value, e.g. -o memory.index.ef.search=128 (repeatable).")
  Map<String, String> extra = new LinkedHashMap<>();

  @Option(
      names = "--ready-timeout",
      defaultValue = "300s",
      description =
          "Give up if the memory is not RUNNING after this long (default ${DEFAULT-VALUE}).")
  String readyTimeout;

  /** The options: defaults, config file, environment, then -o and these flags. */
  MemoryOptions options() {
    Map<String, String> overrides = new LinkedHashMap<>(extra);
    put(overrides, MemoryOptions.BOOTSTRAP, bootstrap);
    put(overrides, MemoryOptions.DIR, stateDir);
    put(overrides, MemoryOptions.HTTP_PORT, httpPort);
    put(overrides, MemoryOptions.HTTP_HOST, httpHost);
    put(overrides, MemoryOptions.HTTP_ADVERTISED_HOST, advertisedHost);
    put(overrides, MemoryOptions.APPLICATION_ID, applicationId);
    put(overrides, MemoryOptions.PROCESSING_GUARANTEE, processingGuarantee);
    put(overrides, MemoryOptions.RETENTION_MAX_AGE, retentionMaxAge);
    put(overrides, MemoryOptions.RETENTION_MAX_COUNT, retentionMaxCount);
    put(overrides, MemoryOptions.RETENTION_INTERVAL, retentionInterval);
    put(overrides, MemoryOptions.CREATE_TOPICS, createTopics);
    put(overrides, MemoryOptions.TOPIC_PARTITIONS, partitions);
    return ConfigReader.of(config, System.getenv(), overrides).read(MemoryOptions.GROUP);
  }

  private Duration readyTimeout() {
    try {
      return ValueType.DURATION.parse(readyTimeout);
    } catch (IllegalArgumentException e) {
      throw new MemoryException(
          "--ready-timeout must be a duration like 300s, got '"
              + readyTimeout
              + "' ("
              + e.getMessage()
              + ")");
    }
  }

  private static void put(Map<String, String> m, ConfigOption<?> k, Object v) {
    if (v != null) {
      m.put(k.key(), v.toString());
    }
  }

  @Override
  public Integer call() throws Exception {
    MemoryOptions options;
    Duration timeout;
    try {
      options = options();
      timeout = readyTimeout();
    } catch (MemoryException | ConfigException e) {
      System.err.println("memory serve: " + e.getMessage());
      return 2;
    }
    MemoryService service;
    try {
      service = MemoryService.start(options);
    } catch (MemoryException e) {
      System.err.println("memory serve: " + e.getMessage());
      return 1;
    }
    Thread hook = new Thread(service::close, "foresight-memory-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (!service.awaitRunning(timeout)) {
        System.err.println(
            "memory serve: Kafka Streams is not RUNNING after "
                + timeout
                + " (state "
                + service.state()
                + "); giving up");
        return 1;
      }
    } catch (MemoryException e) {
      System.err.println("memory serve: " + e.getMessage());
      return 1;
    }
    System.out.println(
        READY
            + " url="
            + service.url()
            + " application-id="
            + options.applicationId()
            + " state-dir="
            + options.stateDir().toAbsolutePath());
    System.out.flush();
    service.awaitTermination();
    return service.hasFailed()
            && service.state() != org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING
        ? 1
        : 0;
  }
}
