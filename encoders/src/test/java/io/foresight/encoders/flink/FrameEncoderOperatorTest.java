package io.foresight.encoders.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.foresight.encoders.Device;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameEncoderOperatorTest {
  static final byte[] FRAME = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
  static final byte[] OTHER = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");

  private OneInputStreamOperatorTestHarness<EncodeRequest, EncodedFrame> harness;
  private FrameEncoderOperator operator;

  static EncoderOptions options(int batchSize, long timeoutMs) {
    return EncoderOptions.builder()
        .modelDir(Fixtures.testModelDir())
        .device(Device.CPU)
        .batchSize(batchSize)
        .batchTimeoutMs(timeoutMs)
        .warmupRuns(0)
        .build();
  }

  static EncodeRequest request(String stream, long seq) {
    return new EncodeRequest(
        stream, seq, 1000 * seq, FrameEncoding.RGB8, 64, 64, FRAME, "foresight.frames", 0, seq);
  }

  private void open(int batchSize, long timeoutMs) throws Exception {
    operator = new FrameEncoderOperator(options(batchSize, timeoutMs));
    harness = new OneInputStreamOperatorTestHarness<>(operator);
    harness.open();
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
    assertThat(out()).extracting(EncodedFrame::sequence).containsExactly(0L, 1L, 2L, 3L);
    assertThat(operator.flushCount(FlushCause.SIZE)).isEqualTo(1);
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
    assertThat(out()).extracting(EncodedFrame::streamId).containsExactly("a", "b");
    assertThat(operator.flushCount(FlushCause.TIME)).isEqualTo(1);
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
    // The next batch starts its own clock.
    harness.processElement(request("a", 1), 1);
    harness.setProcessingTime(1099);
    assertThat(out()).hasSize(2);
    harness.setProcessingTime(1100);
    assertThat(out()).hasSize(3);
  }

  @Test
  void shouldFlushImmediatelyWithAZeroTimeout() throws Exception {
    open(32, 0);
    harness.processElement(request("a", 0), 0);
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

  @Test
  void shouldSendUndecodableFramesToTheSideOutputAndCarryOn() throws Exception {
    open(2, 60_000);
    harness.processElement(request("a", 0), 0);
    EncodeRequest bad =
        new EncodeRequest(
            "cam-7", 3, 9, FrameEncoding.RGB8, 64, 64, new byte[10], "foresight.frames", 2, 41);
    harness.processElement(bad, 0);
    harness.processElement(request("a", 1), 0);
    assertThat(out()).extracting(EncodedFrame::sequence).containsExactly(0L, 1L);
    List<DecodeFailure> failures =
        harness.getSideOutput(FrameEncoderOperator.DECODE_FAILURES).stream()
            .map(StreamRecord::getValue)
            .toList();
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
