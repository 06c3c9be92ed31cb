package io.foresight.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds the Flink environment for the job: checkpoints, state backend, restarts, recovery. */
public final class JobRunner {
  private JobRunner() {}

  /**
   * The Flink configuration for the job's options. With a checkpoint directory, checkpoints are
   * retained on cancellation and failure, so that a restarted job resumes from the newest one.
   */
  public static Configuration flinkConfiguration(JobConfig config) {
    var s = config.job();
    Configuration conf = new Configuration();
    String backend = s.get(JobOptions.STATE_BACKEND);
    conf.set(StateBackendOptions.STATE_BACKEND, backend);
    String dir = s.get(JobOptions.CHECKPOINT_DIR);
    if (!dir.isBlank()) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, toUri(dir));
      conf.set(
          CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
          org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }
    String savepoints = savepointDir(config);
    if (!savepoints.isBlank()) {
      conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, toUri(savepoints));
    }
    restartStrategy(conf, config.job());
    conf.set(PipelineOptions.MAX_PARALLELISM, s.get(JobOptions.MAX_PARALLELISM));
    conf.setString("pipeline.generic-types", "true");
    conf.set(PipelineOptions.OBJECT_REUSE, s.get(JobOptions.OBJECT_REUSE));
    return conf;
  }

  /**
   * The restart strategy of {@code job.restart.*}: by default exponential delay (1 s doubling to 30
   * s, reset after an hour without failures) with no attempt limit, so that a lost TaskManager or a
   * broker away for minutes never leaves the job FAILED.
   */
  static void restartStrategy(Configuration conf, JobOptions job) {
    String strategy = job.get(JobOptions.RESTART_STRATEGY);
    int attempts = job.get(JobOptions.RESTART_ATTEMPTS);
    int limit = attempts == 0 ? Integer.MAX_VALUE : attempts;
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, strategy);
    switch (strategy) {
      case "exponential-delay" -> {
        conf.set(
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
            job.get(JobOptions.RESTART_DELAY));
        conf.set(
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
            job.get(JobOptions.RESTART_MAX_DELAY));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
            java.time.Duration.ofHours(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, limit);
      }
      case "fixed-delay" -> {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, limit);
        conf.set(
            RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
            job.get(JobOptions.RESTART_DELAY));
      }
      default -> {}
    }
  }

  /** {@code job.savepoint.dir}, or {@code savepoints} under the checkpoint directory. */
  public static String savepointDir(JobConfig config) {
    String dir = config.job().get(JobOptions.SAVEPOINT_DIR);
    String checkpoints = config.job().get(JobOptions.CHECKPOINT_DIR);
    if (!dir.isBlank() || checkpoints.isBlank()) {
      return dir;
    }
    return toUri(checkpoints).replaceAll("/+$", "") + "/savepoints";
  }

  /** An environment (local MiniCluster when run outside a cluster) configured for the job. */
  public static StreamExecutionEnvironment environment(JobConfig config, Configuration extra) {
    Configuration conf = jobConfiguration(config, extra);
    return configure(StreamExecutionEnvironment.getExecutionEnvironment(conf), config);
  }

  /**
   * An environment that submits the job to a running Flink cluster through its REST endpoint. The
   * cluster's classpath must hold the job's classes (the Docker image's does): no jar is uploaded.
   */
  public static StreamExecutionEnvironment remoteEnvironment(
      JobConfig config, Configuration extra, String restHost, int restPort) {
    Configuration conf = jobConfiguration(config, extra);
    return configure(
        StreamExecutionEnvironment.createRemoteEnvironment(restHost, restPort, conf), config);
  }

  private static Configuration jobConfiguration(JobConfig config, Configuration extra) {
    Configuration conf = flinkConfiguration(config);
    conf.set(
        CheckpointingOptions.ENABLE_UNALIGNED, config.job().get(JobOptions.CHECKPOINT_UNALIGNED));
    conf.addAll(extra);
    return conf;
  }

  private static StreamExecutionEnvironment configure(
      StreamExecutionEnvironment env, JobConfig config) {
    env.setParallelism(config.job().get(JobOptions.PARALLELISM));
    env.setMaxParallelism(config.job().get(JobOptions.MAX_PARALLELISM));
    env.setBufferTimeout(config.job().get(JobOptions.BUFFER_TIMEOUT).toMillis());
    env.enableCheckpointing(
        config.job().get(JobOptions.CHECKPOINT_INTERVAL).toMillis(),
        CheckpointingMode.EXACTLY_ONCE);
    return env;
  }

  /** Sets the checkpoint to resume from in {@code conf}. */
  public static void resumeFrom(Configuration conf, Path checkpoint) {
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toAbsolutePath().toString());
  }

  /**
   * The newest completed checkpoint under a checkpoint directory ({@code <dir>/<job id>/chk-N} with
   * a {@code _metadata} file), if any.
   */
  public static Optional<Path> latestCheckpoint(String checkpointDir) {
    return newest(
        checkpointDir,
        "checkpoints",
        children -> children.filter(Files::isDirectory).flatMap(JobRunner::checkpointsOf));
  }

  /**
   * The newest completed checkpoint or savepoint of the job: the newest {@code _metadata} among the
   * checkpoints under {@code job.checkpoint.dir} and the savepoints under {@link #savepointDir}.
   */
  public static Optional<Path> latestRestorePoint(JobConfig config) {
    Optional<Path> checkpoint = latestCheckpoint(config.job().get(JobOptions.CHECKPOINT_DIR));
    Optional<Path> savepoint = latestSavepoint(savepointDir(config));
    return Stream.concat(checkpoint.stream(), savepoint.stream())
        .max(Comparator.comparingLong(JobRunner::modified));
  }

  /** The newest savepoint ({@code savepoint-*} with a {@code _metadata} file) under a directory. */
  public static Optional<Path> latestSavepoint(String savepointDir) {
    return newest(
        savepointDir,
        "savepoints",
        children -> children.filter(p -> p.getFileName().toString().startsWith("savepoint-")));
  }

  /**
   * The candidate among {@code dir}'s children (as {@code candidates} picks them) with the newest
   * {@code _metadata} file; empty when the directory is unset or missing.
   */
  private static Optional<Path> newest(
      String dir, String what, java.util.function.UnaryOperator<Stream<Path>> candidates) {
    if (dir == null || dir.isBlank()) {
      return Optional.empty();
    }
    Path path = Path.of(java.net.URI.create(toUri(dir)));
    if (!Files.isDirectory(path)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(path)) {
      return candidates
          .apply(children)
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .max(Comparator.comparingLong(JobRunner::modified));
    } catch (IOException e) {
      throw new PipelineException(
          "Error listing " + what + " in " + path + ": " + e.getMessage(), e);
    }
  }

  private static Stream<Path> checkpointsOf(Path jobDir) {
    try {
      return Files.list(jobDir)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .toList()
          .stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /** A checkpoint directory as a URI: plain paths become {@code file:///...}. */
  public static String toUri(String dir) {
    if (dir.contains("://")) {
      return dir;
    }
    return Path.of(dir).toAbsolutePath().toUri().toString();
  }
}
