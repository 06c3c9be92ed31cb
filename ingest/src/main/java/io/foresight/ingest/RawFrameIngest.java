package io.foresight.ingest;

import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Publishes raw frames read back to back from a stream (for example ffmpeg's {@code -f rawvideo}
 * output on stdin) as camera frames of one stream. A frame cut short at the end of the input is
 * reported with its byte offset and counted, not sent.
 *
 * <pre>{@code
 * // ffmpeg -i in.mp4 -vf scale=64:64 -f rawvideo -pix_fmt rgb24 - | foresight ingest raw ...
 * IngestReport r = RawFrameIngest.builder().size(64, 64).pixelFormat(PixelFormat.RGB24)
 *     .streamId("cam-1").publisher(publisher).build().run(System.in);
 * }</pre>
 */
public final class RawFrameIngest {
  private final int width;
  private final int height;
  private final PixelFormat format;
  private final String streamId;
  private final double fps;
  private final long maxFrames;
  private final ProducerSettings settings;

  private RawFrameIngest(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.format = b.format;
    this.streamId = b.streamId;
    this.fps = b.fps;
    this.maxFrames = b.maxFrames;
    this.settings = b.settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Bytes of one frame. */
  public int frameBytes() {
    return width * height * format.bytesPerPixel();
  }

  /**
   * Reads frames until the end of {@code in} (or the frame limit) and sends each one.
   *
   * @param in the input; not closed
   * @param source the input's name for messages, e.g. "stdin"
   */
  public IngestReport run(InputStream in, String source) {
    ProducerRun report = settings.start(source, fps, "frames");
    int size = frameBytes();
    long sequence = 0;
    long offset = 0;
    while (maxFrames <= 0 || sequence < maxFrames) {
      byte[] buf = new byte[size]; // a fresh buffer: a sink may keep the frame
      int n;
      try {
        n = in.readNBytes(buf, 0, size);
      } catch (IOException e) {
        report.skipped(
            String.format(
                "%s: read error in frame %d at byte offset %d: %s", source, sequence, offset, e));
        break;
      }
      if (n == 0) {
        break;
      }
      if (n < size) {
        report.skipped(
            String.format(
                "%s: short read at end of input: frame %d (byte offset %d) has %d of %d bytes"
                    + " (%dx%d %s); check --width, --height and --pix-fmt against the producer",
                source,
                sequence,
                offset,
                n,
                size,
                width,
                height,
                format.name().toLowerCase(java.util.Locale.ROOT)));
        break;
      }
      if (!report.awaitNext()) {
        break;
      }
      CameraFrame frame =
          CameraFrame.newBuilder()
              .setStreamId(streamId)
              .setSequence(sequence)
              .setCaptureTimeUs(System.currentTimeMillis() * 1000)
              .setEncoding(format.encoding())
              .setWidth(width)
              .setHeight(height)
              .setData(ByteBuffer.wrap(buf))
              .build();
      settings.publisher().send(frame);
      report.sent(size);
      sequence++;
      offset += size;
    }
    return report.finish();
  }

  /** Builds a {@link RawFrameIngest}; size, stream id and publisher are required. */
  public static final class Builder extends ProducerSettings.Builder<Builder> {
    private int width;
    private int height;
    private PixelFormat format = PixelFormat.RGB24;
    private String streamId;
    private double fps = 0;
    private long maxFrames = 0;
    private ProducerSettings settings;

    private Builder() {}

    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    public Builder pixelFormat(PixelFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public Builder streamId(String streamId) {
      this.streamId = streamId;
      return this;
    }

    /** Frames per second; 0 (default) = as fast as the input delivers. */
    public Builder fps(double fps) {
      this.fps = fps;
      return this;
    }

    /** Stop after this many frames; 0 (default) = at the end of the input. */
    public Builder maxFrames(long maxFrames) {
      this.maxFrames = maxFrames;
      return this;
    }

    public RawFrameIngest build() {
      settings = settings();
      if (width <= 0 || height <= 0) {
        throw new IngestException(
            "frame size must be given and > 0 (--width, --height), got " + width + "x" + height);
      }
      long bytes = (long) width * height * format.bytesPerPixel();
      if (bytes > Topics.MAX_FRAME_BYTES) {
        throw new FrameTooLargeException(
            String.format(
                "%dx%d %s frames have %,d bytes, above Topics.MAX_FRAME_BYTES = %,d bytes (8"
                    + " MiB); scale them down first, e.g. ffmpeg -vf scale=640:-2",
                width, height, format, bytes, Topics.MAX_FRAME_BYTES),
            bytes,
            Topics.MAX_FRAME_BYTES);
      }
      ProducerSettings.requireStreamId(streamId);
      ProducerSettings.requireFps(fps);
      return new RawFrameIngest(this);
    }
  }
}
