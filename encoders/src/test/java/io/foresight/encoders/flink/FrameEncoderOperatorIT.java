package io.foresight.encoders.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.encoders.FrameDecodeException;
import io.foresight.schemas.avro.FrameEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.SinkFunction;
import org.apache.flink.streaming.api.functions.source.legacy.RichSourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The micro-batching encoder on a Flink MiniCluster: several interleaved streams keep their order,
 * a partial batch leaves on time while the source is idle, and a checkpoint barrier never overtakes
 * a buffered frame.
 */
class FrameEncoderOperatorIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  // The MiniCluster runs in this JVM with this class loader: sinks and sources report here.
  static final ConcurrentLinkedQueue<EncodedFrame> LATENTS = new ConcurrentLinkedQueue<>();
  static final ConcurrentLinkedQueue<DecodeFailure> FAILURES = new ConcurrentLinkedQueue<>();
  static final AtomicInteger RECEIVED = new AtomicInteger();
  static final AtomicBoolean RESULTS_WHILE_SOURCE_RAN = new AtomicBoolean();
  static final Map<Long, Integer> EMITTED_AT_CHECKPOINT = new ConcurrentHashMap<>();
  static final Map<Long, Integer> RECEIVED_AT_CHECKPOINT = new ConcurrentHashMap<>();
  static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();

  @BeforeEach
  void reset() {
    LATENTS.clear();
    FAILURES.clear();
    RECEIVED.set(0);
    RESULTS_WHILE_SOURCE_RAN.set(false);
    EMITTED_AT_CHECKPOINT.clear();
    RECEIVED_AT_CHECKPOINT.clear();
    COMPLETED_CHECKPOINTS.set(0);
  }

  private static StreamExecutionEnvironment env() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.configure(conf);
    return env;
  }

  @Test
  void shouldKeepEachStreamsOrderAcrossInterleavedStreamsAndRouteBadFramesAside() throws Exception {
    List<EncodeRequest> requests = new ArrayList<>();
    int streams = 6;
    int perStream = 40;
    for (int seq = 0; seq < perStream; seq++) {
      for (int s = 0; s < streams; s++) {
        requests.add(FrameEncoderOperatorTest.request("cam-" + s, seq));
      }
    }
    requests.add(
        new EncodeRequest("cam-bad", 0, 0, FrameEncoding.BGR8, 64, 64, new byte[3], "t", 0, 99));
    StreamExecutionEnvironment env = env();
    SingleOutputStreamOperator<EncodedFrame> latents =
        FrameEncoderOperator.apply(
                env.fromData(requests).setParallelism(1).keyBy(EncodeRequest::streamId),
                FrameEncoderOperatorTest.options(8, 20))
            .setParallelism(2);
    latents.addSink(new CollectLatents()).setParallelism(1);
    latents
        .getSideOutput(FrameEncoderOperator.DECODE_FAILURES)
        .addSink(new CollectFailures())
        .setParallelism(1);
    env.execute("encoder order");

    Map<String, List<Long>> perStreamSeen =
        LATENTS.stream()
            .collect(
                Collectors.groupingBy(
                    EncodedFrame::streamId,
                    Collectors.mapping(EncodedFrame::sequence, Collectors.toList())));
    assertThat(perStreamSeen).hasSize(streams);
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < perStream; i++) {
      expected.add(i);
    }
    perStreamSeen.values().forEach(seqs -> assertThat(seqs).containsExactlyElementsOf(expected));
    assertThat(FAILURES)
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).isEqualTo(FrameDecodeException.Reason.SIZE_MISMATCH))
        .satisfies(f -> assertThat(f.request().sourceOffset()).isEqualTo(99));
  }

  @Test
  void shouldFlushAPartialBatchOnTimeWhileTheSourceIsIdle() throws Exception {
    StreamExecutionEnvironment env = env();
    env.setParallelism(1);
    // A batch of 100 would never fill: only the 50 ms timer can emit these 5 frames.
    FrameEncoderOperator.apply(
            env.addSource(new IdleAfterBurstSource(5)), FrameEncoderOperatorTest.options(100, 50))
        .addSink(new CollectLatents());
    env.execute("encoder flush on time");
    assertThat(RESULTS_WHILE_SOURCE_RAN).as("latents arrived while the source was idle").isTrue();
    assertThat(LATENTS).hasSize(5);
  }

  @Test
  void shouldEmitBufferedFramesBeforeEveryCheckpointBarrier() throws Exception {
    StreamExecutionEnvironment env = env();
    env.setParallelism(1);
    env.enableCheckpointing(100);
    // Neither the size (100 > 60 frames) nor the timeout (1 h) can flush: only the pre-barrier
    // flush can.
    FrameEncoderOperator.apply(
            env.addSource(new CheckpointedBurstSource(3, 20)),
            FrameEncoderOperatorTest.options(100, 3_600_000))
        .map(new CountingMap())
        .addSink(new CollectLatents());
    env.execute("encoder flush on checkpoint");

    assertThat(LATENTS).hasSize(60);
    List<Long> common =
        EMITTED_AT_CHECKPOINT.keySet().stream()
            .filter(RECEIVED_AT_CHECKPOINT::containsKey)
            .sorted()
            .toList();
    assertThat(common).isNotEmpty();
    assertThat(common.stream().filter(id -> EMITTED_AT_CHECKPOINT.get(id) > 0)).isNotEmpty();
    for (long id : common) {
      // Everything the source had emitted before the barrier reached the map before the barrier.
      assertThat(RECEIVED_AT_CHECKPOINT.get(id))
          .as("frames past the encoder at checkpoint %d", id)
          .isEqualTo(EMITTED_AT_CHECKPOINT.get(id));
    }
  }

  /** Emits a burst of frames, then idles until their latents came back (or 20 s). */
  static final class IdleAfterBurstSource extends RichSourceFunction<EncodeRequest> {
    private final int frames;
    private volatile boolean running = true;

    IdleAfterBurstSource(int frames) {
      this.frames = frames;
    }

    @Override
    public void run(SourceContext<EncodeRequest> ctx) throws Exception {
      for (int i = 0; i < frames; i++) {
        ctx.collect(FrameEncoderOperatorTest.request("s" + (i % 2), i));
      }
      long deadline = System.currentTimeMillis() + 20_000;
      while (running && RECEIVED.get() < frames && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      RESULTS_WHILE_SOURCE_RAN.set(RECEIVED.get() == frames);
    }

    @Override
    public void cancel() {
      running = false;
    }
  }

  /**
   * Emits {@code bursts} bursts of frames; after each it waits until a checkpoint completed and the
   * burst's latents arrived, and records at every checkpoint how many frames it had emitted.
   */
  static final class CheckpointedBurstSource extends RichSourceFunction<EncodeRequest>
      implements CheckpointedFunction, CheckpointListener {
    private final int bursts;
    private final int perBurst;
    private volatile boolean running = true;
    private int emitted;

    CheckpointedBurstSource(int bursts, int perBurst) {
      this.bursts = bursts;
      this.perBurst = perBurst;
    }

    @Override
    public void run(SourceContext<EncodeRequest> ctx) throws Exception {
      for (int b = 0; b < bursts && running; b++) {
        synchronized (ctx.getCheckpointLock()) {
          for (int i = 0; i < perBurst; i++) {
            ctx.collect(FrameEncoderOperatorTest.request("s" + (i % 3), emitted));
            emitted++;
          }
        }
        int checkpoints = COMPLETED_CHECKPOINTS.get();
        long deadline = System.currentTimeMillis() + 20_000;
        while (running
            && (RECEIVED.get() < emitted || COMPLETED_CHECKPOINTS.get() <= checkpoints)
            && System.currentTimeMillis() < deadline) {
          Thread.sleep(5);
        }
      }
    }

    @Override
    public void cancel() {
      running = false;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
      EMITTED_AT_CHECKPOINT.put(context.getCheckpointId(), emitted);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      COMPLETED_CHECKPOINTS.incrementAndGet();
    }
  }

  /** Counts latents and records the count at every checkpoint. */
  static final class CountingMap extends RichMapFunction<EncodedFrame, EncodedFrame>
      implements CheckpointedFunction {
    private int count;

    @Override
    public EncodedFrame map(EncodedFrame value) {
      count++;
      return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
      RECEIVED_AT_CHECKPOINT.put(context.getCheckpointId(), count);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}
  }

  static final class CollectLatents implements SinkFunction<EncodedFrame> {
    @Override
    public void invoke(EncodedFrame value, Context context) {
      LATENTS.add(value);
      RECEIVED.incrementAndGet();
    }
  }

  static final class CollectFailures implements SinkFunction<DecodeFailure> {
    @Override
    public void invoke(DecodeFailure value, Context context) {
      FAILURES.add(value);
    }
  }
}
