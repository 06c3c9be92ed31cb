package io.foresight.memory.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A typed client of the memory store's HTTP API (docs/memory-api.md) on the JDK's {@link
 * HttpClient}: one method per endpoint, answers as the records of this package. A failed call
 * throws {@link MemoryApiException} with the URL, the status and the server's reason. Thread-safe.
 *
 * <pre>{@code
 * MemoryClient memory = MemoryClient.of("http://127.0.0.1:8090");
 * State latest = memory.latest("robot-1");
 * LandmarkExport map = memory.landmarks(LandmarkQuery.defaults().withK(64));
 * }</pre>
 */
public final class MemoryClient {
  /** The header that marks a request as sent by another instance: answer it locally. */
  public static final String FORWARDED = "X-Foresight-Forwarded";

  private static final ObjectMapper JSON = MemoryJson.mapper();

  private final String baseUrl;
  private final HttpClient http;
  private final Duration timeout;
  private final boolean local;

  private MemoryClient(String baseUrl, HttpClient http, Duration timeout, boolean local) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = http;
    this.timeout = timeout;
    this.local = local;
  }

  /** A client of the memory at {@code baseUrl}, e.g. {@code http://127.0.0.1:8090}. */
  public static MemoryClient of(String baseUrl) {
    return new MemoryClient(
        baseUrl,
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build(),
        Duration.ofSeconds(60),
        false);
  }

  /** The same client with another time limit per call. */
  public MemoryClient withTimeout(Duration timeout) {
    return new MemoryClient(baseUrl, http, timeout, local);
  }

  /**
   * The same client, but each instance asked answers from its own partitions only: nothing is
   * forwarded to the owner of a stream, nothing gathered from the other instances. This is how
   * instances ask each other.
   */
  public MemoryClient local() {
    return new MemoryClient(baseUrl, http, timeout, true);
  }

  /** The same client with another base URL (sharing the connection pool). */
  public MemoryClient at(String otherBaseUrl) {
    return new MemoryClient(otherBaseUrl, http, timeout, local);
  }

  public String baseUrl() {
    return baseUrl;
  }

  // ------------------------------------------------------------------------------- endpoints

  /** {@code GET /}: the endpoint list. */
  public ApiIndex index() {
    return get("/", ApiIndex.class);
  }

  /** {@code GET /health}; answers {@code DOWN} (the server's 503) rather than throwing. */
  public Health health() {
    Answer a = send(request("/health").GET());
    if (a.status() == 200 || a.status() == 503) {
      return parse(a, Health.class);
    }
    throw failure(a);
  }

  /** {@code GET /metrics}: the Prometheus text exposition. */
  public String metrics() {
    return ok(send(request("/metrics").GET())).body();
  }

  /** {@code GET /models}. */
  public ModelList models() {
    return get("/models", ModelList.class);
  }

  /** {@code GET /streams}. */
  public StreamList streams() {
    return get("/streams", StreamList.class);
  }

  /** {@code GET /streams/{stream}}: the summary with running statistics. */
  public StreamSummary stream(String stream) {
    return get(streamPath(stream, ""), StreamSummary.class);
  }

  /** {@code GET /streams/{stream}/latest}: the newest state of the stream's newest model. */
  public State latest(String stream) {
    return latest(stream, null, true);
  }

  /** {@code GET /streams/{stream}/latest?model=&latents=}. */
  public State latest(String stream, String model, boolean latents) {
    return get(
        streamPath(stream, "/latest") + new Query().add("model", model).add("latents", latents),
        State.class);
  }

  /** {@code GET /streams/{stream}/at?time=&model=&latents=}: the newest state at or before. */
  public State at(String stream, long timeUs, String model, boolean latents) {
    return get(
        streamPath(stream, "/at")
            + new Query().add("time", timeUs).add("model", model).add("latents", latents),
        State.class);
  }

  /** {@code GET /streams/{stream}/range}: one page. */
  public StatePage range(String stream, RangeQuery q) {
    return get(streamPath(stream, "/range") + rangeQuery(q), StatePage.class);
  }

  /** Every state of {@code q} (from its cursor on), following {@code nextCursor} to the end. */
  public List<State> rangeAll(String stream, RangeQuery q) {
    List<State> out = new ArrayList<>();
    RangeQuery page = q;
    while (true) {
      StatePage p = range(stream, page);
      out.addAll(p.items());
      if (p.nextCursor() == null) {
        return out;
      }
      page = page.withCursor(p.nextCursor());
    }
  }

  /** {@code GET /streams/{stream}/transitions}: one page. */
  public TransitionPage transitions(String stream, RangeQuery q) {
    return get(streamPath(stream, "/transitions") + rangeQuery(q), TransitionPage.class);
  }

  /** {@code POST /nearest}: the nearest stored states to a latent. */
  public Neighbors nearest(NearestRequest body) {
    return post("/nearest", body, Neighbors.class);
  }

  /** {@code GET /nearest}: the nearest stored states to a stored reference state. */
  public Neighbors nearest(ReferenceQuery q) {
    return get(
        "/nearest"
            + new Query()
                .add("stream", q.stream())
                .add("time", q.timeUs())
                .add("k", q.k())
                .add("model", q.model())
                .add("ef", q.ef())
                .add("exact", q.exact())
                .add("scope", q.scope() == null ? null : q.scope().wire()),
        Neighbors.class);
  }

  /** {@code GET /landmarks}: landmarks and the edges between them. */
  public LandmarkExport landmarks(LandmarkQuery q) {
    return get(
        "/landmarks"
            + new Query()
                .add("k", q.k())
                .add("model", q.model())
                .add("stream", q.stream())
                .add("sample", q.sample())
                .add("latents", q.latents()),
        LandmarkExport.class);
  }

  /** {@code POST /internal/landmarks/sample} (between instances). */
  public InstanceCalls.Samples sample(InstanceCalls.SampleRequest body) {
    return post("/internal/landmarks/sample", body, InstanceCalls.Samples.class);
  }

  /** {@code POST /internal/landmarks/edges} (between instances). */
  public InstanceCalls.EdgeCounts edges(InstanceCalls.EdgesRequest body) {
    return post("/internal/landmarks/edges", body, InstanceCalls.EdgeCounts.class);
  }

  // ------------------------------------------------------------------------------- untyped

  /** GETs {@code pathAndQuery} (starting with {@code /}) and returns the JSON text as sent. */
  public String get(String pathAndQuery) {
    return ok(send(request(pathAndQuery).GET())).body();
  }

  /** POSTs a JSON text to {@code path} and returns the JSON text answered. */
  public String post(String path, String json) {
    return ok(send(
            request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))))
        .body();
  }

  /** The HTTP status of GET {@code pathAndQuery}, or {@link MemoryApiException#NO_ANSWER}. */
  public int status(String pathAndQuery) {
    try {
      return send(request(pathAndQuery).GET()).status();
    } catch (MemoryApiException e) {
      if (e.status() == MemoryApiException.NO_ANSWER) {
        return MemoryApiException.NO_ANSWER;
      }
      throw e;
    }
  }

  /** Percent-encodes a path segment or query value (a stream id); a space becomes {@code %20}. */
  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ------------------------------------------------------------------------------- plumbing

  private record Answer(String method, URI uri, int status, String body) {}

  private static String streamPath(String stream, String op) {
    return "/streams/" + encode(stream) + op;
  }

  private static Query rangeQuery(RangeQuery q) {
    return new Query()
        .add("from", q.fromUs())
        .add("to", q.toUs())
        .add("limit", q.limit())
        .add("cursor", q.cursor())
        .add("model", q.model())
        .add("latents", q.latents());
  }

  private <T> T get(String pathAndQuery, Class<T> type) {
    return parse(ok(send(request(pathAndQuery).GET())), type);
  }

  private <T> T post(String path, Object body, Class<T> type) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + body + " as JSON: " + e, e);
    }
    return parse(
        ok(
            send(
                request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json)))),
        type);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    if (!pathAndQuery.startsWith("/")) {
      throw new IllegalArgumentException("API paths start with '/', got '" + pathAndQuery + "'");
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout);
    return local ? b.header(FORWARDED, "1") : b;
  }

  private Answer send(HttpRequest.Builder b) {
    HttpRequest req = b.build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      return new Answer(req.method(), req.uri(), resp.statusCode(), resp.body());
    } catch (IOException e) {
      throw new MemoryApiException(
          req.method()
              + " "
              + req.uri()
              + ": the memory at "
              + baseUrl
              + " does not answer ("
              + e
              + "); is `foresight memory serve` running there?",
          req.uri().toString(),
          MemoryApiException.NO_ANSWER,
          e.toString(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemoryApiException(
          "interrupted while asking " + req.uri(),
          req.uri().toString(),
          MemoryApiException.NO_ANSWER,
          "interrupted",
          e);
    }
  }

  private static Answer ok(Answer a) {
    if (a.status() / 100 != 2) {
      throw failure(a);
    }
    return a;
  }

  private static MemoryApiException failure(Answer a) {
    String reason = a.body();
    try {
      JsonNode n = JSON.readTree(a.body());
      if (n != null && n.hasNonNull("error")) {
        reason = n.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: keep the body as it came
    }
    return new MemoryApiException(
        a.method() + " " + a.uri() + " answered " + a.status() + ": " + reason,
        a.uri().toString(),
        a.status(),
        reason,
        null);
  }

  private static <T> T parse(Answer a, Class<T> type) {
    try {
      return JSON.readValue(a.body(), type);
    } catch (IOException e) {
      throw new MemoryApiException(
          a.method()
              + " "
              + a.uri()
              + " answered "
              + a.status()
              + " with a body that is not a "
              + type.getSimpleName()
              + ": "
              + e.getMessage(),
          a.uri().toString(),
          a.status(),
          e.getMessage(),
          e);
    }
  }

  /** A query string; {@code null} values are left out. */
  private static final class Query {
    private final StringBuilder s = new StringBuilder();

    Query add(String name, Object value) {
      if (value != null) {
        s.append(s.length() == 0 ? '?' : '&')
            .append(name)
            .append('=')
            .append(encode(value.toString()));
      }
      return this;
    }

    @Override
    public String toString() {
      return s.toString();
    }
  }
}
