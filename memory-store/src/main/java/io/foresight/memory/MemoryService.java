package io.foresight.memory;

import io.foresight.memory.internal.HttpApi;
import io.foresight.memory.internal.LocalMemory;
import io.foresight.memory.internal.MemoryQueries;
import io.foresight.memory.internal.MemoryTopology;
import io.foresight.schemas.KafkaLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory store service: a Kafka Streams application that materializes latents, actions and
 * surprise into RocksDB, plus its HTTP query API. Runs in its own JVM (never on the Flink job's
 * classpath); several instances with the same application id share the partitions and answer for
 * all keys.
 *
 * <pre>{@code
 * try (MemoryService memory = MemoryService.start(options)) {
 *   memory.awaitRunning(Duration.ofSeconds(60));
 *   System.out.println("query me at " + memory.url());
 * }
 * }</pre>
 */
public final class MemoryService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryService.class);

  private final MemoryOptions options;
  private final LocalMemory memory;
  private final HttpApi http;
  private final KafkaStreams streams;
  private final HostInfo self;
  private final CountDownLatch running = new CountDownLatch(1);
  private final CountDownLatch failed = new CountDownLatch(1);
  private volatile Throwable failure;

  private MemoryService(MemoryOptions options) {
    this.options = options;
    checkTopics(options);
    memory = LocalMemory.of(options, options.indexSnapshotInterval());
    KafkaStreams[] holder = new KafkaStreams[1];
    MemoryQueries queries =
        new MemoryQueries(
            memory,
            name ->
                holder[0].store(
                    StoreQueryParameters.fromNameAndType(
                        name,
                        QueryableStoreTypes
                            .<org.apache.kafka.common.utils.Bytes, byte[]>keyValueStore())),
            () -> activeTasks(holder[0]),
            options.actionMatchWindow().toNanos() / 1000);
    http =
        new HttpApi(
            queries,
            new StreamsCluster(holder),
            options.httpHost(),
            options.httpPort(),
            options.httpThreads());
    self = new HostInfo(options.advertisedHost(), http.port());
    LOG.info(
        "HTTP API on {}:{}, advertised to other instances as {}:{}",
        options.httpHost(),
        http.port(),
        self.host(),
        self.port());
    streams = new KafkaStreams(MemoryTopology.build(options, memory), streamsConfig(options, self));
    holder[0] = streams;
    streams.setStateListener(
        (now, before) -> {
          LOG.info("Kafka Streams state {} -> {}", before, now);
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
          if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR) {
            failed.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        e -> {
          failure = e;
          LOG.error("The memory's stream thread failed; shutting the memory down", e);
          failed.countDown();
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
  }

  /** Checks the options, the topics and the port, then starts the HTTP API and Kafka Streams. */
  public static MemoryService start(MemoryOptions options) {
    MemoryService s = new MemoryService(options);
    s.memory.startBuilder();
    s.http.start();
    s.streams.start();
    LOG.info("Memory store started: {} ({})", s.url(), options);
    return s;
  }

  /** The base URL of this instance's HTTP API, e.g. {@code http://127.0.0.1:8090}. */
  public String url() {
    return "http://" + self.host() + ":" + self.port();
  }

  /** The Kafka Streams state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Waits until Kafka Streams is RUNNING (state restored, tasks initialized).
   *
   * @return true if it is running, false on timeout
   * @throws MemoryException if the application failed instead
   */
  public boolean awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (running.await(100, TimeUnit.MILLISECONDS)
            && streams.state() == KafkaStreams.State.RUNNING) {
          return true;
        }
        if (failed.getCount() == 0) {
          throw new MemoryException(
              "the memory's Kafka Streams application failed ("
                  + streams.state()
                  + "): "
                  + (failure == null ? "see the log" : failure.toString()),
              failure);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Blocks until the application fails or {@link #close()} is called from another thread. */
  public void awaitTermination() throws InterruptedException {
    failed.await();
  }

  /** Whether the application has failed. */
  public boolean hasFailed() {
    return failed.getCount() == 0;
  }

  @Override
  public void close() {
    http.close();
    streams.close(Duration.ofSeconds(60));
    memory.close();
    failed.countDown();
  }

  // --------------------------------------------------------------------------------- setup

  static Properties streamsConfig(MemoryOptions o, HostInfo self) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, o.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
    p.put(StreamsConfig.STATE_DIR_CONFIG, o.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, o.processingGuarantee().config());
    p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.streamThreads());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, o.replicationFactor());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, o.standbyReplicas());
    if (o.replicationFactor() >= 3) {
      // replicated changelogs: a write is acknowledged by two copies, so one broker may fail
      p.put(StreamsConfig.topicPrefix("min.insync.replicas"), "2");
    }
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
    if (!o.commitInterval().isZero()) {
      p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, o.commitInterval().toMillis());
    }
    KafkaLimits.producer().forEach((k, v) -> p.put(StreamsConfig.producerPrefix(k), v));
    KafkaLimits.consumer().forEach((k, v) -> p.put(StreamsConfig.consumerPrefix(k), v));
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    // larger, fewer fetches: at 640 latents/s a fetch per few records cost the stream thread (and
    // the broker) more than storing them (docs/benchmarks.md, "CPU per latent through Kafka")
    p.put(StreamsConfig.mainConsumerPrefix("fetch.min.bytes"), o.fetchMinBytes());
    p.put(StreamsConfig.mainConsumerPrefix("fetch.max.wait.ms"), (int) o.fetchMaxWait().toMillis());
    // a crashed instance's partitions move after 10 s instead of Kafka's default 45 s
    p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
    p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 3_000);
    p.putAll(o.kafkaOverrides());
    return p;
  }

  private static void checkTopics(MemoryOptions o) {
    List<String> inputs =
        List.of(o.latentsTopic(), o.actionsTopic(), o.predictionsTopic(), o.surpriseTopic());
    Set<String> needed = new LinkedHashSet<>(inputs);
    needed.add(o.deadLetterTopic());
    Map<String, Object> conf = new HashMap<>();
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(conf)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> missing = new ArrayList<>();
      for (String t : needed) {
        if (!existing.contains(t)) {
          missing.add(t);
        }
      }
      if (!missing.isEmpty()) {
        if (!o.createTopics()) {
          throw new MemoryException(
              "topics "
                  + missing
                  + " do not exist on "
                  + o.bootstrap()
                  + "; create them first (with the same partition count for every input topic),"
                  + " or start with memory.topics.create=true (--create-topics)");
        }
        List<NewTopic> create = new ArrayList<>();
        for (String t : missing) {
          create.add(new NewTopic(t, o.topicPartitions(), (short) -1).configs(KafkaLimits.topic()));
        }
        admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
        LOG.info("Created topics {} with {} partitions", missing, o.topicPartitions());
      }
      Map<String, TopicDescription> desc =
          admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS);
      Set<Integer> counts = new HashSet<>();
      desc.values().forEach(d -> counts.add(d.partitions().size()));
      if (counts.size() > 1) {
        Map<String, Integer> byTopic = new HashMap<>();
        desc.forEach((t, d) -> byTopic.put(t, d.partitions().size()));
        LOG.warn(
            "Input topics have different partition counts {}: a stream's actions and surprise may"
                + " then live in another task than its latents, and transitions will miss them."
                + " Give every input topic the same number of partitions.",
            byTopic);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new MemoryException(
          "cannot reach Kafka at " + o.bootstrap() + " to check the topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemoryException("interrupted while checking the topics", e);
    }
  }

  private static Set<String> activeTasks(KafkaStreams streams) {
    Set<String> out = new HashSet<>();
    if (streams == null) {
      return out;
    }
    for (ThreadMetadata t : streams.metadataForLocalThreads()) {
      t.activeTasks().forEach(task -> out.add(task.taskId().toString()));
    }
    return out;
  }

  /** Ownership and peers from Kafka Streams' metadata. */
  private final class StreamsCluster implements HttpApi.Cluster {
    private final KafkaStreams[] holder;
    private final StringSerializer keys = new StringSerializer();

    StreamsCluster(KafkaStreams[] holder) {
      this.holder = holder;
    }

    @Override
    public String ownerUrl(String stream) {
      KafkaStreams s = holder[0];
      KeyQueryMetadata md = s.queryMetadataForKey(MemoryTopology.TIMELINE, stream, keys);
      if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE || md.activeHost() == null) {
        throw new HttpApi.ApiException(
            503,
            "no instance owns stream '"
                + stream
                + "' right now (the memory is starting or rebalancing: "
                + s.state()
                + "); retry shortly");
      }
      HostInfo h = md.activeHost();
      return h.equals(self) ? null : "http://" + h.host() + ":" + h.port();
    }

    @Override
    public List<String> otherUrls() {
      Set<String> out = new LinkedHashSet<>();
      for (StreamsMetadata m : holder[0].metadataForAllStreamsClients()) {
        HostInfo h = m.hostInfo();
        if (!h.equals(self)) {
          out.add("http://" + h.host() + ":" + h.port());
        }
      }
      return new ArrayList<>(out);
    }

    @Override
    public String state() {
      return holder[0] == null ? "CREATED" : holder[0].state().name();
    }

    @Override
    public boolean healthy() {
      KafkaStreams s = holder[0];
      return s != null
          && (s.state() == KafkaStreams.State.RUNNING
              || s.state() == KafkaStreams.State.REBALANCING);
    }

    @Override
    public List<HttpApi.ThreadMetric> threadMetrics() {
      Set<String> wanted =
          Set.of(
              "process-total",
              "process-rate",
              "commit-total",
              "commit-latency-avg",
              "poll-records-avg");
      List<HttpApi.ThreadMetric> out = new ArrayList<>();
      for (Map.Entry<MetricName, ? extends Metric> e : holder[0].metrics().entrySet()) {
        MetricName n = e.getKey();
        if (n.group().equals("stream-thread-metrics")
            && wanted.contains(n.name())
            && e.getValue().metricValue() instanceof Number num
            && Double.isFinite(num.doubleValue())) {
          out.add(
              new HttpApi.ThreadMetric(
                  n.name(), n.tags().getOrDefault("thread-id", ""), num.doubleValue()));
        }
      }
      return out;
    }
  }
}
