package io.foresight.broker;

import io.foresight.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM on
 * 127.0.0.1, started from the Maven artifacts. Used by the integration tests, the demo and {@code
 * foresight broker}.
 *
 * <p>The data directory keeps the log, the cluster id and the ports: starting again on the same
 * directory brings the old records back on the same address.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
 *   TopicAdmin.createTopics(broker.bootstrapServers(), 1);
 *   ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String STATE_FILE = "foresight-broker.properties";

  private final Path dataDir;
  private final int requestedPort;
  private final int requestedControllerPort;
  private final Map<String, String> overrides;
  private KafkaRaftServer server;
  private int port;
  private int controllerPort;

  private EmbeddedKafkaBroker(Builder b) {
    this.dataDir = b.dataDir;
    this.requestedPort = b.port;
    this.requestedControllerPort = b.controllerPort;
    this.overrides = Map.copyOf(b.overrides);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of an embedded broker; {@link #build()} validates them. */
  public static final class Builder {
    private Path dataDir;
    private int port = 0;
    private int controllerPort = 0;
    private final Map<String, String> overrides = new java.util.HashMap<>();

    private Builder() {}

    /** The client port; 0 picks a free one (or reuses the one stored in the data directory). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The controller (KRaft quorum) port; 0 picks a free one or reuses the stored one. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    /** Where the log and the broker's identity live; required. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Overrides one broker setting (server.properties key). */
    public Builder config(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    public EmbeddedKafkaBroker build() {
      if (dataDir == null) {
        throw new BrokerException("an embedded broker needs a data directory: call dataDir(path)");
      }
      if (port < 0 || port > 65535 || controllerPort < 0 || controllerPort > 65535) {
        throw new BrokerException(
            "ports must be in 0..65535 (0 = pick a free one); got port "
                + port
                + ", controller port "
                + controllerPort);
      }
      if (port != 0 && port == controllerPort) {
        throw new BrokerException("the client port and the controller port must differ: " + port);
      }
      return new EmbeddedKafkaBroker(this);
    }
  }

  /**
   * Formats the data directory if it is new, starts the broker and waits until it answers.
   *
   * @throws BrokerException if it does not start within 60 seconds, with the reason
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      Properties state = loadState();
      port = pick(requestedPort, state.getProperty("port"));
      controllerPort = pick(requestedControllerPort, state.getProperty("controller.port"));
      if (port == controllerPort) {
        controllerPort = freePort();
      }
      String clusterId = state.getProperty("cluster.id", Uuid.randomUuid().toString());
      state.setProperty("port", Integer.toString(port));
      state.setProperty("controller.port", Integer.toString(controllerPort));
      state.setProperty("cluster.id", clusterId);
      saveState(state);

      Properties props = serverProperties();
      Path configFile = dataDir.resolve("server.properties");
      try (Writer w = Files.newBufferedWriter(configFile)) {
        props.store(w, "written by Foresight's EmbeddedKafkaBroker");
      }
      format(configFile, clusterId);
      server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      awaitReady(Duration.ofSeconds(60));
      LOG.info("Kafka broker ready at {} (data in {})", bootstrapServers(), dataDir);
      return this;
    } catch (IOException e) {
      closeQuietly();
      throw new BrokerException(
          "Error starting the embedded Kafka broker in " + dataDir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly();
      if (e instanceof BrokerException) {
        throw e;
      }
      throw new BrokerException(
          "Error starting the embedded Kafka broker in "
              + dataDir
              + " (ports "
              + port
              + "/"
              + controllerPort
              + "): "
              + e.getMessage()
              + ". If another process uses the port or the directory, stop it or choose another.",
          e);
    }
  }

  /** The bootstrap address, e.g. {@code 127.0.0.1:9092}. */
  public String bootstrapServers() {
    if (port == 0) {
      throw new BrokerException("the broker has not been started: call start() first");
    }
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Shuts the broker down cleanly (flushes the log); the data directory stays. */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    LOG.info("Stopping Kafka broker at {}", bootstrapServers());
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  private void closeQuietly() {
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } catch (RuntimeException e) {
        LOG.warn("Error stopping a broker that failed to start", e);
      }
      server = null;
    }
  }

  private Properties serverProperties() {
    Properties p = new Properties();
    String max = Integer.toString(Topics.MAX_RECORD_BYTES);
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", dataDir.resolve("logs").toAbsolutePath().toString());
    p.setProperty("num.partitions", "1");
    p.setProperty("default.replication.factor", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "4");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "4");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // Flink's exactly-once Kafka sink uses transactions of up to an hour by default.
    p.setProperty("transaction.max.timeout.ms", "3600000");
    p.setProperty("message.max.bytes", max);
    p.setProperty("replica.fetch.max.bytes", max);
    p.setProperty("auto.create.topics.enable", "true");
    p.setProperty("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
    overrides.forEach(p::setProperty);
    return p;
  }

  private void format(Path configFile, String clusterId) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"
              },
              out);
    }
    if (rc != 0) {
      throw new BrokerException(
          "formatting the broker's data directory "
              + dataDir
              + " failed (exit "
              + rc
              + "): "
              + buf.toString(StandardCharsets.UTF_8).strip());
    }
  }

  private void awaitReady(Duration timeout) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    try (Admin admin = Admin.create(p)) {
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BrokerException("interrupted while waiting for the broker", e);
        }
      }
    }
    throw new BrokerException(
        "the embedded broker at "
            + bootstrapServers()
            + " did not answer within "
            + timeout.toSeconds()
            + " s"
            + (last == null ? "" : ": " + last.getMessage()),
        last);
  }

  private Properties loadState() throws IOException {
    Properties p = new Properties();
    Path f = dataDir.resolve(STATE_FILE);
    if (Files.exists(f)) {
      try (Reader r = Files.newBufferedReader(f)) {
        p.load(r);
      }
    }
    return p;
  }

  private void saveState(Properties p) throws IOException {
    try (Writer w = Files.newBufferedWriter(dataDir.resolve(STATE_FILE))) {
      p.store(w, "Foresight embedded broker identity: reused when it starts again on this folder");
    }
  }

  private static int pick(int requested, String stored) {
    if (requested != 0) {
      return requested;
    }
    if (stored != null) {
      int p = Integer.parseInt(stored);
      if (isFree(p)) {
        return p;
      }
    }
    return freePort();
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    }
  }
}
