package io.foresight.tools.cluster;

import io.foresight.pipeline.ForesightJob;
import io.foresight.pipeline.JobConfig;
import io.foresight.pipeline.JobOptions;
import io.foresight.pipeline.JobRunner;
import io.foresight.tools.cli.DurationConverter;
import io.foresight.tools.cli.JobConfigOptions;
import io.foresight.tools.cluster.internal.FlinkRest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code foresight cluster}: the job on a running Flink session cluster, through its REST API:
 * submit it from the newest checkpoint or savepoint, keep it submitted, stop it with a savepoint,
 * show its state.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "The Foresight job on a running Flink session cluster (its REST API, e.g."
          + " http://jobmanager:8081). The cluster's classpath must hold the job's classes, as the"
          + " Docker image's does.",
      "  supervise  submit the job and resubmit it whenever the JobManager lost it",
      "  submit     submit it once, from the newest checkpoint or savepoint",
      "  stop       stop it with a savepoint",
      "  status     the job, its parallelism, the newest checkpoint, the slots"
    },
    subcommands = {
      ClusterCommand.Supervise.class,
      ClusterCommand.Submit.class,
      ClusterCommand.Stop.class,
      ClusterCommand.Status.class
    })
public final class ClusterCommand implements Callable<Integer> {
  /** The name the job is submitted under and found by. */
  public static final String JOB_NAME = "foresight";

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** The REST address of the cluster. */
  static final class Rest {
    @Option(
        names = "--rest",
        defaultValue = "${env:FLINK_REST_URL:-http://localhost:8081}",
        description = "Flink's REST API (env FLINK_REST_URL). Default: ${DEFAULT-VALUE}.")
    String url;

    FlinkRest client() {
      return new FlinkRest(url);
    }
  }

  /** Submits the job, resuming from the newest restore point unless told otherwise. */
  static JobClient submit(Rest rest, JobConfig cfg, boolean resume) throws Exception {
    Configuration extra = new Configuration();
    Optional<Path> from = resume ? JobRunner.latestRestorePoint(cfg) : Optional.empty();
    from.ifPresent(p -> JobRunner.resumeFrom(extra, p));
    URI uri = URI.create(rest.url);
    StreamExecutionEnvironment env =
        JobRunner.remoteEnvironment(cfg, extra, uri.getHost(), uri.getPort());
    new ForesightJob(ForesightJob.kafkaSources(cfg), ForesightJob.kafkaSinks(cfg), cfg).build(env);
    JobClient client = env.executeAsync(JOB_NAME);
    log(
        "submitted job "
            + client.getJobID()
            + " to "
            + rest.url
            + " at parallelism "
            + cfg.job().get(JobOptions.PARALLELISM)
            + from.map(p -> ", resuming from " + p).orElse(", with no checkpoint to resume from"));
    return client;
  }

  static void log(String line) {
    System.out.println(Instant.now() + " " + line);
  }

  /** {@code foresight cluster supervise}. */
  @Command(
      name = "supervise",
      mixinStandardHelpOptions = true,
      description = {
        "Submits the job from the newest checkpoint or savepoint when none is running, then"
            + " watches the cluster and submits it again whenever the JobManager lost it (a"
            + " restarted JobManager forgets its jobs) or it FAILED for good.",
        "A job stopped on purpose (FINISHED after 'cluster stop', or CANCELED) stays stopped"
            + " until this command starts again."
      })
  static final class Supervise implements Callable<Integer> {
    @Mixin Rest rest;
    @Mixin JobConfigOptions options;

    @Option(
        names = "--interval",
        defaultValue = "5s",
        converter = DurationConverter.class,
        description = "How often the cluster is checked. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Override
    public Integer call() throws Exception {
      JobConfig cfg = options.load();
      FlinkRest flink = rest.client();
      boolean first = true;
      String held = null;
      while (!Thread.currentThread().isInterrupted()) {
        try {
          java.util.List<FlinkRest.Job> jobs = flink.jobs();
          if (FlinkRest.active(jobs, JOB_NAME).isEmpty()) {
            Optional<FlinkRest.Job> last = FlinkRest.newest(jobs, JOB_NAME);
            boolean stoppedOnPurpose =
                last.isPresent()
                    && (last.get().state().equals("FINISHED")
                        || last.get().state().equals("CANCELED"));
            if (first || !stoppedOnPurpose) {
              last.ifPresent(j -> log("job " + j.id() + " is " + j.state() + "; submitting"));
              submit(rest, cfg, true);
              held = null;
            } else if (!last.get().id().equals(held)) {
              held = last.get().id();
              log(
                  "job "
                      + held
                      + " was stopped ("
                      + last.get().state()
                      + "); not resubmitting it. Restart this command to start the job again.");
            }
          }
          first = false;
        } catch (ClusterException e) {
          log("waiting for the JobManager: " + e.getMessage());
        }
        Thread.sleep(interval.toMillis());
      }
      return 0;
    }
  }

  /** {@code foresight cluster submit}. */
  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = "Submits the job once, from the newest checkpoint or savepoint.")
  static final class Submit implements Callable<Integer> {
    @Mixin Rest rest;
    @Mixin JobConfigOptions options;

    @Option(
        names = "--no-resume",
        description = "Start fresh, ignoring checkpoints and savepoints.")
    boolean noResume;

    @Override
    public Integer call() throws Exception {
      FlinkRest flink = rest.client();
      Optional<FlinkRest.Job> active = flink.active(JOB_NAME);
      if (active.isPresent()) {
        System.err.println(
            "job "
                + active.get().id()
                + " is "
                + active.get().state()
                + " already; stop it first ('foresight cluster stop')");
        return 1;
      }
      submit(rest, options.load(), !noResume);
      return 0;
    }
  }

  /** {@code foresight cluster stop}. */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = {
        "Stops the running job with a savepoint (not drained: it resumes as if never stopped)"
            + " and prints the savepoint's path.",
        "'supervise' and 'submit' resume from it, at any parallelism up to job.max.parallelism."
      })
  static final class Stop implements Callable<Integer> {
    @Mixin Rest rest;
    @Mixin JobConfigOptions options;

    @Option(
        names = "--timeout",
        defaultValue = "5m",
        converter = DurationConverter.class,
        description = "How long to wait for the savepoint. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() {
      FlinkRest flink = rest.client();
      FlinkRest.Job job =
          flink
              .active(JOB_NAME)
              .orElseThrow(
                  () ->
                      new ClusterException("no '" + JOB_NAME + "' job is running at " + rest.url));
      String dir = JobRunner.savepointDir(options.load());
      String location = flink.stopWithSavepoint(job.id(), dir, timeout);
      log("stopped job " + job.id() + " with savepoint " + location);
      System.out.println(location);
      return 0;
    }
  }

  /** {@code foresight cluster status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "The job's state and parallelism, its newest checkpoint, and the slots.")
  static final class Status implements Callable<Integer> {
    @Mixin Rest rest;

    @Option(names = "--json", description = "One JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      FlinkRest flink = rest.client();
      FlinkRest.Overview o = flink.overview();
      java.util.List<FlinkRest.Job> jobs = flink.jobs();
      Optional<FlinkRest.Job> job =
          FlinkRest.active(jobs, JOB_NAME).or(() -> FlinkRest.newest(jobs, JOB_NAME));
      var out = new java.util.LinkedHashMap<String, Object>();
      out.put("taskmanagers", o.taskManagers());
      out.put("slots_total", o.slotsTotal());
      out.put("slots_available", o.slotsAvailable());
      if (job.isPresent()) {
        out.put("job", job.get().id());
        out.put("state", job.get().state());
        out.put("parallelism", flink.parallelism(job.get().id()));
        flink
            .latestCheckpoint(job.get().id())
            .ifPresent(
                c -> {
                  out.put("checkpoint_id", c.getKey());
                  out.put("checkpoint", c.getValue());
                });
      } else {
        out.put("state", "NONE");
      }
      if (json) {
        System.out.println(
            new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(out));
      } else {
        out.forEach((k, v) -> System.out.println(k + ": " + v));
      }
      return 0;
    }
  }
}
