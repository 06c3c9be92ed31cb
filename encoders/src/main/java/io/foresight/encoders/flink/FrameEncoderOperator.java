package io.foresight.encoders.flink;

import io.foresight.encoders.Device;
import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.FrameDecodeException;
import io.foresight.encoders.FrameDecoder;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.encoders.flink.internal.GpuAssignment;
import io.foresight.schemas.avro.ModelRef;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The Flink operator that encodes frames in micro-batches across streams: frames are decoded on
 * arrival into a reused batch buffer, and the batch goes through the ONNX encoder when it holds
 * {@code encoder.batch.size} frames, {@code encoder.batch.timeout.ms} after its first frame
 * (processing time), before every checkpoint barrier, before every watermark and at the end of
 * input. Nothing stays buffered across a checkpoint, so the operator has no state, and frames leave
 * in the order they came (so each stream keeps its order).
 *
 * <p>Frames that cannot be decoded go to the side output {@link #DECODE_FAILURES} with the reason.
 * On a cluster with Flink's GPU external resource ({@code external-resource.gpu.*}), {@code auto}
 * and {@code cuda} pick the GPU index from {@code getExternalResourceInfos("gpu")}; the session is
 * shared by every subtask in the task manager that uses the same model and GPU. The operator keeps
 * no reference to an input record after {@code processElement}, so object reuse is safe.
 *
 * <p>Metrics (group {@code encoder}): {@code batchSize} (histogram), {@code lastBatchSize} (gauge),
 * {@code encodeLatencyUs} (histogram, one per batch), {@code frameLatencyUs} (histogram, arrival to
 * emission), {@code framesEncoded} (counter), {@code framesPerSecond} (meter), {@code
 * decodeFailures} (counter), {@code flushes.size|time|checkpoint|watermark|end} (counters), {@code
 * device} (gauge: cpu or cuda:N).
 *
 * <pre>{@code
 * SingleOutputStreamOperator<EncodedFrame> latents = FrameEncoderOperator.apply(requests, options);
 * DataStream<DecodeFailure> bad = latents.getSideOutput(FrameEncoderOperator.DECODE_FAILURES);
 * }</pre>
 */
public final class FrameEncoderOperator extends AbstractStreamOperator<EncodedFrame>
    implements OneInputStreamOperator<EncodeRequest, EncodedFrame>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  /** Frames that could not be decoded, with the reason. */
  public static final OutputTag<DecodeFailure> DECODE_FAILURES =
      new OutputTag<>("encoder-decode-failures", TypeInformation.of(DecodeFailure.class));

  /** Why a batch was flushed (the metric names). */
  enum FlushCause {
    SIZE,
    TIME,
    CHECKPOINT,
    WATERMARK,
    END
  }

  private final EncoderOptions options;

  private transient OnnxFrameEncoder encoder;
  private transient FrameDecoder decoder;
  private transient FrameBatch batch;
  private transient String[] streamIds;
  private transient long[] sequences;
  private transient long[] timesUs;
  private transient long[] timestamps;
  private transient boolean[] hasTimestamp;
  private transient long[] arrivalNanos;
  private transient float[] latents;
  private transient int latentSize;
  private transient ModelRef model;
  private transient int[] latentShape;
  private transient ScheduledFuture<?> timer;
  private transient long generation;
  private transient StreamRecord<EncodedFrame> reuse;

  private transient Histogram batchSizes;
  private transient Histogram encodeLatencyUs;
  private transient Histogram frameLatencyUs;
  private transient Counter framesEncoded;
  private transient Counter decodeFailures;
  private transient Counter[] flushes;
  private transient volatile int lastBatchSize;

  /** An operator with these options (the model folder, device, batch size and timeout). */
  public FrameEncoderOperator(EncoderOptions options) {
    this.options = options;
  }

  /**
   * Adds the encoder to a stream of requests: latents out, decode failures on {@link
   * #DECODE_FAILURES}. Key the stream by stream id first if the operator runs with a parallelism
   * other than its input's, so that each stream stays in one subtask and in order.
   */
  public static SingleOutputStreamOperator<EncodedFrame> apply(
      DataStream<EncodeRequest> requests, EncoderOptions options) {
    // No uid here: the job names its operators (the operator has no state to restore anyway).
    return requests.transform(
        "encode frames", TypeInformation.of(EncodedFrame.class), new FrameEncoderOperator(options));
  }

  @Override
  public void open() throws Exception {
    super.open();
    Device device = options.device();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    if (device.kind() != Device.Kind.CPU && device.index() < 0) {
      OptionalInt gpu =
          GpuAssignment.choose(getRuntimeContext().getExternalResourceInfos("gpu"), subtask);
      if (gpu.isPresent()) {
        device = device.withDefaultIndex(gpu.getAsInt());
        LOG.info(
            "Encoder subtask {} uses GPU {} from Flink's external resource 'gpu'",
            subtask,
            gpu.getAsInt());
      }
    }
    encoder = OnnxFrameEncoder.builder().options(options).device(device).build();
    decoder = encoder.newDecoder();
    batch = encoder.newBatch();
    int n = batch.capacity();
    streamIds = new String[n];
    sequences = new long[n];
    timesUs = new long[n];
    timestamps = new long[n];
    hasTimestamp = new boolean[n];
    arrivalNanos = new long[n];
    latentSize = encoder.latentSize();
    latents = new float[n * latentSize];
    model = encoder.modelRef();
    latentShape = encoder.card().latentShape();
    reuse = new StreamRecord<>(null);
    registerMetrics(encoder.provider().actual().toString());
  }

  private void registerMetrics(String device) {
    MetricGroup g = getMetricGroup().addGroup("encoder");
    batchSizes = g.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
    encodeLatencyUs = g.histogram("encodeLatencyUs", new DescriptiveStatisticsHistogram(1000));
    frameLatencyUs = g.histogram("frameLatencyUs", new DescriptiveStatisticsHistogram(1000));
    framesEncoded = g.counter("framesEncoded");
    g.meter("framesPerSecond", new MeterView(framesEncoded));
    decodeFailures = g.counter("decodeFailures");
    g.gauge("lastBatchSize", () -> lastBatchSize);
    g.gauge("device", () -> device);
    MetricGroup f = g.addGroup("flushes");
    flushes = new Counter[FlushCause.values().length];
    for (FlushCause c : FlushCause.values()) {
      flushes[c.ordinal()] = f.counter(c.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Override
  public void processElement(StreamRecord<EncodeRequest> element) throws Exception {
    EncodeRequest r = element.getValue();
    int slot = batch.size();
    try {
      byte[] data = r.data();
      if (data == null) {
        throw new FrameDecodeException(
            FrameDecodeException.Reason.SIZE_MISMATCH, "frame has no data");
      }
      decoder.decode(
          r.encoding(), r.width(), r.height(), data, 0, data.length, batch.buffer(), slot);
    } catch (FrameDecodeException e) {
      decodeFailures.inc();
      DecodeFailure failure = new DecodeFailure(r, e.reason(), e.getMessage());
      output.collect(
          DECODE_FAILURES,
          element.hasTimestamp()
              ? new StreamRecord<>(failure, element.getTimestamp())
              : new StreamRecord<>(failure));
      return;
    }
    batch.commitSlot();
    streamIds[slot] = r.streamId();
    sequences[slot] = r.sequence();
    timesUs[slot] = r.timeUs();
    hasTimestamp[slot] = element.hasTimestamp();
    timestamps[slot] = element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE;
    arrivalNanos[slot] = System.nanoTime();
    if (batch.isFull()) {
      flush(FlushCause.SIZE);
    } else if (slot == 0) {
      startTimer();
    }
  }

  private void startTimer() {
    long timeout = options.batchTimeoutMs();
    if (timeout == 0) {
      flush(FlushCause.TIME);
      return;
    }
    long due = getProcessingTimeService().getCurrentProcessingTime() + timeout;
    long gen = generation;
    timer =
        getProcessingTimeService()
            .registerTimer(
                due,
                t -> {
                  if (gen == generation) {
                    timer = null;
                    flush(FlushCause.TIME);
                  }
                });
  }

  private void flush(FlushCause cause) {
    int n = batch.size();
    if (n == 0) {
      return;
    }
    generation++;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    long start = System.nanoTime();
    encoder.encodeInto(batch.buffer(), n, latents, 0);
    long end = System.nanoTime();
    encodeLatencyUs.update((end - start) / 1000);
    for (int i = 0; i < n; i++) {
      EncodedFrame f =
          new EncodedFrame(
              streamIds[i],
              sequences[i],
              timesUs[i],
              model.getName(),
              model.getVersion(),
              model.getSha256(),
              latentShape,
              Arrays.copyOfRange(latents, i * latentSize, (i + 1) * latentSize));
      if (hasTimestamp[i]) {
        output.collect(reuse.replace(f, timestamps[i]));
      } else {
        reuse.eraseTimestamp();
        output.collect(reuse.replace(f));
      }
      frameLatencyUs.update((System.nanoTime() - arrivalNanos[i]) / 1000);
      streamIds[i] = null;
    }
    framesEncoded.inc(n);
    batchSizes.update(n);
    lastBatchSize = n;
    flushes[cause.ordinal()].inc();
    batch.clear();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    // Emit everything buffered before the barrier goes downstream: a checkpoint then covers these
    // frames' latents, and a restore replays nothing that was only in this buffer.
    flush(FlushCause.CHECKPOINT);
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    // Frames older than the watermark must not leave after it, or they would be late downstream.
    flush(FlushCause.WATERMARK);
    super.processWatermark(mark);
  }

  @Override
  public void endInput() throws Exception {
    flush(FlushCause.END);
  }

  @Override
  public void finish() throws Exception {
    flush(FlushCause.END);
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      if (encoder != null) {
        encoder.close();
        encoder = null;
      }
    } finally {
      super.close();
    }
  }

  /** How many flushes had this cause (tests). */
  long flushCount(FlushCause cause) {
    return flushes[cause.ordinal()].getCount();
  }

  /** Frames buffered now (tests). */
  int buffered() {
    return batch.size();
  }

  /** The options, for inspection. */
  public Map<String, String> options() {
    return options.toMap();
  }
}
