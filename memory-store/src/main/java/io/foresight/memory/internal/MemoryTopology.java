package io.foresight.memory.internal;

import io.foresight.memory.MemoryOptions;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The memory's Kafka Streams topology: latents, actions, and predictions + surprise, read as raw
 * bytes, into three changelog-backed RocksDB stores ({@link #TIMELINE}, {@link #ACTIONS}, {@link
 * #SIGNALS}) and a dead-letter sink. All processors share the stores, so one task holds everything
 * of a partition: the input topics must have the same number of partitions.
 */
public final class MemoryTopology {
  /** Store of latent states, keyed by {@link KeyLayout#timeline}. */
  public static final String TIMELINE = "memory-timeline";

  /** Store of executed actions, keyed by {@link KeyLayout#action}. */
  public static final String ACTIONS = "memory-actions";

  /** Store of surprise values per state, keyed by {@link KeyLayout#signal}. */
  public static final String SIGNALS = "memory-signals";

  private MemoryTopology() {}

  /** Builds the topology; {@code memory} receives the in-memory structures of each task. */
  public static Topology build(MemoryOptions options, LocalMemory memory) {
    Topology t = new Topology();
    ByteArrayDeserializer d = new ByteArrayDeserializer();
    t.addSource("latents-source", d, d, options.latentsTopic());
    t.addSource("actions-source", d, d, options.actionsTopic());
    t.addSource("signals-source", d, d, options.predictionsTopic(), options.surpriseTopic());
    t.addProcessor("latents", () -> new LatentProcessor(options, memory), "latents-source");
    t.addProcessor("actions", () -> new ActionProcessor(memory.metrics()), "actions-source");
    t.addProcessor(
        "signals",
        () -> new SignalProcessor(options.surpriseTopic(), memory.metrics()),
        "signals-source");
    t.addStateStore(store(TIMELINE), "latents", "actions", "signals");
    t.addStateStore(store(ACTIONS), "latents", "actions");
    t.addStateStore(store(SIGNALS), "latents", "signals");
    ByteArraySerializer s = new ByteArraySerializer();
    t.addSink(DeadLetters.SINK, options.deadLetterTopic(), s, s, "latents", "actions", "signals");
    return t;
  }

  private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name) {
    return Stores.keyValueStoreBuilder(
            RocksKeyValueStore.supplier(name), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingDisabled()
        .withLoggingEnabled(Map.of("min.compaction.lag.ms", "0"));
  }
}
