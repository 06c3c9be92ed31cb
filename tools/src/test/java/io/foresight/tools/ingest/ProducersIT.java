package io.foresight.tools.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.broker.junit.TopicReader;
import io.foresight.ingest.Compression;
import io.foresight.ingest.FramePublisher;
import io.foresight.ingest.FrameTooLargeException;
import io.foresight.ingest.TestImages;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.SensorReading;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProducersIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private record Run(int rc, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = io.foresight.tools.cli.ForesightCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int rc = cl.execute(args);
    return new Run(rc, out.toString(), err.toString());
  }

  private static List<CameraFrame> framesOf(TopicReader<CameraFrame> reader, String stream, int n) {
    return reader
        .readUntil(l -> l.stream().filter(f -> f.getStreamId().equals(stream)).count() >= n, WAIT)
        .stream()
        .filter(f -> f.getStreamId().equals(stream))
        .toList();
  }

  @Test
  void shouldRoundTripImageFileBytesAndCountACorruptFile() throws Exception {
    byte[] png = TestImages.encode("png", 32, 24, 1);
    byte[] jpg = TestImages.encode("jpg", 32, 24, 2);
    Files.write(dir.resolve("a.png"), png);
    Files.write(dir.resolve("b.jpg"), jpg);
    byte[] cut = Arrays.copyOf(png, png.length - 40);
    Files.write(dir.resolve("c.png"), cut);
    Run r =
        cli(
            "ingest",
            "images",
            dir.toString(),
            "--stream-id",
            "cam-img",
            "--bootstrap",
            KAFKA.bootstrapServers());
    assertThat(r.rc()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("sent 2 records").contains("skipped 1");
    assertThat(r.err()).contains("c.png").contains("corrupt PNG");
    try (TopicReader<CameraFrame> reader =
        new TopicReader<>(KAFKA.bootstrapServers(), Topics.FRAMES, CameraFrame.class)) {
      List<CameraFrame> frames = framesOf(reader, "cam-img", 2);
      assertThat(frames).hasSize(2);
      assertThat(frames.get(0).getEncoding()).isEqualTo(FrameEncoding.PNG);
      assertThat(bytes(frames.get(0).getData())).isEqualTo(png);
      assertThat(frames.get(1).getEncoding()).isEqualTo(FrameEncoding.JPEG);
      assertThat(bytes(frames.get(1).getData())).isEqualTo(jpg);
      assertThat(frames.get(1).getWidth()).isEqualTo(32);
      assertThat(frames.get(1).getHeight()).isEqualTo(24);
    }
  }

  @Test
  void shouldRoundTripRawFramesAndReportAShortReadAtEof() throws Exception {
    int size = 8 * 6 * 3;
    byte[] input = new byte[size * 3 + 100];
    new java.util.Random(1).nextBytes(input);
    Path raw = dir.resolve("video.rgb");
    Files.write(raw, input);
    Run r =
        cli(
            "ingest",
            "raw",
            "--width",
            "8",
            "--height",
            "6",
            "--pix-fmt",
            "rgb24",
            "--stream-id",
            "cam-raw",
            "--input",
            raw.toString(),
            "--bootstrap",
            KAFKA.bootstrapServers());
    assertThat(r.rc()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("sent 3 records").contains("skipped 1");
    assertThat(r.err())
        .contains("short read")
        .contains("byte offset 432")
        .contains("100 of 144 bytes");
    try (TopicReader<CameraFrame> reader =
        new TopicReader<>(KAFKA.bootstrapServers(), Topics.FRAMES, CameraFrame.class)) {
      List<CameraFrame> frames = framesOf(reader, "cam-raw", 3);
      assertThat(frames).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(frames.get(i).getEncoding()).isEqualTo(FrameEncoding.RGB8);
        assertThat(frames.get(i).getSequence()).isEqualTo(i);
        assertThat(bytes(frames.get(i).getData()))
            .isEqualTo(Arrays.copyOfRange(input, i * size, (i + 1) * size));
      }
    }
  }

  @Test
  void shouldPublishSimulatedCamerasAndReadings() throws Exception {
    Run sim =
        cli(
            "ingest",
            "sim",
            "--streams",
            "2",
            "--fps",
            "0",
            "--frames",
            "4",
            "--stream-prefix",
            "simit",
            "--bootstrap",
            KAFKA.bootstrapServers());
    assertThat(sim.rc()).as(sim.out() + sim.err()).isZero();
    Path csv = dir.resolve("r.csv");
    Files.writeString(csv, "time,kind,a\n1.0,temp,20.5\n2.0,temp,21\n");
    Run readings =
        cli(
            "ingest",
            "readings",
            csv.toString(),
            "--stream-id",
            "csv-it",
            "--bootstrap",
            KAFKA.bootstrapServers());
    assertThat(readings.rc()).as(readings.out() + readings.err()).isZero();
    try (TopicReader<CameraFrame> frames =
            new TopicReader<>(KAFKA.bootstrapServers(), Topics.FRAMES, CameraFrame.class);
        TopicReader<SensorReading> rs =
            new TopicReader<>(KAFKA.bootstrapServers(), Topics.READINGS, SensorReading.class)) {
      assertThat(framesOf(frames, "simit-0", 4)).hasSize(4);
      assertThat(framesOf(frames, "simit-1", 4)).hasSize(4);
      List<SensorReading> csvReadings =
          rs
              .readUntil(
                  l -> l.stream().filter(x -> x.getStreamId().equals("csv-it")).count() >= 2, WAIT)
              .stream()
              .filter(x -> x.getStreamId().equals("csv-it"))
              .toList();
      assertThat(csvReadings)
          .extracting(SensorReading::getTimeUs)
          .containsExactly(1_000_000L, 2_000_000L);
      assertThat(csvReadings.get(0).getNames()).containsExactly("a");
    }
  }

  @Test
  void shouldSendThroughEveryCompressionAndRefuseOversizedFrames() throws Exception {
    for (Compression c : List.of(Compression.AUTO, Compression.ZSTD, Compression.NONE)) {
      try (FramePublisher p =
          FramePublisher.builder()
              .bootstrapServers(KAFKA.bootstrapServers())
              .compression(c)
              .build()) {
        p.sendAsync(frame("comp-" + c, FrameEncoding.RGB8, 16, 16, new byte[16 * 16 * 3])).get();
        p.sendAsync(frame("comp-" + c, FrameEncoding.PNG, 8, 8, TestImages.encode("png", 8, 8, 0)))
            .get();
        assertThatThrownBy(
                () ->
                    p.send(
                        frame(
                            "comp-" + c,
                            FrameEncoding.JPEG,
                            5000,
                            5000,
                            new byte[Topics.MAX_FRAME_BYTES + 1])))
            .isInstanceOf(FrameTooLargeException.class);
        p.flush();
        assertThat(p.stats().acked()).isEqualTo(2);
        assertThat(p.stats().failed()).isZero();
      }
    }
    // A frame just under the limit goes through the broker (topic and client limits agree).
    try (FramePublisher p =
        FramePublisher.builder().bootstrapServers(KAFKA.bootstrapServers()).build()) {
      byte[] big = new byte[Topics.MAX_FRAME_BYTES];
      new java.util.Random(2).nextBytes(big);
      p.sendAsync(frame("big", FrameEncoding.JPEG, 4000, 3000, big)).get();
      assertThat(p.stats().acked()).isEqualTo(1);
    }
  }

  private static CameraFrame frame(String stream, FrameEncoding enc, int w, int h, byte[] data) {
    return CameraFrame.newBuilder()
        .setStreamId(stream)
        .setSequence(0)
        .setCaptureTimeUs(0)
        .setEncoding(enc)
        .setWidth(w)
        .setHeight(h)
        .setData(ByteBuffer.wrap(data))
        .build();
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
