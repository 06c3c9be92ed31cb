package io.foresight.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.avro.FrameEncoding;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RawFrameIngestTest {

  @Test
  void shouldSendWholeFramesAndReportAShortReadWithItsOffset() {
    int size = 4 * 3 * 3;
    byte[] input = new byte[size * 2 + 10];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) i;
    }
    CollectingSink sink = new CollectingSink();
    IngestReport r =
        RawFrameIngest.builder()
            .size(4, 3)
            .pixelFormat(PixelFormat.RGB24)
            .streamId("cam-2")
            .publisher(sink)
            .build()
            .run(new ByteArrayInputStream(input), "stdin");
    assertThat(sink.frames).hasSize(2);
    assertThat(ImageFolderIngestTest.bytes(sink.frames.get(1).getData()))
        .isEqualTo(Arrays.copyOfRange(input, size, 2 * size));
    assertThat(sink.frames.get(0).getEncoding()).isEqualTo(FrameEncoding.RGB8);
    assertThat(r.records()).isEqualTo(2);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(r.problems())
        .singleElement()
        .asString()
        .contains("short read")
        .contains("frame 2")
        .contains("byte offset 72")
        .contains("10 of 36 bytes");
  }

  @Test
  void shouldReadGrayFramesCleanly() {
    CollectingSink sink = new CollectingSink();
    IngestReport r =
        RawFrameIngest.builder()
            .size(2, 2)
            .pixelFormat(PixelFormat.GRAY)
            .streamId("g")
            .publisher(sink)
            .build()
            .run(new ByteArrayInputStream(new byte[12]), "stdin");
    assertThat(sink.frames).hasSize(3);
    assertThat(sink.frames.get(2).getSequence()).isEqualTo(2);
    assertThat(sink.frames.get(0).getEncoding()).isEqualTo(FrameEncoding.GRAY8);
    assertThat(r.clean()).isTrue();
  }

  @Test
  void shouldRefuseFramesAboveTheLimitBeforeReading() {
    assertThatThrownBy(
            () ->
                RawFrameIngest.builder()
                    .size(3840, 2160)
                    .pixelFormat(PixelFormat.RGB24)
                    .streamId("4k")
                    .publisher(new CollectingSink())
                    .build())
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessageContaining("Topics.MAX_FRAME_BYTES")
        .hasMessageContaining("scale");
  }

  @Test
  void shouldNameTheAcceptedPixelFormats() {
    assertThatThrownBy(() -> PixelFormat.parse("yuv420p"))
        .hasMessageContaining("rgb24, bgr24 or gray");
  }
}
