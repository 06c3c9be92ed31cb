package io.foresight.tools.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.broker.TopicAdmin;
import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.sim.dataset.Npy;
import io.foresight.tools.cli.ForesightCli;
import io.foresight.tools.internal.KafkaClients;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foresight dataset export} from a real broker: episodes cut at gaps and missing actions,
 * other streams left out, every left-out record counted, the arrays in the recipe's layout.
 */
class DatasetExportIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final long T0 = 1_800_000_000_000_000L; // us

  @TempDir Path dir;

  @BeforeAll
  static void publish() {
    TopicAdmin.createTopics(KAFKA.bootstrapServers(), 1);
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.bytesProducer(KAFKA.bootstrapServers())) {
      // robot-a: frames 0..9, an action for each but 6: runs 0..5 and 7..9
      for (int s = 0; s < 10; s++) {
        frame(p, "robot-a", s);
        reading(p, "robot-a", s);
        if (s != 6) {
          action(p, "robot-a", s, s);
        }
      }
      // robot-b: frame 2 missing: runs 0..1 and 3..4, both too short for 3 steps
      for (int s : new int[] {0, 1, 3, 4}) {
        frame(p, "robot-b", s);
        action(p, "robot-b", s, s);
      }
      // another stream, and an action that does not say which frame it followed
      frame(p, "camera-x", 0);
      action(p, "camera-x", 0, 0);
      send(
          p,
          Topics.ACTIONS,
          "robot-a",
          AvroCodec.of(ActionCommand.class)
              .encode(
                  ActionCommand.newBuilder()
                      .setStreamId("robot-a")
                      .setTimeUs(T0)
                      .setValues(List.of(0f, 0f))
                      .setSource(ActionSource.HUMAN)
                      .build()));
      p.flush();
    }
  }

  @Test
  void shouldCutEpisodesAtGapsAndCountWhatItLeftOut() throws Exception {
    Path out = dir.resolve("export");
    int rc =
        ForesightCli.commandLine()
            .execute(
                "dataset",
                "export",
                "--bootstrap",
                KAFKA.bootstrapServers(),
                "--streams",
                "robot-.*",
                "--steps",
                "3",
                "--out",
                out.toString());
    assertThat(rc).isZero();

    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertThat(m.path("episodes").asLong()).as("0-2, 3-5 and 7-9 of robot-a").isEqualTo(3);
    assertThat(m.path("per_stream").path("robot-a").asLong()).isEqualTo(3);
    assertThat(m.path("per_stream").has("robot-b")).isFalse();
    assertThat(m.path("action_dim").asInt()).isEqualTo(2);
    assertThat(m.path("reading_kind").asText())
        .as("robot-a's episodes all have readings")
        .isEqualTo("proprio");
    JsonNode c = m.path("counts");
    assertThat(c.path("frames_read").asLong()).as("robot-a and robot-b only").isEqualTo(14);
    assertThat(c.path("frames_written").asLong()).isEqualTo(9);
    assertThat(c.path("frames_without_action").asLong()).isEqualTo(1);
    assertThat(c.path("gaps").asLong()).isEqualTo(1);
    assertThat(c.path("frames_in_short_segments").asLong()).as("robot-b's four").isEqualTo(4);
    assertThat(c.path("actions_without_frame_sequence").asLong()).isEqualTo(1);

    Npy.Header frames = Npy.readHeader(out.resolve("frames.npy"));
    assertThat(frames.shape()).containsExactly(3, 3, 2, 2, 3);
    byte[] f = Files.readAllBytes(out.resolve("frames.npy"));
    // episode 2, step 0 is robot-a's frame 7: every pixel value is the sequence
    int offset = frames.dataOffset() + (2 * 3) * 12;
    assertThat(f[offset]).isEqualTo((byte) 7);
    Npy.Header actions = Npy.readHeader(out.resolve("actions.npy"));
    assertThat(actions.shape()).containsExactly(3, 3, 2);
    ByteBuffer a =
        ByteBuffer.wrap(Files.readAllBytes(out.resolve("actions.npy")))
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(a.getFloat(actions.dataOffset() + 4 * (2 * 3 * 2)))
        .as("action after frame 7")
        .isEqualTo(0.7f);
    assertThat(Npy.readHeader(out.resolve("readings.npy")).shape()).containsExactly(3, 3, 4);
    assertThat(Set.of(out.toFile().list()))
        .doesNotContain("frames.raw")
        .noneMatch(n -> n.endsWith(".raw"));
  }

  @Test
  void shouldRefuseWhenTheStreamsHaveNoActions() {
    Path out = dir.resolve("none");
    int rc =
        ForesightCli.commandLine()
            .execute(
                "dataset",
                "export",
                "--bootstrap",
                KAFKA.bootstrapServers(),
                "--streams",
                "nobody",
                "--out",
                out.toString());
    assertThat(rc).isNotZero();
    assertThat(out.resolve("frames.npy")).doesNotExist();
  }

  private static void frame(KafkaProducer<byte[], byte[]> p, String stream, int seq) {
    byte[] px = new byte[2 * 2 * 3];
    java.util.Arrays.fill(px, (byte) seq);
    CameraFrame f =
        CameraFrame.newBuilder()
            .setStreamId(stream)
            .setSequence(seq)
            .setCaptureTimeUs(T0 + seq * 100_000L)
            .setEncoding(FrameEncoding.RGB8)
            .setWidth(2)
            .setHeight(2)
            .setData(ByteBuffer.wrap(px))
            .build();
    send(p, Topics.FRAMES, stream, AvroCodec.of(CameraFrame.class).encode(f));
  }

  private static void action(KafkaProducer<byte[], byte[]> p, String stream, int seq, int value) {
    ActionCommand a =
        ActionCommand.newBuilder()
            .setStreamId(stream)
            .setTimeUs(T0 + seq * 100_000L + 50_000)
            .setValues(List.of(value / 10f, -value / 10f))
            .setSource(ActionSource.PLANNER)
            .setFrameSequence((long) seq)
            .build();
    send(p, Topics.ACTIONS, stream, AvroCodec.of(ActionCommand.class).encode(a));
  }

  private static void reading(KafkaProducer<byte[], byte[]> p, String stream, int seq) {
    SensorReading r =
        SensorReading.newBuilder()
            .setStreamId(stream)
            .setSequence(seq)
            .setTimeUs(T0 + seq * 100_000L)
            .setKind("proprio")
            .setValues(List.of(1.0 * seq, 2.0, 0.0, 0.0))
            .build();
    send(p, Topics.READINGS, stream, AvroCodec.of(SensorReading.class).encode(r));
  }

  private static void send(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] v) {
    p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), v));
  }
}
