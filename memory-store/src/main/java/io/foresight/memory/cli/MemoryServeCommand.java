package io.foresight.memory.cli;

import io.foresight.memory.MemoryException;
import io.foresight.memory.MemoryOptions;
import io.foresight.memory.MemoryService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
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

  @Option(names = "--bootstrap", description = "Kafka bootstrap servers (memory.bootstrap).")
  String bootstrap;

  @Option(names = "--state-dir", description = "State directory (memory.dir).")
  Path stateDir;

  @Option(names = "--http-port", description = "HTTP port, 0 = any free one (memory.http.port).")
  Integer httpPort;

  @Option(names = "--http-host", description = "HTTP bind address (memory.http.host).")
  String httpHost;

  @Option(
      names = "--advertised-host",
      description = "Host other instances use to reach this one (memory.http.advertised-host).")
  String advertisedHost;

  @Option(
      names = "--application-id",
      description = "Kafka Streams application id (memory.application-id).")
  String applicationId;

  @Option(
      names = "--processing-guarantee",
      description = "at_least_once or exactly_once_v2 (memory.processing-guarantee).")
  String processingGuarantee;

  @Option(
      names = "--retention-max-age",
      description = "Delete states older than this, e.g. 7d (memory.retention.max-age).")
  String retentionMaxAge;

  @Option(
      names = "--retention-max-count",
      description = "Keep at most N states per stream and model (memory.retention.max-count).")
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
      description = "Any option as key=value, e.g. -o memory.index.ef-search=128 (repeatable).")
  Map<String, String> extra = new LinkedHashMap<>();

  @Option(
      names = "--ready-timeout",
      defaultValue = "300s",
      description =
          "Give up if the memory is not RUNNING after this long (default ${DEFAULT-VALUE}).")
  String readyTimeout;

  /** The options from environment, config file, -o and flags. */
  MemoryOptions options() {
    MemoryOptions.Builder b = MemoryOptions.builder().setEnvironment(System.getenv());
    if (config != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(config)) {
        p.load(in);
      } catch (IOException e) {
        throw new MemoryException("cannot read the config file " + config + ": " + e, e);
      }
      p.stringPropertyNames().forEach(k -> b.set(k, p.getProperty(k)));
    }
    extra.forEach(b::set);
    set(b, MemoryOptions.BOOTSTRAP, bootstrap);
    set(b, MemoryOptions.DIR, stateDir);
    set(b, MemoryOptions.HTTP_PORT, httpPort);
    set(b, MemoryOptions.HTTP_HOST, httpHost);
    set(b, MemoryOptions.HTTP_ADVERTISED_HOST, advertisedHost);
    set(b, MemoryOptions.APPLICATION_ID, applicationId);
    set(b, MemoryOptions.PROCESSING_GUARANTEE, processingGuarantee);
    set(b, MemoryOptions.RETENTION_MAX_AGE, retentionMaxAge);
    set(b, MemoryOptions.RETENTION_MAX_COUNT, retentionMaxCount);
    set(b, MemoryOptions.RETENTION_INTERVAL, retentionInterval);
    set(b, MemoryOptions.CREATE_TOPICS, createTopics);
    set(b, MemoryOptions.TOPIC_PARTITIONS, partitions);
    return b.build();
  }

  private static void set(
      MemoryOptions.Builder b, io.foresight.schemas.config.ConfigKey k, Object v) {
    if (v != null) {
      b.set(k, v.toString());
    }
  }

  @Override
  public Integer call() throws Exception {
    MemoryOptions options;
    Duration timeout;
    try {
      options = options();
      timeout =
          MemoryOptions.parseDuration(
              new io.foresight.schemas.config.ConfigKey(
                  "--ready-timeout", "duration", "300s", "ready timeout"),
              readyTimeout);
    } catch (MemoryException e) {
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
