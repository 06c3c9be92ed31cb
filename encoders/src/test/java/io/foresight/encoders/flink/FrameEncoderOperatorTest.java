package io.foresight.encoders.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresight.encoders.EncoderException;
import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.Fixtures;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.FrameDecodeException;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.encoders.flink.FrameEncoderOperator.FlushCause;
import io.foresight.encoders.flink.internal.GpuAssignment;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.LatentState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameEncoderOperatorTest {
  static final byte[] FRAME = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
  static final byte[] OTHER = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");

  private OneInputStreamOperatorTestHarness<EncodeRequest, EncodedFrame> harness;
  private FrameEncoderOperator operator;

  /**
   * Batches by size and timeout only (eager batching off), the rules most tests here pin down;
   * {@link #eager} turns eager batching on.
   */
  static EncoderOptions options(int batchSize, long timeoutMs) {
    return EncoderOptions.builder()
        .set(EncoderOptions.MODEL_DIR, Optional.of(Fixtures.testModelDir()))
        .set(EncoderOptions.DEVICE, "cpu")
        .set(EncoderOptions.BATCH_SIZE, batchSize)
        .set(EncoderOptions.BATCH_TIMEOUT, Duration.ofMillis(timeoutMs))
        .set(EncoderOptions.BATCH_EAGER, false)
        .set(EncoderOptions.WARMUP_RUNS, 0)
        .build();
  }

  static EncoderOptions eager(EncoderOptions options) {
    return options.toBuilder().set(EncoderOptions.BATCH_EAGER, true).build();
  }

  static EncoderOptions options(int batchSize, long timeoutMs, int inFlight, int threads) {
    return options(batchSize, timeoutMs).toBuilder()
        .set(EncoderOptions.BATCHES_IN_FLIGHT, inFlight)
        .set(EncoderOptions.INFERENCE_THREADS, threads)
        .build();
  }

  static EncodeRequest request(String stream, long seq) {
    return new EncodeRequest(
        stream, seq, 1000 * seq, FrameEncoding.RGB8, 64, 64, FRAME, "foresight.frames", 0, seq);
  }

  private void open(int batchSize, long timeoutMs) throws Exception {
    open(options(batchSize, timeoutMs));
  }

  private void open(EncoderOptions options) throws Exception {
    operator = new FrameEncoderOperator(options);
    harness = new OneInputStreamOperatorTestHarness<>(operator);
    harness.open();
  }

  /**
   * Lets the batches in flight finish on the inference threads and runs the mails that emit them,
   * as the task's mailbox loop does.
   */
  private void settle() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    TaskMailbox mailbox = harness.getTaskMailbox();
    while (operator.inFlight() > 0) {
      Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY);
      if (mail.isPresent()) {
        mail.get().run();
      } else {
        assertThat(System.nanoTime()).as("batches still in flight after 30 s").isLessThan(deadline);
        Thread.sleep(1);
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private List<EncodedFrame> out() {
    return harness.extractOutputValues();
  }

  @Test
  void shouldFlushWhenTheBatchIsFull() throws Exception {
    open(4, 60_000);
    for (int i = 0; i < 3; i++) {
      harness.processElement(request("a", i), i);
    }
    assertThat(out()).isEmpty();
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isEqualTo(1);
    harness.processElement(request("a", 3), 3);
    assertThat(operator.buffered()).isZero();
    settle();
    assertThat(out()).extracting(EncodedFrame::sequence).containsExactly(0L, 1L, 2L, 3L);
    assertThat(operator.flushCount(FlushCause.SIZE)).isEqualTo(1);
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
  }

  @Test
  void shouldSendAFrameAtOnceWhileAnInferenceThreadIsFree() throws Exception {
    open(eager(options(32, 60_000, 4, 2)));
    harness.processElement(request("a", 0), 0);
    assertThat(operator.buffered()).isZero();
    assertThat(operator.inFlight()).isEqualTo(1);
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
    harness.processElement(request("b", 0), 0);
    assertThat(operator.inFlight()).isEqualTo(2);
    settle();
    assertThat(out()).extracting(EncodedFrame::streamId).containsExactly("a", "b");
    assertThat(operator.flushCount(FlushCause.IDLE)).isEqualTo(2);
    assertThat(operator.flushCount(FlushCause.TIME)).isZero();
  }

  @Test
  void shouldBatchFramesWhileEveryInferenceThreadIsBusyAndSendThemWhenOneIsFree() throws Exception {
    open(eager(options(32, 60_000, 2, 1)));
    harness.processElement(request("a", 0), 0);
    // The one inference thread has frame 0 (until its batch is emitted): the next ones collect.
    for (int i = 1; i < 4; i++) {
      harness.processElement(request("a", i), i);
    }
    assertThat(operator.buffered()).isEqualTo(3);
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isEqualTo(1);

    settle();

    assertThat(out()).extracting(EncodedFrame::sequence).containsExactly(0L, 1L, 2L, 3L);
    // Frame 0 alone, then frames 1-3 as one batch once the thread was free again.
    assertThat(operator.flushCount(FlushCause.IDLE)).isEqualTo(2);
    assertThat(operator.buffered()).isZero();
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
  }

  @Test
  void shouldFlushAPartialBatchWhenItsTimeoutExpires() throws Exception {
    open(32, 50);
    harness.setProcessingTime(1000);
    harness.processElement(request("a", 0), 0);
    harness.setProcessingTime(1020);
    harness.processElement(request("b", 0), 0);
    harness.setProcessingTime(1049);
    assertThat(out()).isEmpty();
    harness.setProcessingTime(1050); // 50 ms after the batch's first frame
    settle();
    assertThat(out()).extracting(EncodedFrame::streamId).containsExactly("a", "b");
    assertThat(operator.flushCount(FlushCause.TIME)).isEqualTo(1);
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
    // The next batch starts its own clock.
    harness.processElement(request("a", 1), 1);
    harness.setProcessingTime(1099);
    settle();
    assertThat(out()).hasSize(2);
    harness.setProcessingTime(1100);
    settle();
    assertThat(out()).hasSize(3);
  }

  @Test
  void shouldFlushImmediatelyWithAZeroTimeout() throws Exception {
    open(32, 0);
    harness.processElement(request("a", 0), 0);
    settle();
    assertThat(out()).hasSize(1);
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
  }

  @Test
  void shouldFlushBeforeTheCheckpointBarrier() throws Exception {
    open(32, 60_000);
    harness.processElement(request("a", 0), 0);
    harness.processElement(request("b", 0), 0);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(out()).hasSize(2);
    assertThat(operator.buffered()).isZero();
    assertThat(operator.flushCount(FlushCause.CHECKPOINT)).isEqualTo(1);
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
    // Nothing to flush: no empty batch goes through the model.
    harness.prepareSnapshotPreBarrier(2);
    assertThat(operator.flushCount(FlushCause.CHECKPOINT)).isEqualTo(1);
  }

  @Test
  void shouldEmitBufferedFramesBeforeAWatermarkPassesThem() throws Exception {
    open(32, 60_000);
    harness.processElement(request("a", 0), 10);
    harness.processElement(request("a", 1), 20);
    harness.processWatermark(new Watermark(20));
    // The watermark waits for the batch in flight: it never overtakes a frame.
    assertThat(harness.getOutput()).isEmpty();
    settle();
    List<Object> all = new ArrayList<>(harness.getOutput());
    assertThat(all).hasSize(3);
    assertThat(all.get(2)).isEqualTo(new Watermark(20));
    assertThat(harness.extractOutputStreamRecords())
        .extracting(StreamRecord::getTimestamp)
        .containsExactly(10L, 20L);
  }

  @Test
  void shouldFlushAtTheEndOfInput() throws Exception {
    open(32, 60_000);
    harness.processElement(request("a", 0), 0);
    harness.endInput();
    assertThat(out()).hasSize(1);
    assertThat(operator.flushCount(FlushCause.END)).isEqualTo(1);
  }

  @Test
  void shouldKeepEachStreamsOrderAcrossBatches() throws Exception {
    open(5, 60_000);
    List<EncodeRequest> sent = new ArrayList<>();
    for (int seq = 0; seq < 7; seq++) {
      for (String s : new String[] {"a", "b", "c"}) {
        sent.add(request(s, seq));
      }
    }
    for (EncodeRequest r : sent) {
      harness.processElement(r, r.sequence());
    }
    harness.endInput();
    Map<String, List<Long>> perStream =
        out().stream()
            .collect(
                Collectors.groupingBy(
                    EncodedFrame::streamId,
                    Collectors.mapping(EncodedFrame::sequence, Collectors.toList())));
    for (String s : new String[] {"a", "b", "c"}) {
      assertThat(perStream.get(s)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }
  }

  @Test
  void shouldEmitTheEncodersLatentsTaggedWithTheModel() throws Exception {
    open(4, 60_000);
    harness.processElement(request("a", 0), 0);
    harness.processElement(
        new EncodeRequest("b", 0, 5, FrameEncoding.RGB8, 96, 72, OTHER, "t", 0, 1), 0);
    harness.endInput();
    try (OnnxFrameEncoder encoder =
        OnnxFrameEncoder.builder().options(options(4, 60_000)).build()) {
      FrameBatch batch = encoder.newBatch();
      batch.add(encoder.newDecoder(), FrameEncoding.RGB8, 64, 64, FRAME);
      batch.add(encoder.newDecoder(), FrameEncoding.RGB8, 96, 72, OTHER);
      float[] expected = encoder.encode(batch).values();
      List<EncodedFrame> frames = out();
      assertThat(frames.get(0).latent())
          .containsExactly(java.util.Arrays.copyOfRange(expected, 0, 64), within(1e-5f));
      assertThat(frames.get(1).latent())
          .containsExactly(java.util.Arrays.copyOfRange(expected, 64, 128), within(1e-5f));
      LatentState state = frames.get(1).toLatentState();
      assertThat(state.getModel()).isEqualTo(encoder.modelRef());
      assertThat(state.getStreamId()).isEqualTo("b");
      assertThat(state.getTimeUs()).isEqualTo(5);
    }
  }

  private List<DecodeFailure> decodeFailures() {
    return harness.getSideOutput(FrameEncoderOperator.DECODE_FAILURES).stream()
        .map(StreamRecord::getValue)
        .toList();
  }

  @Test
  void shouldSendUndecodableFramesToTheSideOutputAndCarryOn() throws Exception {
    open(2, 60_000);
    harness.processElement(request("a", 0), 0);
    EncodeRequest bad =
        new EncodeRequest(
            "cam-7", 3, 9, FrameEncoding.RGB8, 64, 64, new byte[10], "foresight.frames", 2, 41);
    harness.processElement(bad, 0);
    harness.processElement(request("a", 1), 0);
    settle();
    assertThat(out()).extracting(EncodedFrame::sequence).containsExactly(0L, 1L);
    List<DecodeFailure> failures = decodeFailures();
    assertThat(failures).hasSize(1);
    DecodeFailure f = failures.get(0);
    assertThat(f.reason()).isEqualTo(FrameDecodeException.Reason.SIZE_MISMATCH);
    DeadLetter dl = f.toDeadLetter(77);
    assertThat(dl.getSourceTopic()).isEqualTo("foresight.frames");
    assertThat(dl.getPartition()).isEqualTo(2);
    assertThat(dl.getOffset()).isEqualTo(41);
    assertThat(dl.getStage()).isEqualTo("decode");
    assertThat(dl.getErrorType()).isEqualTo("SIZE_MISMATCH");
    assertThat(dl.getError()).contains("needs 12288 bytes but has 10");
    assertThat(StandardCharsets.UTF_8.decode(dl.getKey()).toString()).isEqualTo("cam-7");
    byte[] value = new byte[dl.getValue().remaining()];
    dl.getValue().get(value);
    CameraFrame back = AvroCodec.of(CameraFrame.class).decode(value);
    assertThat(back.getSequence()).isEqualTo(3);
    assertThat(back.getData().remaining()).isEqualTo(10);
  }

  @Test
  void shouldWaitForEveryBatchInFlightBeforeTheCheckpointBarrier() throws Exception {
    open(options(2, 60_000, 3, 2));
    for (int i = 0; i < 7; i++) {
      harness.processElement(request("a", i), i);
    }
    // Three full batches went to the inference threads; one frame is still filling.
    assertThat(operator.buffered()).isEqualTo(1);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(operator.inFlight()).isZero();
    assertThat(operator.buffered()).isZero();
    assertThat(out())
        .extracting(EncodedFrame::sequence)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void shouldEmitBatchesInOrderWhenSeveralThreadsRunThem() throws Exception {
    open(options(3, 60_000, 4, 3));
    List<EncodeRequest> sent = new ArrayList<>();
    for (int seq = 0; seq < 40; seq++) {
      for (String s : new String[] {"a", "b"}) {
        sent.add(request(s, seq));
      }
    }
    for (EncodeRequest r : sent) {
      harness.processElement(r, r.sequence());
      if (r.sequence() % 7 == 0) {
        // Let some batches finish early, as the mailbox loop would.
        Optional<Mail> mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
        if (mail.isPresent()) {
          mail.get().run();
        }
      }
    }
    harness.endInput();
    assertThat(out())
        .extracting(f -> f.streamId() + f.sequence())
        .containsExactlyElementsOf(sent.stream().map(r -> r.streamId() + r.sequence()).toList());
  }

  @Test
  void shouldEncodeOnTheTaskThreadWithNoBatchesInFlight() throws Exception {
    open(options(2, 60_000, 0, 1));
    harness.processElement(request("a", 0), 0);
    harness.processElement(request("a", 1), 1);
    assertThat(operator.inFlight()).isZero();
    assertThat(out()).extracting(EncodedFrame::sequence).containsExactly(0L, 1L);
    harness.processElement(request("a", 2), 2);
    harness.processWatermark(new Watermark(5));
    assertThat(new ArrayList<>(harness.getOutput())).hasSize(4).last().isEqualTo(new Watermark(5));
  }

  @Test
  void shouldForwardAWatermarkAtOnceWhenNothingIsBuffered() throws Exception {
    open(32, 60_000);
    harness.processWatermark(new Watermark(7));
    assertThat(new ArrayList<>(harness.getOutput())).containsExactly(new Watermark(7));
    assertThat(operator.flushCount(FlushCause.WATERMARK)).isZero();
  }

  @Test
  void shouldRefuseMoreInferenceThreadsThanBatchesInFlight() {
    assertThatThrownBy(() -> options(4, 10, 1, 2))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("encoder.inference.threads (2) must not exceed")
        .hasMessageContaining("encoder.batches.in.flight (1)");
  }

  @Test
  void shouldReportAFrameThatDoesNotDecodeWithItsBatchAndEncodeTheRest() throws Exception {
    open(3, 60_000);
    byte[] png = Fixtures.bytes("/parity/rgb_96x72.png");
    byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
    harness.processElement(request("a", 0), 0);
    // The header is fine, so the frame joins the batch; its bytes fail on the inference thread.
    harness.processElement(
        new EncodeRequest("cam-9", 4, 9, FrameEncoding.PNG, 96, 72, cut, "foresight.frames", 1, 7),
        0);
    assertThat(harness.getSideOutput(FrameEncoderOperator.DECODE_FAILURES)).isNull();
    harness.processElement(request("a", 1), 0);
    settle();
    assertThat(out()).extracting(EncodedFrame::sequence).containsExactly(0L, 1L);
    List<DecodeFailure> failures = decodeFailures();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).reason()).isEqualTo(FrameDecodeException.Reason.TRUNCATED_IMAGE);
    assertThat(failures.get(0).toDeadLetter(1).getOffset()).isEqualTo(7);
    assertThat(operator.flushCount(FlushCause.SIZE)).isEqualTo(1);
  }

  @Test
  void shouldCopyTheFrameBytesItKeepsWhenObjectsAreReused() throws Exception {
    operator = new FrameEncoderOperator(options(2, 60_000));
    harness = new OneInputStreamOperatorTestHarness<>(operator);
    harness.getExecutionConfig().enableObjectReuse();
    harness.open();
    byte[] reused = FRAME.clone();
    harness.processElement(
        new EncodeRequest("a", 0, 0, FrameEncoding.RGB8, 64, 64, reused, "t", 0, 0), 0);
    // An upstream function that reuses its buffer overwrites it after emitting the record.
    java.util.Arrays.fill(reused, (byte) 0);
    harness.processElement(request("b", 0), 0);
    settle();
    List<EncodedFrame> frames = out();
    assertThat(frames.get(0).latent()).containsExactly(frames.get(1).latent(), within(1e-6f));
  }

  @Test
  void shouldShareTheCoresOutAmongInferenceThreadsWhenThreadsAreAutomatic() {
    assertThat(FrameEncoderOperator.intraOpThreads(options(32, 10, 4, 2), 8)).isEqualTo(4);
    assertThat(FrameEncoderOperator.intraOpThreads(options(32, 10, 4, 4), 2)).isEqualTo(1);
    assertThat(FrameEncoderOperator.intraOpThreads(options(32, 10, 2, 1), 8)).isZero();
    assertThat(FrameEncoderOperator.intraOpThreads(options(32, 10, 0, 1), 8)).isZero();
    EncoderOptions explicit =
        options(32, 10, 4, 2).toBuilder().set(EncoderOptions.THREADS, 3).build();
    assertThat(FrameEncoderOperator.intraOpThreads(explicit, 8)).isEqualTo(3);
  }

  @Test
  void shouldPickTheGpuFromFlinksExternalResources() {
    assertThat(GpuAssignment.choose(Set.of(), 0)).isEmpty();
    Set<ExternalResourceInfo> gpus = Set.of(gpu("3"), gpu("1"));
    assertThat(GpuAssignment.choose(gpus, 0)).hasValue(1);
    assertThat(GpuAssignment.choose(gpus, 1)).hasValue(3);
    assertThat(GpuAssignment.choose(gpus, 2)).hasValue(1);
  }

  private static ExternalResourceInfo gpu(String index) {
    return new ExternalResourceInfo() {
      @Override
      public Optional<String> getProperty(String key) {
        return key.equals("index") ? Optional.of(index) : Optional.empty();
      }

      @Override
      public java.util.Collection<String> getKeys() {
        return Set.of("index");
      }
    };
  }

  @Test
  void shouldUseFlinksPojoSerializerForItsRecords() {
    for (Class<?> c : List.of(EncodeRequest.class, EncodedFrame.class, DecodeFailure.class)) {
      assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(c))
          .as(c.getSimpleName())
          .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
    }
  }
}
