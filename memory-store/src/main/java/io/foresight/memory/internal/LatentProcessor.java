package io.foresight.memory.internal;

import io.foresight.memory.MemoryOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor of {@code foresight.latents}: stores each latent through {@link LatentIngestor},
 * sends refused records to the dead-letter topic, owns the task's {@link PartitionMemory} (built in
 * {@link #init}, after Kafka Streams has restored the stores) and runs retention slices on a
 * wall-clock punctuator.
 */
final class LatentProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String INDEX_DIR = "foresight-index";

  private final MemoryOptions options;
  private final LocalMemory memory;
  private ProcessorContext<byte[], byte[]> context;
  private PartitionMemory partition;
  private LatentIngestor ingestor;

  LatentProcessor(MemoryOptions options, LocalMemory memory) {
    this.options = options;
    this.memory = memory;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    KeyValueStore<Bytes, byte[]> timeline = context.getStateStore(MemoryTopology.TIMELINE);
    KeyValueStore<Bytes, byte[]> actions = context.getStateStore(MemoryTopology.ACTIONS);
    KeyValueStore<Bytes, byte[]> signals = context.getStateStore(MemoryTopology.SIGNALS);
    Path dir = context.stateDir().toPath().resolve(INDEX_DIR);
    partition =
        PartitionMemory.rebuild(context.taskId().toString(), dir, memory.params(), timeline);
    memory.register(partition);
    ingestor = new LatentIngestor(partition, timeline, options.modelDims(), memory.metrics());
    Retention retention =
        new Retention(
            partition,
            timeline,
            actions,
            signals,
            options.retentionMaxAge().toNanos() / 1000,
            options.retentionMaxCount(),
            options.retentionSlice(),
            options.actionMatchWindow().toNanos() / 1000,
            memory.metrics());
    if (retention.enabled()) {
      Duration every = options.retentionInterval();
      context.schedule(every, PunctuationType.WALL_CLOCK_TIME, now -> retention.run(now * 1000));
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    try {
      ingestor.ingest(record.key(), record.value());
    } catch (Rejected r) {
      DeadLetters.send(context, record, r, memory.metrics());
    }
  }

  @Override
  public void close() {
    if (partition != null) {
      memory.unregister(partition);
      partition.close(true);
    }
  }
}
