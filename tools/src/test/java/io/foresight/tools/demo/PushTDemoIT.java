package io.foresight.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.schemas.Topics;
import io.foresight.tools.cli.ForesightCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foresight demo --world pusht}: two Push-T robots through the job on the Push-T model for
 * 25 s. The live view shows each robot's block and goal pose; the report is drawn for Push-T
 * (arena, T-shaped block and goal poses, the block's pose error, imagined plans through the shipped
 * probe) and every robot frame became a latent. Where chromium is installed, the live page and the
 * report are also opened in it (no console error) and saved as docs/img/pusht-*.png.
 */
class PushTDemoIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROBOTS = 2;

  @TempDir Path dir;

  @Test
  void shouldRunPushTRobotsThroughTheJobAndDrawThePushTReport() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path report = dir.resolve("report");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = System.out;
    // started before the demo: on a loaded machine it takes a while, and the run is short
    HeadlessChromium browser =
        HeadlessChromium.available()
            ? HeadlessChromium.start(dir.resolve("chromium"), 1280, 1000)
            : null;
    try {
      runAndCheck(browser, port, report, console, out);
    } finally {
      if (browser != null) {
        browser.close(); // before @TempDir deletes the profile chromium still writes into
      }
    }
  }

  private void runAndCheck(
      HeadlessChromium browser,
      int port,
      Path report,
      ByteArrayOutputStream console,
      PrintStream out)
      throws Exception {
    String lines;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      CompletableFuture<Integer> demo =
          CompletableFuture.supplyAsync(
              () ->
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
                          Integer.toString(port),
                          "--work-dir",
                          dir.resolve("work").toString(),
                          "--report-dir",
                          report.toString()));
      JsonNode state = awaitLiveState("http://127.0.0.1:" + port + "/", demo);
      assertThat(state.path("world").asText()).isEqualTo("pusht");
      assertThat(state.at("/arena/block_shape").size()).isEqualTo(8);
      if (browser != null) {
        browser.navigate("http://127.0.0.1:" + port + "/");
        browser.await(
            "document.querySelectorAll('.robot img').length >= "
                + ROBOTS
                + " && document.querySelectorAll('.robot polygon.block').length >= "
                + ROBOTS
                + " && document.querySelectorAll('.robot polygon.goal').length >= "
                + ROBOTS
                + " && document.querySelectorAll('.robot circle.agent').length >= "
                + ROBOTS
                + " && document.querySelectorAll('.robot polyline.plan').length >= 1",
            Duration.ofSeconds(60));
        browser.screenshot(docsImg().resolve("pusht-live-view.png"));
        assertThat(browser.errors()).as("console errors on the live page").isEmpty();
        browser.navigate("about:blank"); // off the event stream before the demo ends it
      }
      assertThat(demo.get(5, TimeUnit.MINUTES)).as("demo exit code").isZero();
    } catch (Throwable t) {
      if (browser != null) {
        browser.close(); // no browser left behind
      }
      throw t;
    } finally {
      System.setOut(out);
      lines = console.toString(StandardCharsets.UTF_8);
      System.out.print(lines);
    }
    try {
      checkReport(report, lines, browser);
    } finally {
      if (browser != null) {
        browser.close();
      }
    }
  }

  private static void checkReport(Path report, String lines, HeadlessChromium browser)
      throws Exception {
    assertThat(lines).contains("Push-T world", "goals reached (block within 2 px and 10 degrees)");

    JsonNode json = JSON.readTree(report.resolve("report.json").toFile());
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
    assertThat(json.at("/latency_ms_frame_to_plan/plans_measured").asLong()).isPositive();
    // imagined plans decoded by the shipped Push-T probe (agent and block centre)
    assertThat(json.at("/imagination/available").asBoolean()).isTrue();
    assertThat(json.at("/imagination/moments").asInt()).isPositive();
    assertThat(json.at("/imagination/block_probe_r2").asDouble()).isGreaterThan(0.9);

    Path html = report.resolve("report.html");
    String page = Files.readString(html);
    assertThat(page)
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
    assertThat(count(page, "<figure class='robot-map'")).isEqualTo(ROBOTS);
    assertThat(count(page, "<polygon class='block'")).isGreaterThanOrEqualTo(ROBOTS);
    assertThat(count(page, "<polygon class='goal'")).isGreaterThanOrEqualTo(ROBOTS);
    assertThat(count(page, "<polyline class='path'")).isGreaterThanOrEqualTo(ROBOTS);
    if (browser != null) {
      int before = browser.errors().size();
      browser.navigate(html.toUri().toString());
      browser.await("document.readyState === 'complete'", Duration.ofSeconds(30));
      assertThat(
              browser
                  .evaluate("document.querySelectorAll('figure.robot-map polygon').length")
                  .asInt())
          .isGreaterThanOrEqualTo(2 * ROBOTS);
      browser.screenshot(docsImg().resolve("pusht-report.png"));
      assertThat(browser.errors().subList(before, browser.errors().size()))
          .as("console errors in the report")
          .isEmpty();
    }
  }

  /** Waits until the live state has every robot with a camera frame, a block and a goal. */
  private static JsonNode awaitLiveState(String live, CompletableFuture<Integer> demo)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    String last = "nothing";
    while (System.nanoTime() < deadline) {
      if (demo.isDone()) {
        throw new AssertionError("the demo ended (exit " + demo.get() + ") before its live view");
      }
      try {
        JsonNode s =
            JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(URI.create(live + "state"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        int ready = 0;
        for (JsonNode r : s.path("robots")) {
          if (r.has("camera") && r.has("block") && r.path("goal").size() == 3) {
            ready++;
          }
        }
        if (ready >= ROBOTS) {
          return s;
        }
        last = ready + " robots ready";
      } catch (java.io.IOException e) {
        last = e.toString(); // not serving yet
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("the live view had no Push-T robot with a block in time: " + last);
  }

  /** docs/img of the repository. */
  private static Path docsImg() {
    Path d = Path.of("").toAbsolutePath();
    while (d != null && !Files.isDirectory(d.resolve("docs"))) {
      d = d.getParent();
    }
    if (d == null) {
      throw new IllegalStateException(
          "no docs/ folder at or above " + Path.of("").toAbsolutePath());
    }
    return d.resolve("docs").resolve("img");
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
