package io.foresight.memory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small client of the memory's HTTP JSON API (docs/memory-api.md) that returns the JSON text of
 * each answer; non-2xx answers raise {@link MemoryException} with the status and the server's
 * reason. Needs only the JDK.
 *
 * <pre>{@code
 * MemoryClient memory = MemoryClient.of("http://127.0.0.1:8090");
 * String latest = memory.get("/streams/" + MemoryClient.encode("robot-1") + "/latest");
 * }</pre>
 */
public final class MemoryClient {
  private final String baseUrl;
  private final HttpClient http;
  private final Duration timeout;

  private MemoryClient(String baseUrl, Duration timeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** A client of the memory at {@code baseUrl}, e.g. {@code http://127.0.0.1:8090}. */
  public static MemoryClient of(String baseUrl) {
    return new MemoryClient(baseUrl, Duration.ofSeconds(60));
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Percent-encodes a path segment or query value (a stream id). */
  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** GETs {@code pathAndQuery} (starting with {@code /}) and returns the JSON text. */
  public String get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  /** POSTs a JSON body to {@code path} and returns the JSON text. */
  public String post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** The HTTP status of GET {@code pathAndQuery}, or -1 if the server does not answer. */
  public int status(String pathAndQuery) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri(pathAndQuery)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private URI uri(String path) {
    if (!path.startsWith("/")) {
      throw new MemoryException("API paths start with '/', got '" + path + "'");
    }
    return URI.create(baseUrl + path);
  }

  private String send(HttpRequest.Builder b) {
    HttpRequest req = b.timeout(timeout).build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() / 100 != 2) {
        throw new MemoryException(
            req.method() + " " + req.uri() + " answered " + resp.statusCode() + ": " + resp.body());
      }
      return resp.body();
    } catch (IOException e) {
      throw new MemoryException(
          "the memory at "
              + baseUrl
              + " does not answer ("
              + e
              + "); is `foresight memory serve` running there?",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemoryException("interrupted while asking " + req.uri(), e);
    }
  }
}
