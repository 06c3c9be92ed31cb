package io.foresight.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.foresight.memory.MemoryException;
import io.foresight.memory.StreamSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory's HTTP JSON API on the JDK's {@code com.sun.net.httpserver}: stream listings, latest
 * state, time ranges with paging, nearest neighbours, transitions, landmarks, health and Prometheus
 * metrics. With several instances, a request about one stream is forwarded to the instance that
 * owns the stream's partition, and a request about all streams (listings, nearest neighbours of a
 * latent, landmarks) is sent to every instance and the answers merged. See docs/memory-api.md.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  static final String FORWARDED = "X-Foresight-Forwarded";
  static final int MAX_LIMIT = 10_000;
  static final int MAX_K = 1_000;

  /** Where the other instances are and who owns which stream. */
  public interface Cluster {
    /**
     * The base URL of the instance that owns {@code stream}, or {@code null} if it is this one.
     *
     * @throws ApiException (503) if ownership is unknown now (rebalancing)
     */
    String ownerUrl(String stream);

    /** Base URLs of the other instances of this application. */
    List<String> otherUrls();

    /** A short state for /health, e.g. {@code RUNNING}. */
    String state();

    /** Whether /health should answer 200. */
    boolean healthy();

    /** Appends platform metrics (Kafka Streams) in Prometheus text format. */
    void appendMetrics(StringBuilder out);

    /** One instance that owns everything: tests and single-process tools. */
    static Cluster single() {
      return new Cluster() {
        @Override
        public String ownerUrl(String stream) {
          return null;
        }

        @Override
        public List<String> otherUrls() {
          return List.of();
        }

        @Override
        public String state() {
          return "RUNNING";
        }

        @Override
        public boolean healthy() {
          return true;
        }

        @Override
        public void appendMetrics(StringBuilder out) {}
      };
    }
  }

  /** An error answered with its HTTP status and a JSON reason. */
  public static final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final MemoryQueries queries;
  private final Cluster cluster;
  private final MemoryMetrics metrics;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;

  public HttpApi(MemoryQueries queries, Cluster cluster, String host, int port, int threads) {
    this.queries = queries;
    this.cluster = cluster;
    this.metrics = queries.memory().metrics();
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new MemoryException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " for the HTTP API ("
              + e.getMessage()
              + "); choose another memory.http.port or stop what uses it",
          e);
    }
    executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "foresight-memory-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** Starts answering requests. */
  public HttpApi start() {
    server.start();
    return this;
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------------------- dispatch

  private record Request(
      String method,
      List<String> path,
      Map<String, String> params,
      byte[] body,
      boolean local,
      String rawPath,
      String rawQuery) {
    String param(String name) {
      return params.get(name);
    }
  }

  private record Response(int status, String contentType, byte[] body) {
    static Response json(Object o) {
      return new Response(200, "application/json", Json.write(o));
    }
  }

  private void handle(HttpExchange ex) {
    long t0 = System.nanoTime();
    String endpoint = "unknown";
    Response response;
    try {
      Request req = parse(ex);
      endpoint = endpointName(req);
      response = route(req);
    } catch (ApiException e) {
      response = error(e.status(), e.getMessage());
    } catch (IllegalArgumentException e) {
      response = error(400, e.getMessage());
    } catch (InvalidStateStoreException e) {
      response =
          error(
              503,
              "the state is not queryable right now (restoring or rebalancing): "
                  + e.getMessage()
                  + "; retry shortly");
    } catch (RuntimeException e) {
      LOG.error("HTTP {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      response = error(500, "internal error: " + e);
    }
    try {
      ex.getResponseHeaders().set("Content-Type", response.contentType());
      ex.sendResponseHeaders(
          response.status(), response.body().length == 0 ? -1 : response.body().length);
      if (response.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(response.body());
        }
      }
    } catch (IOException e) {
      LOG.debug("Client went away: {}", e.toString());
    } finally {
      ex.close();
      metrics.request(endpoint, response.status(), System.nanoTime() - t0);
    }
  }

  private static Response error(int status, String message) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("status", status);
    o.put("error", message == null ? "" : message);
    return new Response(status, "application/json", Json.write(o));
  }

  private static Request parse(HttpExchange ex) {
    URI uri = ex.getRequestURI();
    String rawPath = uri.getRawPath();
    List<String> path = new ArrayList<>();
    for (String seg : rawPath.split("/")) {
      if (!seg.isEmpty()) {
        path.add(percentDecode(seg));
      }
    }
    Map<String, String> params = new HashMap<>();
    String rawQuery = uri.getRawQuery();
    if (rawQuery != null) {
      for (String kv : rawQuery.split("&")) {
        if (kv.isEmpty()) {
          continue;
        }
        int eq = kv.indexOf('=');
        String k = percentDecode(eq < 0 ? kv : kv.substring(0, eq));
        String v = eq < 0 ? "" : percentDecode(kv.substring(eq + 1));
        params.put(k, v);
      }
    }
    byte[] body = new byte[0];
    if (ex.getRequestMethod().equals("POST")) {
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(64 << 20);
      } catch (IOException e) {
        throw new ApiException(400, "cannot read the request body: " + e.getMessage());
      }
    }
    boolean local =
        "true".equals(params.get("local")) || ex.getRequestHeaders().containsKey(FORWARDED);
    return new Request(ex.getRequestMethod(), path, params, body, local, rawPath, rawQuery);
  }

  /** Decodes %XX escapes as UTF-8; unlike URLDecoder, '+' stays '+'. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("bad percent escape at the end of '" + s + "'");
        }
        try {
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad percent escape in '" + s + "'");
        }
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String endpointName(Request r) {
    List<String> p = r.path();
    if (p.isEmpty()) {
      return "root";
    }
    if (p.get(0).equals("streams") && p.size() >= 2) {
      return p.size() == 2 ? "stream" : "stream_" + p.get(2);
    }
    return String.join("_", p).replaceAll("[^a-zA-Z0-9_]", "_");
  }

  private Response route(Request r) {
    List<String> p = r.path();
    boolean get = r.method().equals("GET");
    boolean post = r.method().equals("POST");
    if (p.isEmpty()) {
      requireMethod(get, r);
      return Response.json(index());
    }
    switch (p.get(0)) {
      case "health":
        requireMethod(get, r);
        return health();
      case "metrics":
        requireMethod(get, r);
        return metricsText();
      case "models":
        requireMethod(get, r);
        return Response.json(models(r));
      case "streams":
        requireMethod(get, r);
        if (p.size() == 1) {
          return Response.json(streams(r));
        }
        return stream(r, p.get(1), p.size() > 2 ? p.get(2) : "", p.size());
      case "nearest":
        if (get) {
          return Response.json(nearestToReference(r));
        }
        requireMethod(post, r);
        return Response.json(nearestToLatent(r, Json.read(r.body())));
      case "landmarks":
        requireMethod(get, r);
        return Response.json(landmarks(r));
      case "internal":
        requireMethod(post, r);
        if (p.size() == 3 && p.get(1).equals("landmarks") && p.get(2).equals("sample")) {
          return Response.json(localSample(Json.read(r.body())));
        }
        if (p.size() == 3 && p.get(1).equals("landmarks") && p.get(2).equals("edges")) {
          return Response.json(localEdges(Json.read(r.body())));
        }
        break;
      default:
        break;
    }
    throw new ApiException(404, "no such endpoint: " + r.rawPath() + "; see GET / for the list");
  }

  private static void requireMethod(boolean ok, Request r) {
    if (!ok) {
      throw new ApiException(405, r.method() + " is not allowed on " + r.rawPath());
    }
  }

  private static Map<String, Object> index() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("service", "foresight-memory");
    o.put(
        "endpoints",
        List.of(
            "GET /health",
            "GET /metrics",
            "GET /models",
            "GET /streams",
            "GET /streams/{stream}",
            "GET /streams/{stream}/latest?model=",
            "GET /streams/{stream}/at?time=&model=",
            "GET /streams/{stream}/range?from=&to=&limit=&cursor=&model=&latents=",
            "GET /streams/{stream}/transitions?from=&to=&limit=&cursor=&model=",
            "GET /nearest?stream=&time=&k=&model=&ef=&exact=&scope=",
            "POST /nearest {latent, k, model, ef, exact, stream}",
            "GET /landmarks?model=&k=&stream=&sample="));
    return o;
  }

  // ------------------------------------------------------------------------------- endpoints

  private Response health() {
    Map<String, Object> o = new LinkedHashMap<>();
    boolean ok = cluster.healthy();
    o.put("status", ok ? "UP" : "DOWN");
    o.put("state", cluster.state());
    o.put("partitions", queries.memory().partitions().size());
    o.put("latentsStored", metrics.latentsStored());
    return new Response(ok ? 200 : 503, "application/json", Json.write(o));
  }

  private Response metricsText() {
    StringBuilder out = new StringBuilder(4096);
    metrics.appendPrometheus(out);
    out.append("# HELP foresight_memory_index_latents Live latents per model on this instance.\n");
    out.append("# TYPE foresight_memory_index_latents gauge\n");
    List<MemoryQueries.ModelView> models = queries.models();
    for (MemoryQueries.ModelView m : models) {
      out.append("foresight_memory_index_latents{model=\"")
          .append(m.model() == null ? "" : m.model().sha256())
          .append("\"} ")
          .append(m.count())
          .append('\n');
    }
    out.append(
        "# HELP foresight_memory_index_pending Latents waiting for the HNSW builder per model.\n");
    out.append("# TYPE foresight_memory_index_pending gauge\n");
    for (MemoryQueries.ModelView m : models) {
      out.append("foresight_memory_index_pending{model=\"")
          .append(m.model() == null ? "" : m.model().sha256())
          .append("\"} ")
          .append(m.pending())
          .append('\n');
    }
    out.append("# HELP foresight_memory_streams Streams stored on this instance.\n");
    out.append("# TYPE foresight_memory_streams gauge\n");
    out.append("foresight_memory_streams ").append(queries.streams().size()).append('\n');
    out.append("# HELP foresight_memory_up 1 when the Kafka Streams application is RUNNING.\n");
    out.append("# TYPE foresight_memory_up gauge\n");
    out.append("foresight_memory_up ").append(cluster.healthy() ? 1 : 0).append('\n');
    cluster.appendMetrics(out);
    return new Response(
        200,
        "text/plain; version=0.0.4; charset=utf-8",
        out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, Object> models(Request r) {
    Map<String, Map<String, Object>> merged = new TreeMap<>();
    for (MemoryQueries.ModelView m : queries.models()) {
      if (m.model() == null) {
        continue;
      }
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("model", Json.model(m.model()));
      o.put("dim", m.dim());
      o.put("count", m.count());
      o.put("pending", m.pending());
      merged.put(m.model().sha256(), o);
    }
    List<String> errors = new ArrayList<>();
    if (!r.local()) {
      for (JsonNode n : scatterGet("/models", errors)) {
        for (JsonNode m : n.path("models")) {
          String sha = m.path("model").path("sha256").asText();
          Map<String, Object> o = merged.get(sha);
          if (o == null) {
            merged.put(sha, Json.MAPPER.convertValue(m, Map.class));
          } else {
            o.put("count", ((Number) o.get("count")).longValue() + m.path("count").asLong());
            o.put("pending", ((Number) o.get("pending")).longValue() + m.path("pending").asLong());
          }
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("models", new ArrayList<>(merged.values()));
    partial(out, errors);
    return out;
  }

  private Map<String, Object> streams(Request r) {
    Map<String, Object> byStream = new TreeMap<>();
    for (StreamSummary s : queries.streams()) {
      byStream.put(s.stream(), Json.summary(s, false));
    }
    List<String> errors = new ArrayList<>();
    if (!r.local()) {
      for (JsonNode n : scatterGet("/streams", errors)) {
        for (JsonNode s : n.path("streams")) {
          byStream.putIfAbsent(s.path("stream").asText(), s);
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("streams", new ArrayList<>(byStream.values()));
    partial(out, errors);
    return out;
  }

  private static void partial(Map<String, Object> out, List<String> errors) {
    if (!errors.isEmpty()) {
      out.put("partial", true);
      out.put("errors", errors);
    }
  }

  private Response stream(Request r, String stream, String op, int depth) {
    if (depth > 3) {
      throw new ApiException(404, "no such endpoint: " + r.rawPath());
    }
    if (!r.local()) {
      String owner = cluster.ownerUrl(stream);
      if (owner != null) {
        return forward(owner, r);
      }
    }
    String sha = modelParam(r);
    switch (op) {
      case "":
        return Response.json(
            Json.summary(queries.summary(stream).orElseThrow(() -> notFound(stream)), true));
      case "latest":
        return Response.json(
            Json.state(
                queries.latest(stream, sha).orElseThrow(() -> notFound(stream)),
                bool(r, "latents", true)));
      case "at":
        {
          long time = longParam(r, "time", null);
          return Response.json(
              Json.state(
                  queries
                      .at(stream, time, sha)
                      .orElseThrow(
                          () ->
                              new ApiException(
                                  404,
                                  "stream '"
                                      + stream
                                      + "' has no state at or before time "
                                      + time
                                      + " on this memory")),
                  bool(r, "latents", true)));
        }
      case "range":
        {
          long from = longParam(r, "from", Long.MIN_VALUE);
          long to = longParam(r, "to", Long.MAX_VALUE);
          int limit = intParam(r, "limit", 100, 1, MAX_LIMIT);
          boolean latents = bool(r, "latents", true);
          requireStream(stream, sha);
          MemoryQueries.Page<MemoryQueries.StateView> page =
              queries.range(stream, sha, from, to, limit, r.param("cursor"));
          List<Object> items = new ArrayList<>();
          page.items().forEach(v -> items.add(Json.state(v, latents)));
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("stream", stream);
          o.put("items", items);
          o.put("nextCursor", page.nextCursor());
          return Response.json(o);
        }
      case "transitions":
        {
          long from = longParam(r, "from", Long.MIN_VALUE);
          long to = longParam(r, "to", Long.MAX_VALUE);
          int limit = intParam(r, "limit", 100, 1, MAX_LIMIT);
          boolean latents = bool(r, "latents", false);
          requireStream(stream, sha);
          MemoryQueries.Page<MemoryQueries.TransitionView> page =
              queries.transitions(stream, sha, from, to, limit, r.param("cursor"));
          List<Object> items = new ArrayList<>();
          for (MemoryQueries.TransitionView t : page.items()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("from", Json.state(t.from(), latents));
            o.put("to", Json.state(t.to(), latents));
            o.put(
                "distance",
                Math.sqrt(
                    VectorIndex.l2(
                        t.from().latent(), 0, t.to().latent(), 0, t.to().latent().length)));
            o.put("action", t.action() == null ? null : Json.action(t.action(), t.matchedBy()));
            items.add(o);
          }
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("stream", stream);
          o.put("items", items);
          o.put("nextCursor", page.nextCursor());
          return Response.json(o);
        }
      default:
        throw new ApiException(
            404,
            "no such endpoint: "
                + r.rawPath()
                + "; a stream has /latest, /at, /range and /transitions");
    }
  }

  private void requireStream(String stream, String sha) {
    if (queries.summary(stream).isEmpty()) {
      throw notFound(stream);
    }
    if (sha != null
        && queries.summary(stream).get().models().stream()
            .noneMatch(m -> m.model().sha256().equals(sha))) {
      throw new ApiException(
          404, "stream '" + stream + "' has no states of model " + sha + " on this memory");
    }
  }

  private static ApiException notFound(String stream) {
    return new ApiException(404, "no stream '" + stream + "' in this memory");
  }

  private Map<String, Object> nearestToReference(Request r) {
    String stream = r.param("stream");
    if (stream == null || stream.isEmpty()) {
      throw new IllegalArgumentException(
          "GET /nearest needs stream= and time= (the reference state); to search with a latent,"
              + " POST /nearest with {\"latent\": [...]}");
    }
    long time = longParam(r, "time", Long.MAX_VALUE);
    String sha = modelParam(r);
    JsonNode ref = referenceState(stream, time, sha);
    String refSha = ref.path("model").path("sha256").asText();
    float[] latent = Json.floats(ref.path("latent"), "latent");
    String scope = r.params().getOrDefault("scope", "all");
    if (!scope.equals("all") && !scope.equals("same") && !scope.equals("others")) {
      throw new IllegalArgumentException(
          "scope must be all (any stream), same (the reference's stream only) or others (every"
              + " stream but the reference's), got '"
              + scope
              + "'");
    }
    Map<String, Object> result =
        nearest(
            r,
            refSha,
            latent,
            intParam(r, "k", 10, 1, MAX_K),
            intParam(r, "ef", 0, 0, 100_000),
            bool(r, "exact", false),
            scope.equals("same") ? stream : null,
            stream,
            ref.path("sequence").asLong(),
            scope.equals("others"));
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> reference = new LinkedHashMap<>();
    reference.put("stream", stream);
    reference.put("sequence", ref.path("sequence").asLong());
    reference.put("timeUs", ref.path("timeUs").asLong());
    out.put("reference", reference);
    out.putAll(result);
    return out;
  }

  private JsonNode referenceState(String stream, long time, String sha) {
    String owner = cluster.ownerUrl(stream);
    if (owner == null) {
      MemoryQueries.StateView v =
          queries
              .at(stream, time, sha)
              .orElseThrow(
                  () ->
                      new ApiException(
                          404, "stream '" + stream + "' has no state at or before time " + time));
      return Json.MAPPER.valueToTree(Json.state(v, true));
    }
    StringBuilder q =
        new StringBuilder("/streams/").append(encode(stream)).append("/at?time=").append(time);
    if (sha != null) {
      q.append("&model=").append(sha);
    }
    return call("GET", owner + q, null);
  }

  private Map<String, Object> nearestToLatent(Request r, JsonNode body) {
    float[] latent = Json.floats(body.get("latent"), "latent");
    int k = body.has("k") ? body.get("k").asInt() : 10;
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "], got " + body.get("k"));
    }
    int ef = body.has("ef") ? body.get("ef").asInt() : 0;
    if (ef < 0 || ef > 100_000) {
      throw new IllegalArgumentException("ef must be in [0, 100000], got " + ef);
    }
    String sha = body.hasNonNull("model") ? checkSha(body.get("model").asText()) : null;
    String stream = body.hasNonNull("stream") ? body.get("stream").asText() : null;
    boolean exact = body.path("exact").asBoolean(false);
    String excludeStream =
        body.hasNonNull("excludeStream") ? body.get("excludeStream").asText() : null;
    long excludeSequence = body.path("excludeSequence").asLong(Long.MIN_VALUE);
    if (sha == null) {
      sha = onlyModel(r);
    }
    return nearest(r, sha, latent, k, ef, exact, stream, excludeStream, excludeSequence, false);
  }

  private Map<String, Object> nearest(
      Request r,
      String sha,
      float[] latent,
      int k,
      int ef,
      boolean exact,
      String stream,
      String excludeStream,
      long excludeSequence,
      boolean excludeWholeStream) {
    int dim = queries.dimOf(sha);
    if (dim >= 0 && dim != latent.length) {
      throw new IllegalArgumentException(
          "latent has "
              + latent.length
              + " values but model "
              + sha
              + " has "
              + dim
              + "-value latents");
    }
    MemoryQueries.Neighbors local =
        queries.nearest(
            sha,
            latent,
            excludeWholeStream ? k + 1000 : k,
            ef,
            exact,
            stream,
            excludeStream,
            excludeSequence);
    List<Map<String, Object>> hits = new ArrayList<>();
    for (VectorIndex.Hit h : local.hits()) {
      hits.add(Json.hit(h));
    }
    boolean approximate = local.approximate();
    long pending = local.pending();
    List<String> errors = new ArrayList<>();
    if (!r.local()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("latent", latent);
      body.put("k", excludeWholeStream ? Math.min(MAX_K, k + 1000) : k);
      body.put("ef", ef);
      body.put("exact", exact);
      body.put("model", sha);
      if (stream != null) {
        body.put("stream", stream);
      }
      if (excludeStream != null) {
        body.put("excludeStream", excludeStream);
        body.put("excludeSequence", excludeSequence);
      }
      byte[] json = Json.write(body);
      for (String url : cluster.otherUrls()) {
        try {
          JsonNode n = call("POST", url + "/nearest?local=true", json);
          for (JsonNode h : n.path("neighbors")) {
            hits.add(Json.MAPPER.convertValue(h, Map.class));
          }
          approximate |= n.path("approximate").asBoolean();
          pending += n.path("pending").asLong();
        } catch (ApiException e) {
          errors.add(url + ": " + e.getMessage());
        }
      }
    }
    hits.sort(Comparator.comparingDouble(h -> ((Number) h.get("distance")).doubleValue()));
    if (excludeWholeStream) {
      hits.removeIf(h -> excludeStream.equals(h.get("stream")));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", sha);
    out.put("k", k);
    out.put("approximate", approximate);
    out.put("pending", pending);
    out.put("neighbors", new ArrayList<>(hits.subList(0, Math.min(k, hits.size()))));
    partial(out, errors);
    return out;
  }

  private String onlyModel(Request r) {
    Map<String, Object> models = models(r);
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) models.get("models");
    if (list.size() == 1) {
      return Json.MAPPER.valueToTree(list.get(0)).path("model").path("sha256").asText();
    }
    if (list.isEmpty()) {
      throw new ApiException(404, "the memory holds no latents yet");
    }
    List<String> shas = new ArrayList<>();
    for (Object o : list) {
      shas.add(Json.MAPPER.valueToTree(o).path("model").path("sha256").asText());
    }
    throw new IllegalArgumentException(
        "the memory holds latents of "
            + list.size()
            + " models; say which with model= (one of "
            + shas
            + ")");
  }

  // ------------------------------------------------------------------------------- landmarks

  private Map<String, Object> landmarks(Request r) {
    String sha = modelParam(r);
    if (sha == null) {
      sha = onlyModel(r);
    }
    int k = intParam(r, "k", 32, 1, 4096);
    int sampleSize = intParam(r, "sample", 20_000, 1, 1_000_000);
    String stream = r.param("stream");
    List<String> others = r.local() ? List.of() : cluster.otherUrls();
    int perInstance = Math.max(k, sampleSize / (others.size() + 1));
    List<MemoryQueries.Sample> samples =
        new ArrayList<>(queries.sample(sha, stream, perInstance, 7));
    List<String> errors = new ArrayList<>();
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("model", sha);
    req.put("stream", stream);
    req.put("max", perInstance);
    for (String url : others) {
      try {
        JsonNode n = call("POST", url + "/internal/landmarks/sample", Json.write(req));
        for (JsonNode s : n.path("samples")) {
          samples.add(
              new MemoryQueries.Sample(
                  s.path("stream").asText(),
                  s.path("sequence").asLong(),
                  s.path("timeUs").asLong(),
                  Json.floats(s.path("latent"), "latent")));
        }
      } catch (ApiException e) {
        errors.add(url + ": " + e.getMessage());
      }
    }
    List<float[]> points = new ArrayList<>(samples.size());
    samples.forEach(s -> points.add(s.latent()));
    int[] chosen = Landmarks.farthestPoints(points, k);
    float[][] marks = new float[chosen.length][];
    for (int i = 0; i < chosen.length; i++) {
      marks[i] = samples.get(chosen[i]).latent();
    }
    MemoryQueries.EdgeCounts local = queries.landmarkEdges(sha, stream, marks);
    long[] members = local.members();
    Map<Long, Long> edges = new HashMap<>(local.edges());
    Map<String, Object> edgeReq = new LinkedHashMap<>();
    edgeReq.put("model", sha);
    edgeReq.put("stream", stream);
    edgeReq.put("landmarks", marks);
    for (String url : others) {
      try {
        JsonNode n = call("POST", url + "/internal/landmarks/edges", Json.write(edgeReq));
        JsonNode m = n.path("members");
        for (int i = 0; i < members.length && i < m.size(); i++) {
          members[i] += m.get(i).asLong();
        }
        for (JsonNode e : n.path("edges")) {
          edges.merge(
              e.path("from").asLong() * marks.length + e.path("to").asLong(),
              e.path("count").asLong(),
              Long::sum);
        }
      } catch (ApiException e) {
        errors.add(url + ": " + e.getMessage());
      }
    }
    List<Object> landmarkList = new ArrayList<>();
    boolean withLatents = bool(r, "latents", true);
    for (int i = 0; i < chosen.length; i++) {
      MemoryQueries.Sample s = samples.get(chosen[i]);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", i);
      o.put("stream", s.stream());
      o.put("sequence", s.sequence());
      o.put("timeUs", s.timeUs());
      o.put("members", members[i]);
      if (withLatents) {
        o.put("latent", s.latent());
      }
      Optional<MemoryQueries.StateView> state = queries.state(s.stream(), sha, s.sequence());
      state.ifPresent(v -> o.put("readings", Json.state(v.state(), false).get("readings")));
      landmarkList.add(o);
    }
    List<Object> edgeList = new ArrayList<>();
    new TreeMap<>(edges)
        .forEach(
            (key, count) -> {
              Map<String, Object> e = new LinkedHashMap<>();
              e.put("from", key / marks.length);
              e.put("to", key % marks.length);
              e.put("count", count);
              edgeList.add(e);
            });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", sha);
    out.put("stream", stream);
    out.put("sampled", samples.size());
    out.put("landmarks", landmarkList);
    out.put("edges", edgeList);
    partial(out, errors);
    return out;
  }

  private Map<String, Object> localSample(JsonNode body) {
    String sha = checkSha(body.path("model").asText());
    String stream = body.hasNonNull("stream") ? body.get("stream").asText() : null;
    int max = body.path("max").asInt(20_000);
    List<Object> out = new ArrayList<>();
    for (MemoryQueries.Sample s : queries.sample(sha, stream, max, 7)) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("stream", s.stream());
      o.put("sequence", s.sequence());
      o.put("timeUs", s.timeUs());
      o.put("latent", s.latent());
      out.add(o);
    }
    return Map.of("samples", out);
  }

  private Map<String, Object> localEdges(JsonNode body) {
    String sha = checkSha(body.path("model").asText());
    String stream = body.hasNonNull("stream") ? body.get("stream").asText() : null;
    JsonNode lm = body.path("landmarks");
    float[][] marks = new float[lm.size()][];
    for (int i = 0; i < marks.length; i++) {
      marks[i] = Json.floats(lm.get(i), "landmarks[" + i + "]");
    }
    MemoryQueries.EdgeCounts c = queries.landmarkEdges(sha, stream, marks);
    List<Object> edges = new ArrayList<>();
    c.edges()
        .forEach(
            (key, count) ->
                edges.add(
                    Map.of("from", key / marks.length, "to", key % marks.length, "count", count)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("members", c.members());
    out.put("edges", edges);
    return out;
  }

  // ------------------------------------------------------------------------------- helpers

  private Response forward(String ownerUrl, Request r) {
    String target = ownerUrl + r.rawPath() + (r.rawQuery() == null ? "" : "?" + r.rawQuery());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(Duration.ofSeconds(30))
            .header(FORWARDED, "1");
    if (r.method().equals("POST")) {
      b.POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
    } else {
      b.GET();
    }
    try {
      HttpResponse<byte[]> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          resp.statusCode(),
          resp.headers().firstValue("Content-Type").orElse("application/json"),
          resp.body());
    } catch (IOException e) {
      throw new ApiException(
          502, "the instance owning this stream (" + ownerUrl + ") did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while asking " + ownerUrl);
    }
  }

  private List<JsonNode> scatterGet(String path, List<String> errors) {
    List<JsonNode> out = new ArrayList<>();
    for (String url : cluster.otherUrls()) {
      try {
        out.add(call("GET", url + path + "?local=true", null));
      } catch (ApiException e) {
        errors.add(url + ": " + e.getMessage());
      }
    }
    return out;
  }

  private JsonNode call(String method, String url, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header(FORWARDED, "1");
    if (method.equals("POST")) {
      b.POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .header("Content-Type", "application/json");
    } else {
      b.GET();
    }
    try {
      HttpResponse<byte[]> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode n = Json.read(resp.body());
      if (resp.statusCode() != 200) {
        throw new ApiException(
            resp.statusCode(), n.path("error").asText("HTTP " + resp.statusCode()));
      }
      return n;
    } catch (IOException e) {
      throw new ApiException(502, url + " did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while asking " + url);
    }
  }

  private static String modelParam(Request r) {
    String m = r.param("model");
    return m == null || m.isEmpty() ? null : checkSha(m);
  }

  private static String checkSha(String m) {
    String s = m.toLowerCase(java.util.Locale.ROOT);
    if (!s.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "model must be the 64-hex-digit sha256 of the model's encoder, got '" + m + "'");
    }
    return s;
  }

  private static long longParam(Request r, String name, Long dflt) {
    String v = r.param(name);
    if (v == null || v.isEmpty()) {
      if (dflt == null) {
        throw new IllegalArgumentException(name + "= is required (microseconds)");
      }
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
    }
  }

  private static int intParam(Request r, String name, int dflt, int min, int max) {
    String v = r.param(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + n);
    }
    return n;
  }

  private static boolean bool(Request r, String name, boolean dflt) {
    String v = r.param(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    if (v.equalsIgnoreCase("true") || v.equals("1")) {
      return true;
    }
    if (v.equalsIgnoreCase("false") || v.equals("0")) {
      return false;
    }
    throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
  }
}
