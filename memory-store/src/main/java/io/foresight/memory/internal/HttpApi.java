package io.foresight.memory.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.foresight.memory.MemoryException;
import io.foresight.memory.StoredLatent;
import io.foresight.memory.api.ApiError;
import io.foresight.memory.api.ApiIndex;
import io.foresight.memory.api.Health;
import io.foresight.memory.api.InstanceCalls;
import io.foresight.memory.api.LandmarkExport;
import io.foresight.memory.api.MemoryApiException;
import io.foresight.memory.api.MemoryClient;
import io.foresight.memory.api.MemoryJson;
import io.foresight.memory.api.ModelInfo;
import io.foresight.memory.api.ModelList;
import io.foresight.memory.api.NearestRequest;
import io.foresight.memory.api.Neighbors;
import io.foresight.memory.api.RangeQuery;
import io.foresight.memory.api.ReferenceQuery;
import io.foresight.memory.api.State;
import io.foresight.memory.api.StatePage;
import io.foresight.memory.api.StreamList;
import io.foresight.memory.api.StreamSummary;
import io.foresight.memory.api.Transition;
import io.foresight.memory.api.TransitionPage;
import io.foresight.schemas.avro.ActionSource;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory's HTTP JSON API on the JDK's {@code com.sun.net.httpserver}, routed by a {@link
 * Router} table; every answer is a record of {@code io.foresight.memory.api} written by Jackson,
 * {@code /metrics} is written by the Prometheus client. With several instances, a request about one
 * stream is forwarded to the instance that owns the stream's partition, and a request about all
 * streams (listings, nearest neighbours of a latent, landmarks) is sent to every instance and the
 * answers merged; both go through the typed {@link MemoryClient}. See docs/memory-api.md.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  static final String FORWARDED = MemoryClient.FORWARDED;
  static final int MAX_LIMIT = 10_000;
  static final int MAX_K = 1_000;
  private static final ObjectMapper JSON = MemoryJson.mapper();
  private static final String JSON_TYPE = "application/json";

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

    /** Platform metrics (Kafka Streams threads) for {@code foresight_memory_kafka_streams}. */
    List<ThreadMetric> threadMetrics();

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
        public List<ThreadMetric> threadMetrics() {
          return List.of();
        }
      };
    }
  }

  /**
   * One value of a Kafka Streams thread metric.
   *
   * @param name the metric, e.g. {@code process-rate}
   * @param thread the thread id
   * @param value its value now
   */
  public record ThreadMetric(String name, String thread, double value) {}

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
  private final MemoryClient peers;
  private final Router router;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter prometheus = PrometheusTextFormatWriter.create();

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
    peers = MemoryClient.of("http://127.0.0.1").withTimeout(Duration.ofSeconds(30)).local();
    router = routes();
    registerGauges();
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

  // ------------------------------------------------------------------------------- routes

  private Router routes() {
    return new Router()
        .get("/", "root", c -> json(index()))
        .get("/health", "health", c -> health())
        .get("/metrics", "metrics", c -> metricsText())
        .get("/models", "models", c -> json(models(c)))
        .get("/streams", "streams", c -> json(streams(c)))
        .get("/streams/{stream}", "stream", c -> json(summary(c)))
        .get("/streams/{stream}/latest", "stream_latest", c -> json(latest(c)))
        .get("/streams/{stream}/at", "stream_at", c -> json(at(c)))
        .get("/streams/{stream}/range", "stream_range", c -> json(range(c)))
        .get("/streams/{stream}/transitions", "stream_transitions", c -> json(transitions(c)))
        .get("/nearest", "nearest", c -> json(nearestToReference(c)))
        .post("/nearest", "nearest", c -> json(nearestToLatent(c)))
        .get("/landmarks", "landmarks", c -> json(landmarks(c)))
        .post(
            "/internal/landmarks/sample",
            "internal_landmarks_sample",
            c -> json(localSample(body(c, InstanceCalls.SampleRequest.class))))
        .post(
            "/internal/landmarks/edges",
            "internal_landmarks_edges",
            c -> json(localEdges(body(c, InstanceCalls.EdgesRequest.class))));
  }

  private static ApiIndex index() {
    return new ApiIndex(
        "foresight-memory",
        List.of(
            "GET /health",
            "GET /metrics",
            "GET /models",
            "GET /streams",
            "GET /streams/{stream}",
            "GET /streams/{stream}/latest?model=&latents=",
            "GET /streams/{stream}/at?time=&model=&latents=",
            "GET /streams/{stream}/range?from=&to=&limit=&cursor=&model=&latents=",
            "GET /streams/{stream}/transitions?from=&to=&limit=&cursor=&model=&latents=",
            "GET /nearest?stream=&time=&k=&model=&ef=&exact=&scope=",
            "POST /nearest {latent, k, model, ef, exact, stream, excludeStream, excludeSequence}",
            "GET /landmarks?model=&k=&stream=&sample=&latents="));
  }

  // ------------------------------------------------------------------------------- dispatch

  private void handle(HttpExchange ex) {
    long t0 = System.nanoTime();
    String endpoint = "unknown";
    Router.Reply reply;
    try {
      Router.Match m = router.match(ex.getRequestMethod(), ex.getRequestURI().getRawPath());
      endpoint = m.route().name();
      Map<String, String> params = Router.queryParams(ex.getRequestURI());
      Router.Call call =
          new Router.Call(
              ex.getRequestMethod(),
              ex.getRequestURI().getRawPath(),
              m.vars(),
              params,
              readBody(ex),
              "true".equals(params.get("local")) || ex.getRequestHeaders().containsKey(FORWARDED));
      reply = m.route().handler().handle(call);
    } catch (ApiException e) {
      reply = error(e.status(), e.getMessage());
    } catch (IllegalArgumentException e) {
      reply = error(400, e.getMessage());
    } catch (InvalidStateStoreException e) {
      reply =
          error(
              503,
              "the state is not queryable right now (restoring or rebalancing): "
                  + e.getMessage()
                  + "; retry shortly");
    } catch (RuntimeException e) {
      LOG.error("HTTP {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      reply = error(500, "internal error: " + e);
    }
    try {
      ex.getResponseHeaders().set("Content-Type", reply.contentType());
      ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      if (reply.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(reply.body());
        }
      }
    } catch (IOException e) {
      LOG.debug("Client went away: {}", e.toString());
    } finally {
      ex.close();
      metrics.request(endpoint, reply.status(), System.nanoTime() - t0);
    }
  }

  private static byte[] readBody(HttpExchange ex) {
    if (!ex.getRequestMethod().equals("POST")) {
      return new byte[0];
    }
    try (InputStream in = ex.getRequestBody()) {
      return in.readNBytes(64 << 20);
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request body: " + e.getMessage());
    }
  }

  private static Router.Reply json(Object body) {
    return json(200, body);
  }

  private static Router.Reply json(int status, Object body) {
    try {
      return new Router.Reply(status, JSON_TYPE, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Router.Reply error(int status, String message) {
    return json(status, new ApiError(status, message == null ? "" : message));
  }

  /** The request body as a {@code type}; a body that is no JSON, or not of that shape, is a 400. */
  static <T> T body(Router.Call c, Class<T> type) {
    if (c.body().length == 0) {
      throw new ApiException(400, "the request body is empty; send a JSON object");
    }
    try {
      T v = JSON.readValue(c.body(), type);
      if (v == null) {
        throw new ApiException(400, "the request body is null; send a JSON object");
      }
      return v;
    } catch (com.fasterxml.jackson.core.JsonParseException e) {
      throw new ApiException(400, "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      throw new ApiException(400, "bad request body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request body: " + e.getMessage());
    }
  }

  /** {@code n} if it is in [min, max], else a 400 that says so. */
  static int checkRange(String name, int n, int min, int max) {
    if (n < min || n > max) {
      throw new ApiException(400, name + " must be in [" + min + ", " + max + "], got " + n);
    }
    return n;
  }

  // ------------------------------------------------------------------------------- health, metrics

  private Router.Reply health() {
    boolean ok = cluster.healthy();
    return json(
        ok ? 200 : 503,
        new Health(
            ok ? "UP" : "DOWN",
            cluster.state(),
            queries.memory().partitions().size(),
            metrics.latentsStored()));
  }

  private void registerGauges() {
    metrics.register(registry);
    GaugeWithCallback.builder()
        .name("foresight_memory_index_latents")
        .help("Live latents per model on this instance.")
        .labelNames("model")
        .callback(
            cb ->
                queries
                    .models()
                    .forEach(m -> cb.call(m.count(), m.model() == null ? "" : m.model().sha256())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("foresight_memory_index_pending")
        .help("Latents waiting for the HNSW builder per model.")
        .labelNames("model")
        .callback(
            cb ->
                queries
                    .models()
                    .forEach(
                        m -> cb.call(m.pending(), m.model() == null ? "" : m.model().sha256())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("foresight_memory_streams")
        .help("Streams stored on this instance.")
        .callback(cb -> cb.call(queries.streams().size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("foresight_memory_up")
        .help("1 when the Kafka Streams application is RUNNING.")
        .callback(cb -> cb.call(cluster.healthy() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("foresight_memory_kafka_streams")
        .help("Selected Kafka Streams thread metrics.")
        .labelNames("name", "thread")
        .callback(
            cb -> cluster.threadMetrics().forEach(t -> cb.call(t.value(), t.name(), t.thread())))
        .register(registry);
  }

  private Router.Reply metricsText() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      prometheus.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Router.Reply(200, prometheus.getContentType(), out.toByteArray());
  }

  // ------------------------------------------------------------------------------- listings

  private ModelList models(Router.Call c) {
    Map<String, ModelInfo> merged = new TreeMap<>();
    for (MemoryQueries.ModelView m : queries.models()) {
      if (m.model() != null) {
        merged.put(m.model().sha256(), new ModelInfo(m.model(), m.dim(), m.count(), m.pending()));
      }
    }
    List<String> errors = new ArrayList<>();
    for (ModelList other : gather(c, MemoryClient::models, errors)) {
      for (ModelInfo m : other.models()) {
        merged.merge(
            m.model().sha256(),
            m,
            (a, b) ->
                new ModelInfo(
                    a.model(), a.dim(), a.count() + b.count(), a.pending() + b.pending()));
      }
    }
    return new ModelList(new ArrayList<>(merged.values()), !errors.isEmpty(), errors);
  }

  private StreamList streams(Router.Call c) {
    Map<String, StreamSummary> byStream = new TreeMap<>();
    for (StreamSummary s : queries.streams()) {
      byStream.put(s.stream(), s.withoutStats());
    }
    List<String> errors = new ArrayList<>();
    for (StreamList other : gather(c, MemoryClient::streams, errors)) {
      for (StreamSummary s : other.streams()) {
        byStream.putIfAbsent(s.stream(), s);
      }
    }
    return new StreamList(new ArrayList<>(byStream.values()), !errors.isEmpty(), errors);
  }

  /** The answers of every other instance (none if {@code c} is local); failures go to errors. */
  private <T> List<T> gather(Router.Call c, Function<MemoryClient, T> ask, List<String> errors) {
    List<T> out = new ArrayList<>();
    if (!c.local()) {
      for (String url : cluster.otherUrls()) {
        try {
          out.add(ask.apply(peers.at(url)));
        } catch (MemoryApiException e) {
          errors.add(url + ": " + e.error());
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------- one stream

  /**
   * Asks the instance that owns {@code stream} when it is not this one (and {@code c} is not local
   * already); {@code null} means: answer here.
   */
  private <T> T forwarded(Router.Call c, String stream, Function<MemoryClient, T> ask) {
    if (c.local()) {
      return null;
    }
    String owner = cluster.ownerUrl(stream);
    if (owner == null) {
      return null;
    }
    try {
      return ask.apply(peers.at(owner));
    } catch (MemoryApiException e) {
      if (e.status() == MemoryApiException.NO_ANSWER) {
        throw new ApiException(
            502,
            "the instance owning stream '"
                + stream
                + "' ("
                + owner
                + ") did not answer: "
                + e.error());
      }
      throw new ApiException(e.status(), e.error());
    }
  }

  private StreamSummary summary(Router.Call c) {
    String stream = c.path("stream");
    StreamSummary far = forwarded(c, stream, p -> p.stream(stream));
    return far != null ? far : queries.summary(stream).orElseThrow(() -> notFound(stream));
  }

  private State latest(Router.Call c) {
    String stream = c.path("stream");
    String sha = modelParam(c);
    boolean latents = c.bool("latents", true);
    State far = forwarded(c, stream, p -> p.latest(stream, sha, latents));
    return far != null
        ? far
        : state(queries.latest(stream, sha).orElseThrow(() -> notFound(stream)), latents);
  }

  private State at(Router.Call c) {
    String stream = c.path("stream");
    long time = c.requiredLong("time", "microseconds");
    String sha = modelParam(c);
    boolean latents = c.bool("latents", true);
    State far = forwarded(c, stream, p -> p.at(stream, time, sha, latents));
    if (far != null) {
      return far;
    }
    return state(
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
        latents);
  }

  private RangeQuery rangeQuery(Router.Call c, boolean latentsByDefault) {
    return new RangeQuery(
        c.longValue("from", Long.MIN_VALUE),
        c.longValue("to", Long.MAX_VALUE),
        c.intValue("limit", 100, 1, MAX_LIMIT),
        c.string("cursor"),
        modelParam(c),
        c.bool("latents", latentsByDefault));
  }

  private StatePage range(Router.Call c) {
    String stream = c.path("stream");
    RangeQuery q = rangeQuery(c, true);
    StatePage far = forwarded(c, stream, p -> p.range(stream, q));
    if (far != null) {
      return far;
    }
    requireStream(stream, q.model());
    MemoryQueries.Page<MemoryQueries.StateView> page =
        queries.range(stream, q.model(), q.fromUs(), q.toUs(), q.limit(), q.cursor());
    return new StatePage(
        stream, page.items().stream().map(v -> state(v, q.latents())).toList(), page.nextCursor());
  }

  private TransitionPage transitions(Router.Call c) {
    String stream = c.path("stream");
    RangeQuery q = rangeQuery(c, false);
    TransitionPage far = forwarded(c, stream, p -> p.transitions(stream, q));
    if (far != null) {
      return far;
    }
    requireStream(stream, q.model());
    MemoryQueries.Page<MemoryQueries.TransitionView> page =
        queries.transitions(stream, q.model(), q.fromUs(), q.toUs(), q.limit(), q.cursor());
    List<Transition> items = new ArrayList<>();
    for (MemoryQueries.TransitionView t : page.items()) {
      float[] a = t.from().latent();
      float[] b = t.to().latent();
      items.add(
          new Transition(
              state(t.from(), q.latents()),
              state(t.to(), q.latents()),
              Math.sqrt(VectorIndex.l2(a, 0, b, 0, b.length)),
              t.action() == null ? null : action(t.action(), t.matchedBy())));
    }
    return new TransitionPage(stream, items, page.nextCursor());
  }

  private void requireStream(String stream, String sha) {
    StreamSummary s = queries.summary(stream).orElseThrow(() -> notFound(stream));
    if (sha != null && s.models().stream().noneMatch(m -> m.model().sha256().equals(sha))) {
      throw new ApiException(
          404, "stream '" + stream + "' has no states of model " + sha + " on this memory");
    }
  }

  private static ApiException notFound(String stream) {
    return new ApiException(404, "no stream '" + stream + "' in this memory");
  }

  // ------------------------------------------------------------------------------- nearest

  private Neighbors nearestToReference(Router.Call c) {
    String stream = c.string("stream");
    if (stream == null) {
      throw new ApiException(
          400,
          "GET /nearest needs stream= and time= (the reference state); to search with a latent,"
              + " POST /nearest with {\"latent\": [...]}");
    }
    long time = c.longValue("time", Long.MAX_VALUE);
    String sha = modelParam(c);
    int k = c.intValue("k", 10, 1, MAX_K);
    int ef = c.intValue("ef", 0, 0, 100_000);
    boolean exact = c.bool("exact", false);
    ReferenceQuery.Scope scope =
        c.choice(
            "scope",
            ReferenceQuery.Scope.class,
            ReferenceQuery.Scope.ALL,
            "all (any stream), same (the reference's stream only) or others (every stream but the"
                + " reference's)");
    State ref = referenceState(stream, time, sha);
    Neighbors found =
        nearest(
            c,
            ref.model().sha256(),
            ref.latent(),
            k,
            ef,
            exact,
            scope == ReferenceQuery.Scope.SAME ? stream : null,
            stream,
            ref.sequence(),
            scope == ReferenceQuery.Scope.OTHERS);
    return found.withReference(new Neighbors.Reference(stream, ref.sequence(), ref.timeUs()));
  }

  private State referenceState(String stream, long time, String sha) {
    String owner = cluster.ownerUrl(stream);
    if (owner == null) {
      return state(
          queries
              .at(stream, time, sha)
              .orElseThrow(
                  () ->
                      new ApiException(
                          404, "stream '" + stream + "' has no state at or before time " + time)),
          true);
    }
    try {
      return peers.at(owner).at(stream, time, sha, true);
    } catch (MemoryApiException e) {
      throw new ApiException(
          e.status() == MemoryApiException.NO_ANSWER ? 502 : e.status(), e.error());
    }
  }

  private Neighbors nearestToLatent(Router.Call c) {
    NearestRequest body = body(c, NearestRequest.class);
    if (body.latent() == null) {
      throw new ApiException(400, "latent is required: {\"latent\": [floats], ...}");
    }
    int k = checkRange("k", body.k() == null ? 10 : body.k(), 1, MAX_K);
    int ef = checkRange("ef", body.ef() == null ? 0 : body.ef(), 0, 100_000);
    String sha = body.model() == null ? onlyModel(c) : checkSha(body.model());
    return nearest(
        c,
        sha,
        body.latent(),
        k,
        ef,
        Boolean.TRUE.equals(body.exact()),
        body.stream(),
        body.excludeStream(),
        body.excludeSequence() == null ? Long.MIN_VALUE : body.excludeSequence(),
        false);
  }

  private Neighbors nearest(
      Router.Call c,
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
      throw new ApiException(
          400,
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
    List<Neighbors.Neighbor> hits = new ArrayList<>();
    for (VectorIndex.Hit h : local.hits()) {
      hits.add(new Neighbors.Neighbor(h.stream(), h.sequence(), h.timeUs(), h.distance()));
    }
    boolean approximate = local.approximate();
    long pending = local.pending();
    NearestRequest ask =
        new NearestRequest(
            latent,
            excludeWholeStream ? Math.min(MAX_K, k + 1000) : k,
            sha,
            ef,
            exact,
            stream,
            excludeStream,
            excludeStream == null ? null : excludeSequence);
    List<String> errors = new ArrayList<>();
    for (Neighbors n : gather(c, p -> p.nearest(ask), errors)) {
      hits.addAll(n.neighbors());
      approximate |= n.approximate();
      pending += n.pending();
    }
    hits.sort(Comparator.comparingDouble(Neighbors.Neighbor::distance));
    if (excludeWholeStream) {
      hits.removeIf(h -> excludeStream.equals(h.stream()));
    }
    return new Neighbors(
        null,
        sha,
        k,
        approximate,
        pending,
        hits.subList(0, Math.min(k, hits.size())),
        !errors.isEmpty(),
        errors);
  }

  private String onlyModel(Router.Call c) {
    List<ModelInfo> models = models(c).models();
    if (models.size() == 1) {
      return models.get(0).model().sha256();
    }
    if (models.isEmpty()) {
      throw new ApiException(404, "the memory holds no latents yet");
    }
    throw new ApiException(
        400,
        "the memory holds latents of "
            + models.size()
            + " models; say which with model= (one of "
            + models.stream().map(m -> m.model().sha256()).toList()
            + ")");
  }

  // ------------------------------------------------------------------------------- landmarks

  private LandmarkExport landmarks(Router.Call c) {
    String given = modelParam(c);
    int k = c.intValue("k", 32, 1, 4096);
    int sampleSize = c.intValue("sample", 20_000, 1, 1_000_000);
    String stream = c.string("stream");
    boolean withLatents = c.bool("latents", true);
    String sha = given == null ? onlyModel(c) : given;
    int instances = c.local() ? 1 : cluster.otherUrls().size() + 1;
    int perInstance = Math.max(k, sampleSize / instances);
    List<InstanceCalls.Sample> samples =
        new ArrayList<>(
            localSample(new InstanceCalls.SampleRequest(sha, stream, perInstance)).samples());
    List<String> errors = new ArrayList<>();
    InstanceCalls.SampleRequest sampleAsk =
        new InstanceCalls.SampleRequest(sha, stream, perInstance);
    for (InstanceCalls.Samples s : gather(c, p -> p.sample(sampleAsk), errors)) {
      samples.addAll(s.samples());
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
    InstanceCalls.EdgesRequest edgeAsk = new InstanceCalls.EdgesRequest(sha, stream, marks);
    for (InstanceCalls.EdgeCounts n : gather(c, p -> p.edges(edgeAsk), errors)) {
      for (int i = 0; i < members.length && i < n.members().length; i++) {
        members[i] += n.members()[i];
      }
      for (LandmarkExport.Edge e : n.edges()) {
        edges.merge(e.from() * marks.length + e.to(), e.count(), Long::sum);
      }
    }
    List<LandmarkExport.Landmark> landmarks = new ArrayList<>();
    for (int i = 0; i < chosen.length; i++) {
      InstanceCalls.Sample s = samples.get(chosen[i]);
      landmarks.add(
          new LandmarkExport.Landmark(
              i,
              s.stream(),
              s.sequence(),
              s.timeUs(),
              members[i],
              withLatents ? s.latent() : null,
              queries
                  .state(s.stream(), sha, s.sequence())
                  .map(v -> v.state().readings())
                  .orElse(null)));
    }
    return new LandmarkExport(
        sha,
        stream,
        samples.size(),
        landmarks,
        edgeList(edges, marks.length),
        !errors.isEmpty(),
        errors);
  }

  private static List<LandmarkExport.Edge> edgeList(Map<Long, Long> edges, int landmarks) {
    List<LandmarkExport.Edge> out = new ArrayList<>();
    new TreeMap<>(edges)
        .forEach(
            (key, count) ->
                out.add(new LandmarkExport.Edge(key / landmarks, key % landmarks, count)));
    return out;
  }

  private InstanceCalls.Samples localSample(InstanceCalls.SampleRequest body) {
    String sha = checkSha(body.model());
    List<InstanceCalls.Sample> out = new ArrayList<>();
    for (MemoryQueries.Sample s : queries.sample(sha, body.stream(), body.max(), 7)) {
      out.add(new InstanceCalls.Sample(s.stream(), s.sequence(), s.timeUs(), s.latent()));
    }
    return new InstanceCalls.Samples(out);
  }

  private InstanceCalls.EdgeCounts localEdges(InstanceCalls.EdgesRequest body) {
    String sha = checkSha(body.model());
    float[][] marks = body.landmarks() == null ? new float[0][] : body.landmarks();
    MemoryQueries.EdgeCounts c = queries.landmarkEdges(sha, body.stream(), marks);
    return new InstanceCalls.EdgeCounts(c.members(), edgeList(c.edges(), marks.length));
  }

  // ------------------------------------------------------------------------------- records

  static State state(MemoryQueries.StateView v, boolean withLatent) {
    ValueCodec.Signals s = v.signals();
    Double surprise = null;
    Double normalized = null;
    State.SurpriseEvent event = null;
    if (s.hasSurprise()) {
      surprise = s.surprise();
      normalized = Double.isNaN(s.surpriseNormalized()) ? null : s.surpriseNormalized();
    }
    if (s.hasEvent()) {
      event = new State.SurpriseEvent(s.eventScore(), s.eventNormalized(), s.eventThreshold());
    }
    return state(v.state(), withLatent, surprise, normalized, event);
  }

  static State state(StoredLatent s, boolean withLatent) {
    return state(s, withLatent, null, null, null);
  }

  private static State state(
      StoredLatent s,
      boolean withLatent,
      Double surprise,
      Double normalized,
      State.SurpriseEvent event) {
    return new State(
        s.stream(),
        s.sequence(),
        s.timeUs(),
        s.model(),
        s.shape(),
        withLatent ? s.latent() : null,
        s.readings(),
        surprise,
        normalized,
        event);
  }

  static Transition.Action action(ValueCodec.StoredAction a, String matchedBy) {
    return new Transition.Action(
        a.timeUs(),
        a.values(),
        ActionSource.values()[a.source()].name(),
        a.frameSequence(),
        a.planId(),
        matchedBy);
  }

  private static String modelParam(Router.Call c) {
    String m = c.string("model");
    return m == null ? null : checkSha(m);
  }

  private static String checkSha(String m) {
    String s = m == null ? "" : m.toLowerCase(Locale.ROOT);
    if (!io.foresight.memory.api.ModelId.isSha256(s)) {
      throw new ApiException(
          400, "model must be the 64-hex-digit sha256 of the model's encoder, got '" + m + "'");
    }
    return s;
  }
}
