package io.foresight.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FramePublisherTest {

  private static CameraFrame frame(FrameEncoding enc, int w, int h, int bytes) {
    return CameraFrame.newBuilder()
        .setStreamId("cam-1")
        .setSequence(3)
        .setCaptureTimeUs(1)
        .setEncoding(enc)
        .setWidth(w)
        .setHeight(h)
        .setData(ByteBuffer.wrap(new byte[bytes]))
        .build();
  }

  @Test
  void shouldRefuseAFrameAboveMaxFrameBytesBeforeSendingAndNameTheLimit() {
    // No broker at this address: the check must come before any network use.
    try (FramePublisher p = FramePublisher.builder().bootstrapServers("127.0.0.1:1").build()) {
      CameraFrame big = frame(FrameEncoding.JPEG, 4000, 3000, Topics.MAX_FRAME_BYTES + 1);
      assertThatThrownBy(() -> p.send(big))
          .isInstanceOf(FrameTooLargeException.class)
          .hasMessageContaining("Topics.MAX_FRAME_BYTES")
          .hasMessageContaining("8,388,608")
          .hasMessageContaining("cam-1")
          .satisfies(
              e -> {
                FrameTooLargeException f = (FrameTooLargeException) e;
                assertThat(f.size()).isEqualTo(Topics.MAX_FRAME_BYTES + 1L);
                assertThat(f.limit()).isEqualTo(Topics.MAX_FRAME_BYTES);
              });
      assertThat(p.stats().sent()).isZero();
    }
  }

  @Test
  void shouldAcceptAFrameOfExactlyMaxFrameBytes() {
    FramePublisher.validate(frame(FrameEncoding.JPEG, 4000, 3000, Topics.MAX_FRAME_BYTES));
  }

  @Test
  void shouldRefuseARawFrameWhoseDataDoesNotMatchItsSize() {
    assertThatThrownBy(() -> FramePublisher.validate(frame(FrameEncoding.RGB8, 4, 4, 47)))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("needs 48 bytes, but has 47");
    FramePublisher.validate(frame(FrameEncoding.GRAY8, 4, 4, 16));
  }

  @Test
  void shouldRequireBootstrapServers() {
    assertThatThrownBy(() -> FramePublisher.builder().build())
        .hasMessageContaining("bootstrapServers is required");
  }

  @Test
  void shouldNotLetCallersTurnOffIdempotence() {
    assertThatThrownBy(() -> FramePublisher.builder().property("enable.idempotence", false))
        .hasMessageContaining("fixed by FramePublisher");
  }
}
