package io.foresight.tools.encoder;

import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.flink.EncodeRequest;
import io.foresight.encoders.flink.EncodedFrame;
import io.foresight.encoders.flink.FrameEncoderOperator;
import io.foresight.tools.internal.LatencyStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.SinkFunction;
import org.apache.flink.streaming.api.functions.source.legacy.SourceFunction;

/**
 * The Flink half of {@code foresight bench encoder}: source, encoder operator and sink chained in
 * one task on a local MiniCluster (parallelism 1). Frames/s is measured at the sink between the
 * first frame after warm-up and the last; latency per frame from the source's emit to the sink.
 * Loaded by reflection so the command runs without Flink on the classpath.
 */
public final class OperatorBench {
  // The MiniCluster runs in this JVM; the sink reports here.
  private static final Object RUN = new Object();
  private static final Object SINK = new Object();
  private static long[] latencies;
  private static int seen;
  private static int warmup;
  private static long firstNanos;
  private static long lastNanos;

  private OperatorBench() {}

  /** Runs {@code frames} frames from {@code pool} through the operator with {@code options}. */
  public static Map<String, Object> run(
      EncoderOptions options,
      List<EncodeRequest> pool,
      int frames,
      int warmupFrames,
      boolean objectReuse)
      throws Exception {
    synchronized (RUN) {
      return runLocked(options, pool, frames, warmupFrames, objectReuse);
    }
  }

  private static Map<String, Object> runLocked(
      EncoderOptions options,
      List<EncodeRequest> pool,
      int frames,
      int warmupFrames,
      boolean objectReuse)
      throws Exception {
    latencies = new long[frames];
    seen = 0;
    warmup = warmupFrames;
    firstNanos = 0;
    lastNanos = 0;
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    if (objectReuse) {
      env.getConfig().enableObjectReuse();
    }
    long start = System.nanoTime();
    FrameEncoderOperator.apply(env.addSource(new PoolSource(pool, frames)), options)
        .addSink(new TimingSink());
    env.execute("bench encoder operator batch " + options.batchSize());
    long jobNanos = System.nanoTime() - start;
    synchronized (SINK) {
      return report(options, objectReuse, jobNanos);
    }
  }

  private static Map<String, Object> report(
      EncoderOptions options, boolean objectReuse, long jobNanos) {
    int measured = seen - warmup;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch_size", options.batchSize());
    m.put("batch_timeout_ms", options.batchTimeoutMs());
    m.put("batches_in_flight", options.batchesInFlight());
    m.put("inference_threads", options.inferenceThreads());
    m.put("object_reuse", objectReuse);
    m.put("frames", seen);
    m.put("measured_frames", measured);
    double seconds = (lastNanos - firstNanos) / 1e9;
    m.put("frames_per_s", LatencyStats.round(seconds > 0 ? (measured - 1) / seconds : 0));
    Map<String, Object> lat = LatencyStats.summary(tail(latencies, warmup, seen), measured);
    lat.put("what", "per frame, source emit to sink (includes waiting for the batch to fill)");
    m.put("latency", lat);
    m.put("job_wall_s", LatencyStats.round(jobNanos / 1e9));
    return m;
  }

  private static long[] tail(long[] a, int from, int to) {
    long[] t = new long[Math.max(0, to - from)];
    System.arraycopy(a, from, t, 0, t.length);
    return t;
  }

  private static void record(long emitNanos) {
    long now = System.nanoTime();
    synchronized (SINK) {
      recordLocked(now, emitNanos);
    }
  }

  private static void recordLocked(long now, long emitNanos) {
    if (seen < latencies.length) {
      latencies[seen] = now - emitNanos;
    }
    if (seen == warmup) {
      firstNanos = now;
    }
    lastNanos = now;
    seen++;
  }

  /** Emits {@code frames} requests cycling through a pool, stamped with System.nanoTime(). */
  static final class PoolSource implements SourceFunction<EncodeRequest> {
    private static final long serialVersionUID = 1L;
    private final List<EncodeRequest> pool;
    private final int frames;
    private volatile boolean running = true;

    PoolSource(List<EncodeRequest> pool, int frames) {
      this.pool = pool;
      this.frames = frames;
    }

    @Override
    public void run(SourceContext<EncodeRequest> ctx) {
      for (int i = 0; i < frames && running; i++) {
        EncodeRequest p = pool.get(i % pool.size());
        // timeUs carries the emit time in nanoseconds here: the sink measures latency from it.
        ctx.collect(
            new EncodeRequest(
                p.streamId(),
                i,
                System.nanoTime(),
                p.encoding(),
                p.width(),
                p.height(),
                p.data(),
                "",
                -1,
                i));
      }
    }

    @Override
    public void cancel() {
      running = false;
    }
  }

  static final class TimingSink implements SinkFunction<EncodedFrame> {
    private static final long serialVersionUID = 1L;

    @Override
    public void invoke(EncodedFrame value, Context context) {
      record(value.timeUs());
    }
  }
}
