package io.foresight.tools.demo;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.tools.internal.KafkaClients;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A set of bad input records, one of each kind the job must dead-letter: bytes that are not a
 * record, a truncated record, a frame whose pixels do not match its size, a truncated JPEG, a
 * reading with NaN. Used by the demo and the end-to-end tests.
 */
public final class BadRecords {
  /** The stream id every bad record uses. */
  public static final String STREAM = "bad-stream";

  private BadRecords() {}

  /** The bad records as (topic, value) pairs. */
  public static List<Map.Entry<String, byte[]>> all() {
    byte[] good =
        AvroCodec.of(CameraFrame.class)
            .encode(frame(FrameEncoding.RGB8, 64, 64, new byte[64 * 64 * 3]));
    byte[] wrongSize =
        AvroCodec.of(CameraFrame.class).encode(frame(FrameEncoding.RGB8, 64, 64, new byte[100]));
    byte[] truncatedJpeg =
        AvroCodec.of(CameraFrame.class)
            .encode(
                frame(
                    FrameEncoding.JPEG,
                    64,
                    64,
                    new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J'}));
    SensorReading nan =
        SensorReading.newBuilder()
            .setStreamId(STREAM)
            .setSequence(0)
            .setTimeUs(System.currentTimeMillis() * 1000)
            .setKind("proprio")
            .setValues(List.of(1.0, Double.NaN))
            .build();
    return List.of(
        Map.entry(Topics.FRAMES, "not an avro record".getBytes(StandardCharsets.UTF_8)),
        Map.entry(Topics.FRAMES, Arrays.copyOf(good, good.length / 2)),
        Map.entry(Topics.FRAMES, wrongSize),
        Map.entry(Topics.FRAMES, truncatedJpeg),
        Map.entry(Topics.READINGS, AvroCodec.of(SensorReading.class).encode(nan)));
  }

  /** Publishes every bad record once; returns how many. */
  public static int publish(String bootstrap) {
    List<Map.Entry<String, byte[]>> bad = all();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.bytesProducer(bootstrap)) {
      for (Map.Entry<String, byte[]> e : bad) {
        producer.send(
            new ProducerRecord<>(
                e.getKey(), STREAM.getBytes(StandardCharsets.UTF_8), e.getValue()));
      }
      producer.flush();
    }
    return bad.size();
  }

  private static CameraFrame frame(FrameEncoding enc, int w, int h, byte[] data) {
    return CameraFrame.newBuilder()
        .setStreamId(STREAM)
        .setSequence(0)
        .setCaptureTimeUs(System.currentTimeMillis() * 1000)
        .setEncoding(enc)
        .setWidth(w)
        .setHeight(h)
        .setData(ByteBuffer.wrap(data))
        .build();
  }
}
