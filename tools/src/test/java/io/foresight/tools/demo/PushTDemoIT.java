package io.foresight.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.schemas.Topics;
import io.foresight.tools.cli.ForesightCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foresight demo --world pusht}: two Push-T robots through the job on the Push-T model for
 * 25 s; the report is drawn for Push-T (arena, T-shaped block and goal poses, the block's pose
 * error, imagined plans through the shipped probe) and every robot frame became a latent.
 */
class PushTDemoIT {
  private static final int ROBOTS = 2;

  @TempDir Path dir;

  @Test
  void shouldRunPushTRobotsThroughTheJobAndDrawThePushTReport() throws Exception {
    Path report = dir.resolve("report");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = System.out;
    int rc;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      rc =
          ForesightCli.commandLine()
              .execute(
                  "demo",
                  "--world",
                  "pusht",
                  "--robots",
                  Integer.toString(ROBOTS),
                  "--duration",
                  "25",
                  "--violation-rate",
                  "0.05",
                  "--live-port",
                  "-1",
                  "--work-dir",
                  dir.resolve("work").toString(),
                  "--report-dir",
                  report.toString());
    } finally {
      System.setOut(out);
    }
    String lines = console.toString(StandardCharsets.UTF_8);
    System.out.print(lines);
    assertThat(rc).as("demo exit code").isZero();
    assertThat(lines).contains("Push-T world", "goals reached (block within 2 px and 10 degrees)");

    JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
    assertThat(json.at("/settings/world").asText()).isEqualTo("pusht");
    assertThat(json.at("/settings/model").asText()).endsWith("push-t");
    // every robot frame became a latent: the frames topic holds them, the warm-up frame and the
    // bad frames (which became dead letters instead)
    long badFrames =
        BadRecords.all().stream().filter(e -> e.getKey().equals(Topics.FRAMES)).count();
    long frames = json.path("counts").path(Topics.FRAMES).asLong();
    long latents = json.path("counts").path(Topics.LATENTS).asLong();
    assertThat(frames).isGreaterThan(ROBOTS * 100L);
    assertThat(latents).as("latents of %d frames", frames).isEqualTo(frames - badFrames);
    assertThat(json.path("counts").path(Topics.PLANS).asLong()).isPositive();
    assertThat(json.at("/dead_letters/count").asInt()).isEqualTo(BadRecords.all().size());
    // goals are block poses by the Push-T criterion; no rooms
    assertThat(json.at("/goals/criterion/pixels").asDouble()).isEqualTo(2.0);
    assertThat(json.at("/goals/criterion/degrees").asDouble()).isEqualTo(10.0);
    assertThat(json.at("/goals").has("other_room_attempted")).isFalse();
    assertThat(json.at("/goals/reached").asLong()).isNotNegative();
    // imagined plans decoded by the shipped Push-T probe (agent and block centre)
    assertThat(json.at("/imagination/available").asBoolean()).isTrue();
    assertThat(json.at("/imagination/moments").asInt()).isPositive();
    assertThat(json.at("/imagination/block_probe_r2").asDouble()).isGreaterThan(0.9);
    assertThat(json.at("/latency_ms_frame_to_plan/plans_measured").asLong()).isPositive();

    String html = Files.readString(report.resolve("report.html"));
    assertThat(html)
        .contains("Foresight demo report: Push-T")
        .contains("Each robot in its own Push-T world")
        .contains("Block position error per robot")
        .contains("Block angle error per robot")
        .contains("Imagination against reality")
        .contains("polyline class='imagined'")
        .contains("polyline class='imagined-block'")
        .contains("The camera around surprise events")
        .doesNotContain("through the door")
        .doesNotContain("Two-Rooms");
    assertThat(count(html, "<figure class='robot-map'")).isEqualTo(ROBOTS);
    assertThat(count(html, "<polygon class='block'")).isEqualTo(ROBOTS);
    assertThat(count(html, "<polygon class='goal'")).isGreaterThanOrEqualTo(ROBOTS);
    assertThat(count(html, "<polyline class='path'")).isGreaterThanOrEqualTo(ROBOTS);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
