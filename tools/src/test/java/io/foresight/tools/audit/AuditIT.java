package io.foresight.tools.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Examples;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Prediction;
import io.foresight.tools.cli.ForesightCli;
import io.foresight.tools.internal.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foresight audit check} on a real broker: it finds a lost frame, a duplicated latent and a
 * reset working memory, and attributes them, the recovery and the pause in plans to the fault whose
 * window they fall in.
 */
class AuditIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final long T = 1_800_000_000_000L; // ms

  @TempDir Path dir;

  @Test
  void shouldCountLostDuplicatedAndResetFramesPerFault() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.bytesProducer(bootstrap)) {
      for (int seq = 0; seq < 10; seq++) {
        long us = (T + seq * 100L) * 1000;
        CameraFrame f =
            CameraFrame.newBuilder(Examples.cameraFrame())
                .setStreamId("s")
                .setSequence(seq)
                .setCaptureTimeUs(us)
                .build();
        send(p, Topics.FRAMES, AvroCodec.of(CameraFrame.class).encode(f));
        LatentState l =
            LatentState.newBuilder(Examples.latentState())
                .setStreamId("s")
                .setSequence(seq)
                .setTimeUs(us)
                .build();
        if (seq != 7) { // lost
          send(p, Topics.LATENTS, AvroCodec.of(LatentState.class).encode(l));
        }
        if (seq == 3) { // duplicated
          send(p, Topics.LATENTS, AvroCodec.of(LatentState.class).encode(l));
        }
        Prediction pr =
            Prediction.newBuilder(Examples.prediction())
                .setStreamId("s")
                .setSequence(seq)
                .setTimeUs(us)
                .setSurprise(
                    seq == 0 || seq == 5 ? null : 0.1) // 5: made without its previous state
                .build();
        send(p, Topics.PREDICTIONS, AvroCodec.of(Prediction.class).encode(pr));
      }
      p.flush();
    }
    Path faults = dir.resolve("faults.jsonl");
    Files.writeString(
        faults,
        "{\"fault\":\"kill-x\",\"t0_ms\":"
            + (T + 250)
            + ",\"t1_ms\":"
            + (T + 250)
            + ",\"t2_ms\":"
            + (T + 3000)
            + "}\n");
    Path timeline = dir.resolve("timeline.jsonl");
    Files.write(
        timeline,
        List.of(
            line(T + 1000, 0, T + 100, 3, 1),
            line(T + 2000, 0, T + 600, 2, 0),
            line(T + 3000, 5, T + 900, 1, 2),
            line(T + 9000, 0, T + 900, 9, 9)));
    Path json = dir.resolve("audit.json");

    int rc =
        ForesightCli.commandLine()
            .execute(
                "audit",
                "check",
                "--bootstrap",
                bootstrap,
                "--faults",
                faults.toString(),
                "--timeline",
                timeline.toString(),
                "--wait",
                "5s",
                "--json",
                json.toString());

    assertThat(rc).as("exit code when something was lost").isEqualTo(3);
    JsonNode r = new ObjectMapper().readTree(json.toFile());
    assertThat(r.path("frames").asLong()).isEqualTo(10);
    assertThat(r.path("latents_distinct").asLong()).isEqualTo(9);
    assertThat(r.path("lost").asLong()).isEqualTo(1);
    assertThat(r.path("duplicates").asLong()).isEqualTo(1);
    assertThat(r.path("memory_resets").asLong()).isEqualTo(1);
    JsonNode f = r.path("faults").path(0);
    assertThat(f.path("fault").asText()).isEqualTo("kill-x");
    assertThat(f.path("frames").asLong()).as("frames 3..9 captured after the fault").isEqualTo(7);
    assertThat(f.path("lost").asLong()).isEqualTo(1);
    assertThat(f.path("duplicated").asLong()).isEqualTo(1);
    assertThat(f.path("memory_resets").asLong()).isEqualTo(1);
    assertThat(f.path("recovery_s").asDouble())
        .as("the first second with a latent of a frame after the fault")
        .isEqualTo(1.75);
    assertThat(f.path("plans_pause_s").asDouble()).isEqualTo(2.0);
    assertThat(f.path("queries").path("u").path("answered").asLong()).isEqualTo(6);
    assertThat(f.path("queries").path("u").path("failed").asLong()).isEqualTo(3);
    assertThat(f.path("queries").path("u").path("failing_s").asLong()).isEqualTo(1);
  }

  private static String line(long t, int plans, long latentMax, int ok, int failed) {
    return "{\"tMs\":"
        + t
        + ",\"latents\":1,\"plans\":"
        + plans
        + ",\"latentFrameMaxMs\":"
        + latentMax
        + ",\"planFrameMaxMs\":0,\"memory\":{\"u\":["
        + ok
        + ","
        + failed
        + "]}}";
  }

  private static void send(KafkaProducer<byte[], byte[]> p, String topic, byte[] value) {
    p.send(new ProducerRecord<>(topic, "s".getBytes(StandardCharsets.UTF_8), value));
  }
}
