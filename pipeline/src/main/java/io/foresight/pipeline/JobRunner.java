package io.foresight.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
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
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ofSeconds(2));
    conf.setString("pipeline.generic-types", "true");
    return conf;
  }

  /** An environment (local MiniCluster when run outside a cluster) configured for the job. */
  public static StreamExecutionEnvironment environment(JobConfig config, Configuration extra) {
    Configuration conf = flinkConfiguration(config);
    conf.set(
        CheckpointingOptions.ENABLE_UNALIGNED, config.job().get(JobOptions.CHECKPOINT_UNALIGNED));
    conf.addAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(config.job().get(JobOptions.PARALLELISM));
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
    if (checkpointDir == null || checkpointDir.isBlank()) {
      return Optional.empty();
    }
    Path dir = Path.of(java.net.URI.create(toUri(checkpointDir)));
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(dir)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(JobRunner::checkpointsOf)
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .max(Comparator.comparingLong(JobRunner::modified));
    } catch (IOException e) {
      throw new PipelineException("Error listing checkpoints in " + dir + ": " + e.getMessage(), e);
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
