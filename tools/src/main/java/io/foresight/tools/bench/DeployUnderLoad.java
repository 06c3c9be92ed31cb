package io.foresight.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.pipeline.PipelineException;
import io.foresight.runtime.ModelVariants;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Topics;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelDeployment;
import io.foresight.schemas.avro.Plan;
import io.foresight.tools.internal.KafkaClients;
import io.foresight.tools.models.Deployments;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The "deploy under load" figure of {@code foresight bench streams --deploy-at SECONDS}: in each
 * step, that many seconds after the robots started, a model is deployed into the running job as
 * {@code foresight models deploy} does it (a {@code ModelDeployment} on {@code foresight.control}),
 * and after the step the latents and plans of the step's streams say how the switch went ({@link
 * DeployFigures}): every stream switched once, no latent of the old model after a stream's first
 * one of the new model, the time from the publish to each stream's first plan made from a latent of
 * the new model, and the job's restarts (Flink's {@code numRestarts} from the MiniCluster's REST
 * API). Frames lost or duplicated across the switch are the step's exactness check.
 *
 * <p>The model: {@code --deploy-model DIR} when given, deployed in the first step, the job's own
 * model in the second (a rollback), and so on; without it, each step deploys a new re-export of the
 * job's model ({@link ModelVariants#redocumented}: the same network with another doc string in its
 * encoder file, so a new sha256 and version, the switch a real one each time), written under the
 * bench's work directory.
 *
 * <pre>{@code
 * DeployUnderLoad d = new DeployUnderLoad(null, 15, jobModelDir, workDir);
 * DeployUnderLoad.Pending p = d.schedule(bootstrap, 16, robotsStartedNanos);
 * ... the step runs and drains ...
 * DeployFigures f = p.measure(bootstrap, latentsFrom, plansFrom, streams, jobId);
 * }</pre>
 */
public final class DeployUnderLoad {
  private static final AvroCodec<LatentState> LATENTS = AvroCodec.of(LatentState.class);
  private static final AvroCodec<Plan> PLANS = AvroCodec.of(Plan.class);

  private final Path modelDir;
  private final double atS;
  private final Path jobModel;
  private final Path workDir;
  private final int restPort;
  private final String restUrl;
  private int deployed;

  /**
   * @param modelDir the model to deploy, or null for a re-export of the job's model per step
   * @param atS seconds after the robots of a step started
   * @param jobModel the job's configured model directory (encoder and predictor)
   * @param workDir where re-exports are written
   */
  public DeployUnderLoad(Path modelDir, double atS, Path jobModel, Path workDir) {
    if (!(atS >= 0)) {
      throw new PipelineException("--deploy-at must be >= 0 seconds, got " + atS);
    }
    this.modelDir = modelDir;
    this.atS = atS;
    this.jobModel = jobModel;
    this.workDir = workDir;
    this.restPort = freePort();
    this.restUrl = "http://127.0.0.1:" + restPort;
  }

  /**
   * The Flink settings for the stack's MiniCluster: its REST API on 127.0.0.1 and a free port,
   * where {@link Pending#measure} reads the job's status and restarts.
   */
  public org.apache.flink.configuration.Configuration flinkConfiguration() {
    var flink = new org.apache.flink.configuration.Configuration();
    flink.set(org.apache.flink.configuration.RestOptions.BIND_ADDRESS, "127.0.0.1");
    flink.set(org.apache.flink.configuration.RestOptions.ADDRESS, "127.0.0.1");
    flink.set(org.apache.flink.configuration.RestOptions.BIND_PORT, Integer.toString(restPort));
    flink.set(org.apache.flink.configuration.RestOptions.PORT, restPort);
    return flink;
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new PipelineException("no free port for the MiniCluster's REST API: " + e, e);
    }
  }

  /** The console line of a step's deploy figures, or "" without. */
  static String summary(StreamsReport.Step s) {
    DeployFigures d = s.deploy();
    if (d == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%n  N=%d deploy at %.1f s: %d/%d streams switched, old latents after the switch %d,"
            + " publish -> first new plan p50/p99/max %s/%s/%s (%d streams without), job %s,"
            + " restarts %s, refusals %d",
        s.robots(),
        d.atS(),
        d.switchedStreams(),
        d.streams(),
        d.latentsOldAfterSwitch(),
        seconds(d.p50SecondsToFirstNewPlan()),
        seconds(d.p99SecondsToFirstNewPlan()),
        seconds(d.maxSecondsToFirstNewPlan()),
        d.streamsWithoutNewPlan(),
        d.jobStatus(),
        d.jobRestarts(),
        d.refusals().size());
  }

  /** Checks the settings against a step's duration. */
  public void check(int durationS) {
    if (atS >= durationS) {
      throw new PipelineException(
          "--deploy-at "
              + atS
              + " is not within --duration "
              + durationS
              + "; deploy before the robots stop");
    }
  }

  /** The settings, for the report. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("deploy_at_s", atS);
    m.put("deploy_model", modelDir == null ? "re-export of the job's model per step" : modelDir);
    return m;
  }

  /** The model the next step deploys (see the class description). */
  private Path nextModel(int n) {
    int k = deployed++;
    if (modelDir != null) {
      return k % 2 == 0 ? modelDir : jobModel;
    }
    ModelCard card = ModelCard.load(jobModel);
    return ModelVariants.redocumented(
        jobModel,
        workDir.resolve("deploy-model-n" + n + "-" + k),
        card.version() + "-redoc-n" + n,
        "bench streams deploy, N=" + n);
  }

  /**
   * Prepares the model of this step and publishes its deployment {@code atS} seconds after {@code
   * startNanos} on a thread of its own.
   */
  public Pending schedule(String bootstrap, int n, long startNanos) {
    Path dir = nextModel(n);
    ModelDeployment d = Deployments.of(dir);
    Pending p = new Pending(d, startNanos);
    Thread t =
        new Thread(
            () -> {
              try {
                long left = startNanos + (long) (atS * 1e9) - System.nanoTime();
                if (left > 0) {
                  Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
                p.publishedNanos = System.nanoTime();
                p.publishedUs = System.currentTimeMillis() * 1000L;
                Deployments.publish(bootstrap, d);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                p.error = e;
              }
            },
            "bench-deploy-n" + n);
    t.setDaemon(true);
    t.start();
    p.thread = t;
    return p;
  }

  /** A deployment scheduled in a step. */
  public final class Pending {
    private final ModelDeployment deployment;
    private final long startNanos;
    private Thread thread;
    private volatile long publishedNanos;
    private volatile long publishedUs;
    private volatile RuntimeException error;

    private Pending(ModelDeployment deployment, long startNanos) {
      this.deployment = deployment;
      this.startNanos = startNanos;
    }

    /**
     * Reads the step's latents and plans (from the offsets taken before the step, to the end now)
     * and the job's restarts; call after the step's outputs drained.
     */
    public DeployFigures measure(
        String bootstrap,
        Map<TopicPartition, Long> latentsFrom,
        Map<TopicPartition, Long> plansFrom,
        Set<String> streams,
        JobID job)
        throws InterruptedException {
      thread.join(60_000);
      if (error != null) {
        throw new PipelineException(
            "the deployment of the step could not be published: " + error.getMessage(), error);
      }
      if (publishedUs == 0) {
        throw new PipelineException("the deployment of the step was not published in time");
      }
      String sha = deployment.getEncoderSha256().toString();
      // per stream: sequence -> model sha of its latent (the exactness check counts duplicates)
      Map<String, TreeMap<Long, String>> tags = new HashMap<>();
      Map<String, Long> captureUs = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : read(bootstrap, Topics.LATENTS, latentsFrom)) {
        LatentState l;
        try {
          l = LATENTS.decode(r.value());
        } catch (WireFormatException e) {
          continue;
        }
        String s = l.getStreamId().toString();
        if (streams.contains(s)) {
          tags.computeIfAbsent(s, k -> new TreeMap<>())
              .put(l.getSequence(), l.getModel().getSha256().toString());
          captureUs.put(s + "#" + l.getSequence(), l.getTimeUs());
        }
      }
      Map<String, Long> firstNew = new HashMap<>();
      Map<String, Double> toLatent = new TreeMap<>();
      long oldAfter = 0;
      for (Map.Entry<String, TreeMap<Long, String>> e : tags.entrySet()) {
        Long first = null;
        for (Map.Entry<Long, String> t : e.getValue().entrySet()) {
          boolean isNew = t.getValue().equalsIgnoreCase(sha);
          if (first == null && isNew) {
            first = t.getKey();
          } else if (first != null && !isNew) {
            oldAfter++;
          }
        }
        if (first != null) {
          firstNew.put(e.getKey(), first);
          long cap = captureUs.get(e.getKey() + "#" + first);
          toLatent.put(e.getKey(), round((cap - publishedUs) / 1e6));
        }
      }
      Map<String, Double> toPlan = new TreeMap<>();
      for (String s : streams) {
        toPlan.put(s, null);
      }
      for (ConsumerRecord<byte[], byte[]> r : read(bootstrap, Topics.PLANS, plansFrom)) {
        Plan p;
        try {
          p = PLANS.decode(r.value());
        } catch (WireFormatException e) {
          continue;
        }
        String s = p.getStreamId().toString();
        Long first = firstNew.get(s);
        if (first != null && p.getBasedOnSequence() >= first && toPlan.get(s) == null) {
          toPlan.put(s, round((p.getTimeUs() - publishedUs) / 1e6));
        }
      }
      List<Double> seconds = new ArrayList<>();
      toPlan.values().stream().filter(v -> v != null).forEach(seconds::add);
      seconds.sort(Double::compare);
      int without = streams.size() - seconds.size();
      return new DeployFigures(
          round((publishedNanos - startNanos) / 1e9),
          deployment.getDeploymentId().toString(),
          deployment.getModelName() + " " + deployment.getModelVersion(),
          sha,
          deployment.getModelDir().toString(),
          streams.size(),
          firstNew.size(),
          oldAfter,
          toLatent,
          toPlan,
          without > 0 || seconds.isEmpty() ? null : seconds.get(seconds.size() - 1),
          rank(seconds, 0.50),
          rank(seconds, 0.99),
          without,
          Deployments.refusals(bootstrap, 10_000)
              .getOrDefault(deployment.getDeploymentId().toString(), List.of()),
          jobStatus(job),
          restarts(job));
    }
  }

  /** Nearest-rank percentile of sorted values, or null. */
  static Double rank(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return null;
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Records of {@code topic} from {@code from} to its end now (read_committed). */
  private static List<ConsumerRecord<byte[], byte[]>> read(
      String bootstrap, String topic, Map<TopicPartition, Long> from) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaClients.assigned(bootstrap, List.of(topic), Map.of())) {
      Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
      for (TopicPartition tp : c.assignment()) {
        c.seek(tp, from.getOrDefault(tp, 0L));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline && !reached(c, end)) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private JsonNode get(String path) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(restUrl + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      return new ObjectMapper().readTree(r.body());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private String jobStatus(JobID job) {
    JsonNode n = get("/jobs/" + job);
    return n == null ? null : n.path("state").asText(null);
  }

  /**
   * The job's {@code numRestarts} (a job metric of the JobManager), or when the metric is not there
   * the failures in the job's exception history; null when the REST API does not answer.
   */
  private Long restarts(JobID job) {
    JsonNode m = get("/jobs/" + job + "/metrics?get=numRestarts");
    if (m != null && m.isArray() && !m.isEmpty()) {
      String v = m.get(0).path("value").asText("");
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        // fall back to the exception history
      }
    }
    JsonNode x = get("/jobs/" + job + "/exceptions");
    if (x == null) {
      return null;
    }
    return (long) x.path("exceptionHistory").path("entries").size();
  }

  /** {@code 12.3 s}, for the console. */
  static String seconds(Double s) {
    return s == null ? "-" : String.format(Locale.ROOT, "%.2f s", s);
  }
}
