package io.foresight.tools.cli;

import io.foresight.pipeline.JobConfig;
import io.foresight.pipeline.JobOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The job's options on a command line (a picocli mixin): the common ones as flags, any other as
 * {@code --set key=value}, a properties file, and the environment ({@code JOB_PARALLELISM}).
 */
public final class JobConfigOptions {
  @Option(names = "--bootstrap", description = "Kafka bootstrap servers (kafka.bootstrap.servers).")
  String bootstrap;

  @Option(names = "--checkpoint-dir", description = "Checkpoint directory (job.checkpoint.dir).")
  String checkpointDir;

  @Option(names = "--device", description = "Encoder and predictor device: cpu, cuda:N or auto.")
  String device;

  @Option(names = "--config", description = "A properties file with option keys.")
  Path config;

  @Option(
      names = "--set",
      description = "Any option as key=value (repeatable), e.g. --set encoder.batch.size=16.")
  Map<String, String> set = new LinkedHashMap<>();

  /** The job's configuration: flags over the environment over the file over the defaults. */
  public JobConfig load() {
    Map<String, String> overrides = new LinkedHashMap<>(set);
    if (bootstrap != null) {
      overrides.put(JobOptions.BOOTSTRAP.key(), bootstrap);
    }
    if (checkpointDir != null) {
      String dir =
          checkpointDir.contains("://")
              ? checkpointDir
              : Path.of(checkpointDir).toAbsolutePath().toString();
      overrides.put(JobOptions.CHECKPOINT_DIR.key(), dir);
    }
    if (device != null) {
      overrides.put("encoder.device", device);
      overrides.put("planner.device", device);
    }
    return JobConfig.load(config, System.getenv(), overrides);
  }
}
