package io.foresight.encoders.flink;

import io.foresight.deploy.AbstractModelOperator;
import io.foresight.encoders.EncoderException;
import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.FrameDecodeException;
import io.foresight.encoders.FrameDecoder;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.encoders.flink.internal.GpuAssignment;
import io.foresight.runtime.CheckpointHealth;
import io.foresight.runtime.Deployment;
import io.foresight.runtime.DeploymentState;
import io.foresight.runtime.Device;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.schemas.avro.ModelRef;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The Flink operator that encodes frames in micro-batches across streams. Frames are collected into
 * a batch on the task thread (after a cheap check of their header); a batch goes to the encoder
 * when it holds {@code encoder.batch.size} frames, {@code encoder.batch.timeout.ms} after its first
 * frame (processing time), at a watermark, before every checkpoint barrier and at the end of input.
 * With {@code encoder.batch.eager} (off by default) it also goes as soon as an inference thread is
 * free, when a frame arrives or a batch finishes: frames wait to be batched only while every
 * inference thread is busy, so a lightly loaded operator adds no batching delay and a loaded one
 * still runs large batches.
 *
 * <p>Decoding and inference run on the operator's own inference threads ({@code
 * encoder.inference.threads}, default 2), with up to {@code encoder.batches.in.flight} batches
 * (default 4) queued or running there: the task thread only collects frames, and the cores that run
 * ONNX Runtime decode the batch they are about to encode, into a buffer of their own. Finished
 * batches are emitted from the task thread (through the mailbox) in the order they were filled,
 * with frames in the order they came, so each stream keeps its order. A watermark leaves after
 * every frame that came before it. Before a checkpoint barrier the operator waits for every batch
 * in flight and emits it: nothing is buffered across a checkpoint, so the operator has no state.
 * With {@code encoder.batches.in.flight=0} the task thread decodes and encodes itself.
 *
 * <p>Frames that cannot be decoded go to the side output {@link #DECODE_FAILURES} with the reason:
 * frames with a bad header (size, dimensions, encoding) at once, frames whose bytes do not decode
 * (a truncated JPEG) when their batch is emitted. On a cluster with Flink's GPU external resource
 * ({@code external-resource.gpu.*}), {@code auto} and {@code cuda} pick the GPU index from {@code
 * getExternalResourceInfos("gpu")}; the session is shared by every subtask in the task manager that
 * uses the same model and GPU. With object reuse enabled the operator copies the frame bytes it
 * keeps; without, Flink hands it its own copy of each record.
 *
 * <p><b>Deployments without a restart.</b> Connected to the control stream ({@link
 * #apply(DataStream, DataStream, EncoderOptions)}: the second input, broadcast to every subtask),
 * the operator loads an announced model on the task thread as the {@link Deployment} arrives
 * ({@link Deployment#verify()}: directory, card, file hashes, announced hashes; then the encoder
 * session and its contract). A model that fails any of this is refused on {@link
 * #REFUSED_DEPLOYMENTS} with the reason, and the subtask keeps its model. A loaded model waits, and
 * the subtask switches to it at the next checkpoint barrier, in {@link #prepareSnapshotPreBarrier}:
 * after every frame that came before the barrier was encoded with the old model and emitted, before
 * any frame after it. The switch is written to checkpointed operator state (union list state, one
 * line per subtask, {@link DeploymentState}) in the snapshot of that same checkpoint. Why this
 * makes a restore repeat what happened: a restore from checkpoint n opens the model the state of n
 * names, and replays the frames after n, which were all encoded with that model the first time (the
 * switch can only happen at a barrier, and the next switch at barrier n+1 or later is recorded in
 * that later checkpoint). A deployment that had loaded but not switched when the job failed is
 * replayed from the control topic (its offset is part of checkpoint n too) and switches at the
 * first barrier after it, so the frames after n are again encoded with the old model until that
 * barrier. Frames after an uncompleted checkpoint's barrier may have been encoded with the new
 * model the first time and with the old one on the replay; their outputs were never committed
 * (exactly-once sinks), so no reader sees both; with at-least-once delivery the duplicates may name
 * different models. Since the control record reaches every subtask before the barrier that follows
 * it, and loading is done on the task thread before the next record, every subtask that can load
 * the model switches at the same checkpoint. Without checkpointing there is no barrier and a loaded
 * model waits (the job always checkpoints: {@code JobRunner} enables it). A deployment of the model
 * already running is ignored (and cancels a switch still waiting for its barrier). Watermarks of
 * the control input are ignored: it never holds the frames' event time back. The admission,
 * staging, switching and recording are those of every operator on the control stream ({@link
 * AbstractModelOperator}, on the runtime's {@code StagedDeployment}); this operator adds what a
 * switch means for it: batches sized for the new model.
 *
 * <p><b>Deployments while checkpoints fail.</b> The operator follows checkpointing through {@link
 * #notifyCheckpointComplete}, {@link #notifyCheckpointAborted} and the barriers it sees ({@link
 * CheckpointHealth}): a deployment that arrives while the newest checkpoint outcome is an abort, or
 * while none has completed for {@value CheckpointHealth#STALE_INTERVALS} checkpoint intervals, is
 * refused on {@link #REFUSED_DEPLOYMENTS} with that reason, before anything is loaded, and the
 * subtask keeps its model (and any model it had already loaded for the next barrier). A switch that
 * was pending when its checkpoint aborts: if the barrier reached this subtask, the switch was made
 * there (frames after the barrier were encoded with the new model and emitted; the abort cannot
 * take that back) and the next completed checkpoint records it, since the snapshot of every later
 * checkpoint names the model the subtask runs; a failure before that restores the checkpoint before
 * the switch, which names the old model, and replays the control record, which switches again at
 * the first barrier after the restore. If the abort reached this subtask before the barrier (Flink
 * then skips that checkpoint here and never calls {@link #prepareSnapshotPreBarrier} for it), the
 * loaded model waits and switches at the next barrier. Either way each stream switches once, and a
 * staged model is never dropped because of an abort: other subtasks may have switched already.
 *
 * <p>Metrics (group {@code encoder}): {@code batchSize} (histogram), {@code lastBatchSize} (gauge),
 * {@code encodeLatencyUs} (histogram, decode and inference of one batch), {@code frameLatencyUs}
 * (histogram, arrival to emission), {@code inferenceWaitUs} (histogram: how long the task thread
 * waited for a batch in flight), {@code framesEncoded} (counter), {@code framesPerSecond} (meter),
 * {@code decodeFailures} (counter), {@code flushes.size|time|checkpoint|watermark|end|idle}
 * (counters), {@code batchesInFlight} (gauge), {@code device} (gauge: cpu or cuda:N).
 *
 * <pre>{@code
 * SingleOutputStreamOperator<EncodedFrame> latents = FrameEncoderOperator.apply(requests, options);
 * DataStream<DecodeFailure> bad = latents.getSideOutput(FrameEncoderOperator.DECODE_FAILURES);
 * }</pre>
 */
public final class FrameEncoderOperator
    extends AbstractModelOperator<EncodeRequest, EncodedFrame, OnnxFrameEncoder>
    implements BoundedOneInput {
  private static final long serialVersionUID = 1L;

  /** How long {@link #close()} waits for a batch still in ONNX Runtime before giving up on it. */
  private static final long CLOSE_WAIT_SECONDS = 60;

  /** Frames that could not be decoded, with the reason. */
  public static final OutputTag<DecodeFailure> DECODE_FAILURES =
      new OutputTag<>("encoder-decode-failures", TypeInformation.of(DecodeFailure.class));

  /** Deployments this subtask could not load, with the reason (it keeps its model). */
  public static final OutputTag<RefusedDeployment> REFUSED_DEPLOYMENTS =
      new OutputTag<>("encoder-refused-deployments", TypeInformation.of(RefusedDeployment.class));

  /** Why a batch was flushed (the metric names). */
  enum FlushCause {
    SIZE,
    TIME,
    CHECKPOINT,
    WATERMARK,
    END,
    IDLE
  }

  private final EncoderOptions options;

  private transient OnnxFrameEncoder encoder;
  private transient FrameDecoder headerCheck;
  private transient boolean copyData;
  private transient Slot filling;
  private transient ArrayDeque<Slot> inFlight;
  private transient ArrayDeque<Slot> free;
  private transient ExecutorService inference;
  private transient MailboxExecutor mailbox;
  private transient ModelRef model;
  private transient int[] latentShape;
  private transient ScheduledFuture<?> timer;
  private transient long generation;
  private transient StreamRecord<EncodedFrame> reuse;
  private transient Device device;
  private transient int intraOp;
  private transient Counter modelSwitches;

  private transient Histogram batchSizes;
  private transient Histogram encodeLatencyUs;
  private transient Histogram frameLatencyUs;
  private transient Histogram inferenceWaitUs;
  private transient Counter framesEncoded;
  private transient Counter decodeFailures;
  private transient Counter[] flushes;
  private transient volatile int lastBatchSize;
  private transient volatile int inFlightCount;

  /** An operator with these options (the model folder, device, batch size and timeout). */
  public FrameEncoderOperator(EncoderOptions options) {
    super("encoder", "encoder-deployment", REFUSED_DEPLOYMENTS);
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

  /**
   * Adds the encoder to a stream of requests with the control stream of model deployments as its
   * second input, broadcast to every subtask (see the class description).
   */
  public static SingleOutputStreamOperator<EncodedFrame> apply(
      DataStream<EncodeRequest> requests,
      DataStream<Deployment> deployments,
      EncoderOptions options) {
    return requests
        .connect(deployments.broadcast())
        .transform(
            "encode frames",
            TypeInformation.of(EncodedFrame.class),
            new FrameEncoderOperator(options));
  }

  @Override
  public void open() throws Exception {
    super.open();
    device = options.device();
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
    intraOp = intraOpThreads(options, Runtime.getRuntime().availableProcessors());
    encoder =
        startModel(
            () ->
                OnnxFrameEncoder.builder()
                    .options(options)
                    .threads(intraOp)
                    .device(device)
                    .build());
    if (options.batchesInFlight() > 0) {
      LOG.info(
          "Encoder subtask {}: {} inference thread(s), {} batches in flight, {} ONNX Runtime"
              + " intra-op thread(s) per run",
          subtask,
          options.inferenceThreads(),
          options.batchesInFlight(),
          intraOp == 0 ? "default" : intraOp);
    }
    copyData = getExecutionConfig().isObjectReuseEnabled();
    inFlight = new ArrayDeque<>();
    useEncoder();
    if (options.batchesInFlight() > 0) {
      String name = "foresight-encoder-" + encoder.modelRef().getName() + "-" + subtask;
      AtomicInteger threadNumber = new AtomicInteger();
      inference =
          Executors.newFixedThreadPool(
              options.inferenceThreads(),
              r -> {
                Thread t = new Thread(r, name + "-" + threadNumber.getAndIncrement());
                t.setDaemon(true);
                return t;
              });
      mailbox =
          getContainingTask()
              .getMailboxExecutorFactory()
              .createExecutor(getOperatorConfig().getChainIndex());
    }
    reuse = new StreamRecord<>(null);
    registerMetrics(encoder.provider().actual().toString());
  }

  /** Opens the encoder of a deployment after checking it; throws with the reason. */
  @Override
  protected OnnxFrameEncoder load(Deployment d) {
    return OnnxFrameEncoder.builder()
        .options(options)
        .threads(intraOp)
        .device(device)
        .deployment(d)
        .build();
  }

  @Override
  protected String modelSha256(OnnxFrameEncoder e) {
    return e.modelRef().getSha256();
  }

  /** Sizes the batches, the header check and the model tag for {@link #encoder} (task thread). */
  private void useEncoder() {
    headerCheck = encoder.newDecoder();
    model = encoder.modelRef();
    latentShape = encoder.card().latentShape();
    free = new ArrayDeque<>();
    for (int i = 0; i < options.batchesInFlight(); i++) {
      free.add(new Slot(encoder));
    }
    filling = new Slot(encoder);
  }

  /** The model this subtask encodes with now. */
  ModelRef model() {
    return model;
  }

  /**
   * ONNX Runtime's intra-op threads for the operator: {@code encoder.threads} when set; when 0 with
   * several inference threads, the cores shared out among them (each run then has its cores to
   * itself instead of every run spreading over all of them); else 0, ONNX Runtime's default.
   */
  static int intraOpThreads(EncoderOptions options, int cores) {
    if (options.threads() > 0 || options.batchesInFlight() == 0) {
      return options.threads();
    }
    int inference = options.inferenceThreads();
    return inference > 1 ? Math.max(1, cores / inference) : 0;
  }

  private void registerMetrics(String device) {
    MetricGroup g = getMetricGroup().addGroup("encoder");
    batchSizes = g.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
    encodeLatencyUs = g.histogram("encodeLatencyUs", new DescriptiveStatisticsHistogram(1000));
    frameLatencyUs = g.histogram("frameLatencyUs", new DescriptiveStatisticsHistogram(1000));
    inferenceWaitUs = g.histogram("inferenceWaitUs", new DescriptiveStatisticsHistogram(1000));
    framesEncoded = g.counter("framesEncoded");
    g.meter("framesPerSecond", new MeterView(framesEncoded));
    decodeFailures = g.counter("decodeFailures");
    g.gauge("lastBatchSize", () -> lastBatchSize);
    g.gauge("device", () -> device);
    g.gauge("batchesInFlight", () -> inFlightCount);
    modelSwitches = g.counter("modelSwitches");
    MetricGroup f = g.addGroup("flushes");
    flushes = new Counter[FlushCause.values().length];
    for (FlushCause c : FlushCause.values()) {
      flushes[c.ordinal()] = f.counter(c.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Override
  public void processElement(StreamRecord<EncodeRequest> element) throws Exception {
    EncodeRequest r = element.getValue();
    try {
      byte[] data = r.data();
      headerCheck.checkHeader(r.encoding(), r.width(), r.height(), data == null ? -1 : data.length);
    } catch (FrameDecodeException e) {
      fail(r, element.hasTimestamp(), element.getTimestamp(), e);
      return;
    }
    if (copyData) {
      r =
          new EncodeRequest(
              r.streamId(),
              r.sequence(),
              r.timeUs(),
              r.encoding(),
              r.width(),
              r.height(),
              r.data().clone(),
              r.sourceTopic(),
              r.sourcePartition(),
              r.sourceOffset());
    }
    Slot slot = filling;
    int i = slot.add(r, element);
    if (slot.isFull()) {
      submit(FlushCause.SIZE);
    } else if (threadFree()) {
      submit(FlushCause.IDLE);
    } else if (i == 0) {
      startTimer();
    }
  }

  /** Whether eager batching may send the filling batch now: an inference thread has no batch. */
  private boolean threadFree() {
    return options.batchEager()
        && options.batchesInFlight() > 0
        && inFlight.size() < options.inferenceThreads();
  }

  private void fail(EncodeRequest r, boolean hasTimestamp, long timestamp, FrameDecodeException e) {
    decodeFailures.inc();
    DecodeFailure failure = new DecodeFailure(r, e.reason(), e.getMessage());
    output.collect(
        DECODE_FAILURES,
        hasTimestamp ? new StreamRecord<>(failure, timestamp) : new StreamRecord<>(failure));
  }

  private void startTimer() throws Exception {
    long timeout = options.batchTimeoutMs();
    if (timeout == 0) {
      submit(FlushCause.TIME);
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
                    submit(FlushCause.TIME);
                  }
                });
  }

  /**
   * Sends the filling batch to the encoder: on the inference thread, after waiting for room if
   * {@code encoder.batches.in.flight} batches are already there, or on this thread when that is 0.
   */
  private void submit(FlushCause cause) throws Exception {
    Slot slot = filling;
    if (slot.isEmpty()) {
      return;
    }
    generation++;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    flushes[cause.ordinal()].inc();
    if (options.batchesInFlight() == 0) {
      slot.process(encoder);
      emit(slot);
      return;
    }
    while (inFlight.size() >= options.batchesInFlight()) {
      awaitOldest();
    }
    filling = free.poll();
    inFlight.addLast(slot);
    inFlightCount = inFlight.size();
    // The mail that emits the batch is posted once this future is done, so the mail sees it done
    // (a whenComplete stage of its own would complete only after the mail was posted).
    CompletableFuture<Void> result =
        CompletableFuture.runAsync(() -> slot.process(encoder), inference);
    slot.result = result;
    result.whenComplete((ignored, error) -> emitLater());
  }

  /** Called on the inference thread when a batch is done: the task thread emits it. */
  private void emitLater() {
    try {
      mailbox.execute(this::emitFinished, "emit encoded frames");
    } catch (RejectedExecutionException e) {
      // The task is shutting down: close() or a drain on the task thread takes the batch.
    }
  }

  /** Emits the finished batches at the head of the queue (task thread). */
  private void emitFinished() throws Exception {
    while (!inFlight.isEmpty() && inFlight.peekFirst().result.isDone()) {
      emit(inFlight.pollFirst());
    }
    inFlightCount = inFlight.size();
    if (!filling.isEmpty() && threadFree()) {
      submit(FlushCause.IDLE);
    }
  }

  /** Waits for the oldest batch in flight and emits it (task thread). */
  private void awaitOldest() throws Exception {
    Slot slot = inFlight.pollFirst();
    long start = System.nanoTime();
    try {
      slot.result.get();
    } catch (ExecutionException e) {
      // emit() rethrows the encoder's error.
    }
    inferenceWaitUs.update((System.nanoTime() - start) / 1000);
    emit(slot);
    inFlightCount = inFlight.size();
  }

  /** Sends the filling batch and waits until no batch is in flight. */
  private void drain(FlushCause cause) throws Exception {
    submit(cause);
    while (!inFlight.isEmpty()) {
      awaitOldest();
    }
  }

  /** Emits a finished batch's latents and failures in arrival order, then its watermark. */
  private void emit(Slot slot) throws Exception {
    if (slot.error != null) {
      Throwable e = slot.error;
      slot.clear();
      recycle(slot);
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new EncoderException("the encoder failed on a batch: " + e, e);
    }
    int n = slot.size;
    int latentSize = slot.latentSize;
    int encoded = 0;
    for (int i = 0; i < n; i++) {
      FrameDecodeException failure = slot.failures[i];
      if (failure != null) {
        fail(slot.requests[i], slot.hasTimestamp[i], slot.timestamps[i], failure);
        continue;
      }
      EncodeRequest r = slot.requests[i];
      int k = encoded++;
      EncodedFrame f =
          new EncodedFrame(
              r.streamId(),
              r.sequence(),
              r.timeUs(),
              model.getName(),
              model.getVersion(),
              model.getSha256(),
              latentShape,
              Arrays.copyOfRange(slot.latents, k * latentSize, (k + 1) * latentSize));
      if (slot.hasTimestamp[i]) {
        output.collect(reuse.replace(f, slot.timestamps[i]));
      } else {
        reuse.eraseTimestamp();
        output.collect(reuse.replace(f));
      }
      frameLatencyUs.update((System.nanoTime() - slot.arrivalNanos[i]) / 1000);
    }
    if (encoded > 0) {
      encodeLatencyUs.update(slot.encodeNanos / 1000);
      framesEncoded.inc(encoded);
      batchSizes.update(encoded);
      lastBatchSize = encoded;
    }
    Watermark mark = slot.watermark;
    slot.clear();
    recycle(slot);
    if (mark != null) {
      super.processWatermark(mark);
    }
  }

  private void recycle(Slot slot) {
    if (slot != filling) {
      free.add(slot);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    // Emit everything buffered or in flight before the barrier goes downstream: a checkpoint then
    // covers these frames' latents, and a restore replays nothing that was only in this operator.
    drain(FlushCause.CHECKPOINT);
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  /** Nothing is buffered or in flight (drained before the barrier): size the batches anew. */
  @Override
  protected void switched(OnnxFrameEncoder e, long checkpointId) {
    encoder = e;
    useEncoder();
    modelSwitches.inc();
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    // Frames older than the watermark must not leave after it, or they would be late downstream:
    // the partial batch goes to the encoder now, and the watermark leaves right after it.
    submit(FlushCause.WATERMARK);
    Slot last = inFlight.peekLast();
    if (last == null) {
      super.processWatermark(mark);
    } else {
      last.watermark = mark;
    }
  }

  @Override
  public void endInput() throws Exception {
    drain(FlushCause.END);
  }

  @Override
  public void finish() throws Exception {
    drain(FlushCause.END);
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      boolean idle = true;
      if (inference != null) {
        inference.shutdown();
        try {
          idle = inference.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          // Cancellation interrupts the task thread: close what can be closed safely.
          Thread.currentThread().interrupt();
          idle = inference.isTerminated();
        }
        inference = null;
      }
      if (encoder != null) {
        if (idle) {
          closeModels();
        } else {
          // Closing the session under a running inference could crash the JVM: leave it.
          LOG.error(
              "A batch was still in ONNX Runtime {} s after close; its session is left open",
              CLOSE_WAIT_SECONDS);
        }
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

  /** Frames buffered now and not yet sent to the encoder (tests). */
  int buffered() {
    return filling.size;
  }

  /** Batches sent to the encoder and not yet emitted (tests). */
  int inFlight() {
    return inFlight.size();
  }

  /** The options, for inspection. */
  public Map<String, String> options() {
    return options.toMap();
  }

  /**
   * One batch: the requests collected on the task thread, and the buffer, decoder and latents its
   * inference thread fills. The hand-overs go through the executor and the future, which order the
   * memory accesses; a slot is only touched by one thread at a time.
   */
  private static final class Slot {
    final FrameDecoder decoder;
    final FrameBatch batch;
    final EncodeRequest[] requests;
    final FrameDecodeException[] failures;
    final long[] timestamps;
    final boolean[] hasTimestamp;
    final long[] arrivalNanos;
    final float[] latents;
    final int latentSize;
    int size;
    CompletableFuture<Void> result;
    Watermark watermark;
    long encodeNanos;
    Throwable error;

    Slot(OnnxFrameEncoder encoder) {
      decoder = encoder.newDecoder();
      batch = encoder.newBatch();
      int n = batch.capacity();
      requests = new EncodeRequest[n];
      failures = new FrameDecodeException[n];
      timestamps = new long[n];
      hasTimestamp = new boolean[n];
      arrivalNanos = new long[n];
      latentSize = encoder.latentSize();
      latents = new float[n * latentSize];
    }

    boolean isEmpty() {
      return size == 0;
    }

    boolean isFull() {
      return size == requests.length;
    }

    /** Adds a request (task thread); returns its index. */
    int add(EncodeRequest r, StreamRecord<EncodeRequest> element) {
      int i = size++;
      requests[i] = r;
      hasTimestamp[i] = element.hasTimestamp();
      timestamps[i] = element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE;
      arrivalNanos[i] = System.nanoTime();
      return i;
    }

    /**
     * Decodes the frames into the batch buffer and runs the encoder on those that decoded
     * (inference thread, or the task thread with no batches in flight). A frame that does not
     * decode is kept as a failure; any other error is kept for the task thread to raise.
     */
    void process(OnnxFrameEncoder encoder) {
      long start = System.nanoTime();
      try {
        batch.clear();
        for (int i = 0; i < size; i++) {
          EncodeRequest r = requests[i];
          byte[] data = r.data();
          try {
            decoder.decode(
                r.encoding(),
                r.width(),
                r.height(),
                data,
                0,
                data.length,
                batch.buffer(),
                batch.size());
            batch.commitSlot();
          } catch (FrameDecodeException e) {
            failures[i] = e;
          }
        }
        encoder.encodeInto(batch.buffer(), batch.size(), latents, 0);
      } catch (RuntimeException | Error e) {
        error = e;
      }
      encodeNanos = System.nanoTime() - start;
    }

    void clear() {
      batch.clear();
      Arrays.fill(requests, 0, size, null);
      Arrays.fill(failures, 0, size, null);
      size = 0;
      result = null;
      watermark = null;
      error = null;
    }
  }
}
