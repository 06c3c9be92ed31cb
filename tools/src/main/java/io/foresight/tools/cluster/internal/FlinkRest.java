package io.foresight.tools.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.tools.cluster.ClusterException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few calls of Flink's REST API that operating the job needs: the jobs and their states, the
 * cluster's slots, the newest checkpoint, and stop-with-savepoint.
 */
public final class FlinkRest {
  /** States in which a job still holds (or is about to hold) the cluster's slots. */
  private static final List<String> ACTIVE =
      List.of(
          "INITIALIZING",
          "CREATED",
          "RUNNING",
          "FAILING",
          "CANCELLING",
          "RESTARTING",
          "SUSPENDED",
          "RECONCILING");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A job in the cluster's list. */
  public record Job(String id, String name, String state, long startTime) {
    public boolean active() {
      return ACTIVE.contains(state);
    }
  }

  /** The cluster's TaskManagers and slots. */
  public record Overview(int taskManagers, int slotsTotal, int slotsAvailable) {}

  public FlinkRest(String url) {
    this.base = url.replaceAll("/+$", "");
  }

  public String url() {
    return base;
  }

  /** Every job the JobManager knows (running and finished), newest first. */
  public List<Job> jobs() {
    List<Job> out = new ArrayList<>();
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      out.add(
          new Job(
              j.path("jid").asText(),
              j.path("name").asText(),
              j.path("state").asText(),
              j.path("start-time").asLong()));
    }
    out.sort((a, b) -> Long.compare(b.startTime(), a.startTime()));
    return out;
  }

  /** The newest job with this name, if any. */
  public Optional<Job> newest(String name) {
    return newest(jobs(), name);
  }

  /** The job with this name that is running or restarting, if any. */
  public Optional<Job> active(String name) {
    return active(jobs(), name);
  }

  /** The newest job with this name among {@code jobs} (as {@link #jobs} lists them). */
  public static Optional<Job> newest(List<Job> jobs, String name) {
    return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
  }

  /** The running or restarting job with this name among {@code jobs}. */
  public static Optional<Job> active(List<Job> jobs, String name) {
    return jobs.stream().filter(j -> j.name().equals(name) && j.active()).findFirst();
  }

  public Overview overview() {
    JsonNode o = get("/overview");
    return new Overview(
        o.path("taskmanagers").asInt(),
        o.path("slots-total").asInt(),
        o.path("slots-available").asInt());
  }

  /** The highest parallelism of the job's vertices. */
  public int parallelism(String jobId) {
    int p = 0;
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      p = Math.max(p, v.path("parallelism").asInt());
    }
    return p;
  }

  /** The newest completed checkpoint's path and id, if the job completed one. */
  public Optional<Map.Entry<Long, String>> latestCheckpoint(String jobId) {
    JsonNode c = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
    if (c.isMissingNode() || c.isNull()) {
      return Optional.empty();
    }
    return Optional.of(Map.entry(c.path("id").asLong(), c.path("external_path").asText()));
  }

  /**
   * Stops the job with a savepoint (without draining: the job can resume from it as if never
   * stopped) and waits for it.
   *
   * @return the savepoint's location
   */
  public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) {
    String body =
        "{\"targetDirectory\":"
            + (targetDirectory == null || targetDirectory.isBlank()
                ? "null"
                : JSON.valueToTree(targetDirectory).toString())
            + ",\"drain\":false,\"formatType\":\"CANONICAL\"}";
    String trigger = post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = get("/jobs/" + jobId + "/savepoints/" + trigger);
      if ("COMPLETED".equals(r.path("status").path("id").asText())) {
        JsonNode op = r.path("operation");
        if (op.has("location")) {
          return op.path("location").asText();
        }
        throw new ClusterException(
            "the savepoint of job "
                + jobId
                + " failed: "
                + op.path("failure-cause").path("stack-trace").asText("(no cause given)")
                + ". The job keeps running; check the JobManager's log.");
      }
      sleep(500);
    }
    throw new ClusterException(
        "the savepoint of job " + jobId + " did not complete within " + timeout + "; retry later");
  }

  private JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
  }

  private JsonNode post(String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        path);
  }

  /**
   * How long a call waits out 503 answers: Flink's REST endpoint answers 503 ("Service temporarily
   * unavailable due to an ongoing leader election") while a JobManager that has just started has
   * not yet granted itself leadership; the request was not handled, so it is sent again.
   */
  static final Duration UNAVAILABLE_WAIT = Duration.ofSeconds(30);

  private JsonNode send(HttpRequest.Builder request, String path) {
    try {
      HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
      long deadline = System.nanoTime() + UNAVAILABLE_WAIT.toNanos();
      HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
      while (r.statusCode() == 503 && System.nanoTime() < deadline) {
        sleep(250);
        r = http.send(built, HttpResponse.BodyHandlers.ofString());
      }
      if (r.statusCode() / 100 != 2) {
        throw new ClusterException(
            "Flink at " + base + " answered " + r.statusCode() + " to " + path + ": " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new ClusterException(
          "cannot reach Flink's REST API at "
              + base
              + " ("
              + e
              + "); check --rest and that the JobManager is up",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while calling Flink at " + base, e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted", e);
    }
  }
}
