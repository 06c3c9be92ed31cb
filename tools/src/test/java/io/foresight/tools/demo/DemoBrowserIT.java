package io.foresight.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.tools.cli.ForesightCli;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a person sees it, in a real browser (Debian's chromium, headless): the live page
 * during a short run shows every robot's camera, position and imagined plan; the finished report
 * shows the summary, the maps and the plots; neither logs a console error. Saves the screenshots
 * the README shows (docs/img/live-view.png, docs/img/report.png).
 */
class DemoBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROBOTS = 2;

  @TempDir Path dir;

  @Test
  void shouldShowTheRobotsLiveAndTheFinishedReportInABrowser() throws Exception {
    assumeTrue(
        HeadlessChromium.available(),
        "chromium is not installed: the browser test is skipped (install it with apt-get install"
            + " -y --no-install-recommends chromium; .ci/run does)");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path report = dir.resolve("report");
    CompletableFuture<Integer> demo =
        CompletableFuture.supplyAsync(
            () ->
                ForesightCli.commandLine()
                    .execute(
                        "demo",
                        "--robots",
                        Integer.toString(ROBOTS),
                        "--duration",
                        "60",
                        "--violation-rate",
                        "0.02",
                        "--live-port",
                        Integer.toString(port),
                        "--work-dir",
                        dir.resolve("work").toString(),
                        "--report-dir",
                        report.toString()));
    String live = "http://127.0.0.1:" + port + "/";
    // the browser starts while the stack does: on a loaded machine both take long
    CompletableFuture<HeadlessChromium> chromium =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return HeadlessChromium.start(dir.resolve("chromium"), 1280, 1000);
              } catch (Exception e) {
                throw new IllegalStateException("chromium did not start: " + e.getMessage(), e);
              }
            });
    try {
      JsonNode state = awaitLiveState(live, demo, Duration.ofMinutes(5));
      // Flink's web dashboard of the demo's MiniCluster, linked from the page
      String dashboard = state.path("links").path("Flink dashboard").asText();
      assertThat(dashboard).startsWith("http://127.0.0.1:");
      HttpResponse<String> index =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(dashboard)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("Apache Flink");
    } catch (Throwable t) {
      chromium.thenAccept(HeadlessChromium::close); // no browser left behind
      throw t;
    }
    Path img = docsImg();
    try (HeadlessChromium browser = chromium.get(2, TimeUnit.MINUTES)) {
      browser.navigate(live);
      browser.await(
          "document.querySelectorAll('.robot img').length >= "
              + ROBOTS
              + " && document.querySelectorAll('.robot circle.agent').length >= "
              + ROBOTS
              + " && document.querySelectorAll('.robot polyline.plan').length >= 1"
              + " && document.querySelectorAll('.robot .goal').length >= 1",
          Duration.ofSeconds(60));
      assertThat(browser.evaluate("document.getElementById('status').textContent").asText())
          .startsWith("live");
      browser.screenshot(img.resolve("live-view.png"));
      assertThat(browser.errors()).as("console errors on the live page").isEmpty();
    }

    assertThat(demo.get(5, TimeUnit.MINUTES)).as("demo exit code").isZero();
    Path html = report.resolve("report.html");
    // self-contained: nothing is fetched from elsewhere (the SVG namespace is a name, not a fetch)
    assertThat(Files.readString(html))
        .doesNotContain("src='http", "src=\"http", "href='http", "href=\"http", "url(http")
        .contains("data:image/png");
    try (HeadlessChromium browser = HeadlessChromium.start(dir.resolve("chromium2"), 1280, 1000)) {
      browser.navigate(html.toUri().toString());
      browser.await("document.readyState === 'complete'", Duration.ofSeconds(30));
      assertThat(browser.evaluate("document.querySelectorAll('#summary tr').length").asInt())
          .isGreaterThanOrEqualTo(9);
      assertThat(
              browser
                  .evaluate("document.querySelectorAll('#summary .pass, #summary .fail').length")
                  .asInt())
          .isGreaterThanOrEqualTo(4);
      assertThat(browser.evaluate("document.querySelectorAll('figure.robot-map').length").asInt())
          .isEqualTo(ROBOTS);
      assertThat(
              browser
                  .evaluate("document.querySelectorAll('figure.robot-map polyline.path').length")
                  .asInt())
          .isGreaterThanOrEqualTo(ROBOTS);
      assertThat(browser.evaluate("document.querySelectorAll('svg.plot').length").asInt())
          .isGreaterThanOrEqualTo(4);
      assertThat(browser.evaluate("document.querySelectorAll('polyline.imagined').length").asInt())
          .isGreaterThanOrEqualTo(1);
      assertThat(browser.evaluate("document.body.innerText").asText())
          .contains("decoded through a linear probe")
          .contains("R²");
      browser.screenshot(img.resolve("report.png"));
      assertThat(browser.errors()).as("console errors in the report").isEmpty();
    }
  }

  /** Waits until the live state has every robot with a camera frame and an imagined plan. */
  private static JsonNode awaitLiveState(
      String live, CompletableFuture<Integer> demo, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
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
          if (r.has("camera") && r.has("plan") && r.has("goal")) {
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
    throw new AssertionError("the live view had no robot with a plan in time: " + last);
  }

  /** docs/img of the repository (the README shows the screenshots). */
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
}
