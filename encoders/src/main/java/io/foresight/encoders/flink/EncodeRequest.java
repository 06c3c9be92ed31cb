package io.foresight.encoders.flink;

import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One frame to encode, as it travels through the Flink job: the stream, its place in the stream,
 * the frame bytes and where the frame came from (for the dead-letter record if it cannot be
 * decoded).
 *
 * <p>A Java record of Flink-serializable fields (Flink's POJO serializer handles records), so it
 * needs neither Kryo nor Avro type information.
 *
 * <pre>{@code
 * EncodeRequest r = EncodeRequest.of(frame, "foresight.frames", partition, offset);
 * }</pre>
 *
 * @param streamId the stream (Kafka key)
 * @param sequence the frame's per-stream counter
 * @param timeUs capture time, microseconds since the epoch
 * @param encoding how {@code data} is encoded
 * @param width frame width in pixels (0 = unknown, for JPEG and PNG only)
 * @param height frame height in pixels (0 = unknown, for JPEG and PNG only)
 * @param data raw pixels or the JPEG/PNG file bytes
 * @param sourceTopic the Kafka topic the frame was read from ("" if none)
 * @param sourcePartition its partition (-1 if none)
 * @param sourceOffset its offset (-1 if none)
 */
public record EncodeRequest(
    String streamId,
    long sequence,
    long timeUs,
    FrameEncoding encoding,
    int width,
    int height,
    byte[] data,
    String sourceTopic,
    int sourcePartition,
    long sourceOffset)
    implements Serializable {

  /** A request for a decoded {@link CameraFrame} read from {@code topic}/{@code partition}. */
  public static EncodeRequest of(CameraFrame frame, String topic, int partition, long offset) {
    ByteBuffer b = frame.getData().duplicate();
    byte[] data = new byte[b.remaining()];
    b.get(data);
    return new EncodeRequest(
        frame.getStreamId(),
        frame.getSequence(),
        frame.getCaptureTimeUs(),
        frame.getEncoding(),
        frame.getWidth(),
        frame.getHeight(),
        data,
        topic == null ? "" : topic,
        partition,
        offset);
  }

  /** A request for a frame that did not come from Kafka (tests, benchmarks). */
  public static EncodeRequest of(CameraFrame frame) {
    return of(frame, "", -1, -1L);
  }

  /** The frame as the wire record (without frame id and metadata, which are not carried). */
  public CameraFrame toCameraFrame() {
    return CameraFrame.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setCaptureTimeUs(timeUs)
        .setEncoding(encoding == null ? FrameEncoding.RGB8 : encoding)
        .setWidth(width)
        .setHeight(height)
        .setData(ByteBuffer.wrap(data == null ? new byte[0] : data))
        .setFrameId(null)
        .setMetadata(Map.of())
        .build();
  }

  @Override
  public String toString() {
    return "EncodeRequest[stream="
        + streamId
        + ", sequence="
        + sequence
        + ", "
        + encoding
        + " "
        + width
        + "x"
        + height
        + ", "
        + (data == null ? 0 : data.length)
        + " bytes, from "
        + sourceTopic
        + "/"
        + sourcePartition
        + "@"
        + sourceOffset
        + "]";
  }
}
