package io.foresight.memory.internal;

import io.foresight.memory.MemoryOptions;
import io.foresight.memory.TestLatents;
import io.foresight.memory.api.MemoryClient;
import io.foresight.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The memory topology on Kafka Streams' TopologyTestDriver, with real RocksDB stores. */
final class TopologyFixture implements AutoCloseable {
  static final Instant START = Instant.ofEpochSecond(1_000);

  final MemoryOptions options;
  final LocalMemory memory;
  final TopologyTestDriver driver;
  final TestInputTopic<byte[], byte[]> latents;
  final TestInputTopic<byte[], byte[]> actions;
  final TestInputTopic<byte[], byte[]> predictions;
  final TestInputTopic<byte[], byte[]> surprise;
  final TestOutputTopic<byte[], byte[]> deadLetters;
  private HttpApi api;

  TopologyFixture(Path stateDir, MemoryOptions options) {
    this.options = options;
    memory = LocalMemory.of(options, Duration.ZERO);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "memory-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(MemoryTopology.build(options, memory), p, START);
    ByteArraySerializer s = new ByteArraySerializer();
    latents = driver.createInputTopic(Topics.LATENTS, s, s);
    actions = driver.createInputTopic(Topics.ACTIONS, s, s);
    predictions = driver.createInputTopic(Topics.PREDICTIONS, s, s);
    surprise = driver.createInputTopic(Topics.SURPRISE, s, s);
    ByteArrayDeserializer d = new ByteArrayDeserializer();
    deadLetters = driver.createOutputTopic(Topics.DEADLETTER, d, d);
  }

  TopologyFixture(Path stateDir) {
    this(stateDir, MemoryOptions.defaults());
  }

  KeyValueStore<Bytes, byte[]> store(String name) {
    return driver.getKeyValueStore(name);
  }

  MemoryQueries queries() {
    return new MemoryQueries(
        memory, this::store, null, options.actionMatchWindow().toNanos() / 1000);
  }

  /**
   * Pipes the states the HTTP tests query: 30 each of {@code first} and {@code r2}, and an action
   * of {@code r2} just after its state 3.
   */
  void pipeTwoStreams(String first) {
    for (long s = 0; s < 30; s++) {
      latents.pipeInput(TestLatents.key(first), TestLatents.latentBytes(first, s));
      latents.pipeInput(TestLatents.key("r2"), TestLatents.latentBytes("r2", s));
    }
    actions.pipeInput(
        TestLatents.key("r2"), TestLatents.action("r2", TestLatents.time(3) + 1, 3L, 0.5f, -0.5f));
  }

  /**
   * Serves these stores over HTTP, alone in the cluster, on a free local port until {@link #close};
   * returns a client of it.
   */
  MemoryClient serve() {
    api = new HttpApi(queries(), HttpApi.Cluster.single(), "127.0.0.1", 0, 2).start();
    return MemoryClient.of(url());
  }

  /** The base URL that {@link #serve} serves on. */
  String url() {
    return "http://127.0.0.1:" + api.port();
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
    }
    driver.close();
    memory.close();
  }
}
