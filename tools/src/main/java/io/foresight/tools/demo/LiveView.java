package io.foresight.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.foresight.schemas.Topics;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.RobotStats;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's live page, served on 127.0.0.1 only: every robot's camera, its position, trail and
 * goal on the map of its world, its current plan as the world model imagines it (decoded through
 * the probe), surprise events as they happen and the counters. The page follows {@code /events}
 * (server-sent events, one state every half second); {@code /state} is the same state once.
 *
 * <pre>{@code
 * try (LiveView live = LiveView.start(0, observer, fleet::stats, imagination, links)) {
 *   System.out.println("Live view: " + live.url());
 * }
 * }</pre>
 */
public final class LiveView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How often the page gets a new state. */
  static final long PERIOD_MS = 500;

  private static final int TRAIL = 80;

  private final HttpServer server;
  private final ExecutorService pool;
  private final OutputObserver observer;
  private final Supplier<FleetStats> fleet;
  private final Imagination imagination;
  private final Map<String, String> links;
  private final PushTConfig pushT;
  private final long startMs = System.currentTimeMillis();
  private volatile boolean open = true;

  private LiveView(
      HttpServer server,
      OutputObserver observer,
      Supplier<FleetStats> fleet,
      Imagination imagination,
      Map<String, String> links,
      WorldSpec world) {
    this.server = server;
    this.pushT = world instanceof PushTConfig p ? p : null;
    this.observer = observer;
    this.fleet = fleet;
    this.imagination = imagination;
    this.links = links;
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "live-view");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Serves the live page on {@code 127.0.0.1:port} (0: any free port).
   *
   * @param imagination draws the plans, or null to show positions only
   * @param links further pages to link to, by label (e.g. the Flink dashboard)
   */
  public static LiveView start(
      int port,
      OutputObserver observer,
      Supplier<FleetStats> fleet,
      Imagination imagination,
      Map<String, String> links) {
    return start(port, observer, fleet, imagination, links, WorldConfig.DEFAULT);
  }

  /**
   * Serves the live page of robots in a world: Two-Rooms, or Push-T (the arena, each robot's block
   * and its goal pose as T shapes).
   *
   * @param imagination draws the plans, or null to show positions only
   * @param links further pages to link to, by label (e.g. the Flink dashboard)
   * @param world the robots' world
   */
  public static LiveView start(
      int port,
      OutputObserver observer,
      Supplier<FleetStats> fleet,
      Imagination imagination,
      Map<String, String> links,
      WorldSpec world) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve the live view on 127.0.0.1:" + port + " (" + e.getMessage() + ")", e);
    }
    LiveView v = new LiveView(server, observer, fleet, imagination, Map.copyOf(links), world);
    server.setExecutor(v.pool);
    server.createContext("/", v::page);
    server.createContext("/state", v::state);
    server.createContext("/events", v::events);
    server.start();
    return v;
  }

  /** The page's address, e.g. {@code http://127.0.0.1:41234/}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void page(HttpExchange x) throws IOException {
    if (!x.getRequestURI().getPath().equals("/")) {
      send(x, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    try (InputStream in = LiveView.class.getResourceAsStream("live.html")) {
      send(x, 200, "text/html; charset=utf-8", in.readAllBytes());
    }
  }

  private void state(HttpExchange x) throws IOException {
    send(x, 200, "application/json", JSON.writeValueAsBytes(snapshot()));
  }

  private void events(HttpExchange x) throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/event-stream");
    x.getResponseHeaders().set("Cache-Control", "no-cache");
    x.sendResponseHeaders(200, 0);
    try (OutputStream out = x.getResponseBody()) {
      while (open) {
        String event;
        try {
          event = "data: " + JSON.writeValueAsString(snapshot()) + "\n\n";
        } catch (RuntimeException e) {
          // one bad state must not end the stream: the page keeps the last one
          LOG.warn("Live view: cannot take the state ({}); retrying", e.toString(), e);
          event = ": no state this time\n\n";
        }
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(PERIOD_MS);
      }
    } catch (IOException e) {
      LOG.debug("Live view client left: {}", e.toString()); // the page was closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange x, int code, String type, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(code, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  /** What the page shows now. */
  Map<String, Object> snapshot() {
    FleetStats fs = fleet.get();
    Map<String, RobotStats> byStream = new LinkedHashMap<>();
    for (RobotStats rs : fs.robots()) {
      byStream.put(rs.streamId(), rs);
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("seconds", (System.currentTimeMillis() - startMs) / 1000.0);
    Map<String, Object> counters = new LinkedHashMap<>();
    counters.put("frames", observer.count(Topics.FRAMES));
    counters.put("latents", observer.count(Topics.LATENTS));
    counters.put("plans", observer.count(Topics.PLANS));
    counters.put("surprise events", observer.count(Topics.SURPRISE));
    counters.put("dead letters", observer.count(Topics.DEADLETTER));
    counters.put("goals reached", fs.goalsReached());
    counters.put("goals timed out", fs.goalsFailed());
    counters.put("violations injected", fs.violations());
    s.put("counters", counters);
    s.put("links", links);
    s.put("probe_r2", imagination == null ? null : imagination.probe().r2());
    if (pushT != null) {
      Map<String, Object> arena = new LinkedHashMap<>();
      arena.put("width", pushT.width());
      arena.put("height", pushT.height());
      arena.put("wall", pushT.wallThickness() * pushT.scale());
      arena.put("agent_radius", pushT.agentRadius() * pushT.scale());
      arena.put("block_shape", PushTPictures.shapeForPage(pushT));
      s.put("world", PushTConfig.NAME);
      s.put("arena", arena);
    }
    List<Map<String, Object>> robots = new ArrayList<>();
    for (String id : observer.streams()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", id);
      List<OutputObserver.Position> ps = observer.positions(id);
      if (!ps.isEmpty()) {
        OutputObserver.Position p = ps.get(ps.size() - 1);
        r.put("x", p.x());
        r.put("y", p.y());
        r.put("seq", p.sequence());
        List<double[]> trail = new ArrayList<>();
        for (OutputObserver.Position q : ps.subList(Math.max(0, ps.size() - TRAIL), ps.size())) {
          trail.add(new double[] {q.x(), q.y()});
        }
        r.put("trail", trail);
      }
      if (pushT != null) {
        List<OutputObserver.Block> bs = observer.blocks(id);
        if (!bs.isEmpty()) {
          OutputObserver.Block b = bs.get(bs.size() - 1);
          r.put("block", new double[] {b.x(), b.y(), b.angle()});
        }
      }
      OutputObserver.Door door = observer.door(id);
      if (door != null) {
        r.put("door", new int[] {door.top(), door.bottom()});
      }
      RobotStats rs = byStream.get(id);
      if (rs != null) {
        rs.goals().stream()
            .filter(g -> g.status() == RobotStats.GoalOutcome.Status.ACTIVE)
            .reduce((a, b) -> b)
            .ifPresent(
                g ->
                    r.put(
                        "goal",
                        pushT == null
                            ? new double[] {g.x(), g.y()}
                            : new double[] {g.x(), g.y(), g.angle()}));
        r.put("goals_reached", rs.goalsReached());
      }
      Map.Entry<Long, byte[]> f = observer.lastFrame(id);
      if (f != null) {
        r.put(
            "camera",
            Pictures.dataUrl(f.getValue(), OutputObserver.FRAME_SIDE, OutputObserver.FRAME_SIDE));
      }
      OutputObserver.ObservedPlan plan = observer.lastPlan(id);
      if (plan != null && imagination != null) {
        float[] z = observer.latent(id, plan.basedOnSequence());
        if (z != null && pushT == null) {
          r.put("plan", imagination.path(z, plan.actions()));
          r.put("plan_from", plan.basedOnSequence());
        } else if (z != null) {
          Imagination.Imagined seen = imagination.imagine(z, plan.actions());
          r.put("plan", seen.agent());
          if (seen.block() != null) {
            r.put("plan_block", seen.block());
          }
          r.put("plan_from", plan.basedOnSequence());
        }
      }
      robots.add(r);
    }
    s.put("robots", robots);
    List<Map<String, Object>> events = new ArrayList<>();
    List<OutputObserver.Surprise> all = observer.surprises();
    for (OutputObserver.Surprise e : all.subList(Math.max(0, all.size() - 15), all.size())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stream", e.streamId());
      m.put("seq", e.sequence());
      m.put("score", Math.round(e.normalized() * 10) / 10.0);
      RobotStats rs = byStream.get(e.streamId());
      String match = null;
      if (rs != null) {
        for (Violation v : rs.violations()) {
          if (Math.abs(v.step() - e.sequence()) <= DemoReport.MATCH_WINDOW) {
            match = v.kind().toString();
          }
        }
      }
      m.put("match", match);
      events.add(m);
    }
    s.put("surprises", events);
    return s;
  }

  @Override
  public void close() {
    open = false;
    server.stop(0);
    pool.shutdownNow();
  }
}
