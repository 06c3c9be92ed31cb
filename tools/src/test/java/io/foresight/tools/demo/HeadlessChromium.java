package io.foresight.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless, driven through the DevTools protocol (the JDK's WebSocket
 * client): navigate, evaluate JavaScript, collect console errors and uncaught exceptions, take
 * screenshots.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** Whether {@code chromium} runs on this machine. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("chromium", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts chromium with a fresh profile in {@code dir} and attaches to its page. */
  static HeadlessChromium start(Path dir, int width, int height) throws Exception {
    Files.createDirectories(dir);
    Process p =
        new ProcessBuilder(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + dir.resolve("profile"),
                "--window-size=" + width + "," + height,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chromium.log").toFile())
            .start();
    Path portFile = dir.resolve("profile").resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.isRegularFile(portFile) && Files.size(portFile) > 0)) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "chromium did not open its DevTools port; see " + dir.resolve("chromium.log"));
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String ws = null;
    while (ws == null) {
      JsonNode list =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      for (JsonNode t : list) {
        if ("page".equals(t.path("type").asText())) {
          ws = t.path("webSocketDebuggerUrl").asText();
        }
      }
      if (ws == null) {
        Thread.sleep(100);
      }
    }
    HeadlessChromium[] self = new HeadlessChromium[1];
    StringBuilder buf = new StringBuilder();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(ws),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket s, CharSequence data, boolean last) {
                    buf.append(data);
                    if (last) {
                      String msg = buf.toString();
                      buf.setLength(0);
                      self[0].receive(msg);
                    }
                    s.request(1);
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    HeadlessChromium c = new HeadlessChromium(p, socket);
    self[0] = c;
    c.call("Runtime.enable", JSON.createObjectNode());
    c.call("Log.enable", JSON.createObjectNode());
    c.call("Page.enable", JSON.createObjectNode());
    return c;
  }

  private void receive(String msg) {
    try {
      JsonNode m = JSON.readTree(msg);
      if (m.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
        if (f != null) {
          if (m.has("error")) {
            f.completeExceptionally(new IllegalStateException(m.get("error").toString()));
          } else {
            f.complete(m.path("result"));
          }
        }
        return;
      }
      String method = m.path("method").asText();
      JsonNode params = m.path("params");
      switch (method) {
        case "Runtime.exceptionThrown" ->
            errors.add("uncaught: " + params.path("exceptionDetails").toString());
        case "Runtime.consoleAPICalled" -> {
          if ("error".equals(params.path("type").asText())) {
            errors.add("console.error: " + params.path("args").toString());
          }
        }
        case "Log.entryAdded" -> {
          JsonNode e = params.path("entry");
          if ("error".equals(e.path("level").asText())) {
            errors.add(
                e.path("source").asText()
                    + ": "
                    + e.path("text").asText()
                    + " "
                    + e.path("url").asText());
          }
        }
        default -> {}
      }
    } catch (IOException e) {
      errors.add("undecodable DevTools message: " + e.getMessage());
    }
  }

  JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
    return f.get(60, TimeUnit.SECONDS);
  }

  void navigate(String url) throws Exception {
    call("Page.navigate", JSON.createObjectNode().put("url", url));
  }

  /** The value of a JavaScript expression in the page. */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("'" + expression + "' threw " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Waits until {@code expression} is true in the page. */
  void await(String expression, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode v = evaluate(expression);
      if (v.asBoolean(false)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the page did not get to '"
                + expression
                + "' within "
                + timeout.toSeconds()
                + " s; it shows: "
                + evaluate("document.body ? document.body.innerText.slice(0, 600) : ''"));
      }
      Thread.sleep(250);
    }
  }

  /** A PNG of the whole page. */
  void screenshot(Path png) throws Exception {
    JsonNode r =
        call(
            "Page.captureScreenshot",
            JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
  }

  /** Console errors and uncaught exceptions so far. */
  List<String> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("chromium's DevTools socket did not close cleanly: " + e);
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
