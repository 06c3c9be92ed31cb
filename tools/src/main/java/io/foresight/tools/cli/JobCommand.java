package io.foresight.tools.cli;

import io.foresight.pipeline.ForesightJob;
import io.foresight.pipeline.JobConfig;
import io.foresight.pipeline.JobOptions;
import io.foresight.pipeline.JobRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foresight job}: runs the Foresight job on a local Flink MiniCluster. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Foresight job (frames -> latents -> predictions, surprise, plans) on a local Flink"
          + " MiniCluster until stopped.",
      "With --checkpoint-dir it resumes from the newest checkpoint there. On a real cluster,"
          + " submit pipeline/target/foresight-job.jar with 'flink run' instead (docs/operations.md)."
    })
public final class JobCommand implements Callable<Integer> {
  @Option(names = "--bootstrap", description = "Kafka bootstrap servers (kafka.bootstrap.servers).")
  String bootstrap;

  @Option(names = "--checkpoint-dir", description = "Checkpoint directory (job.checkpoint.dir).")
  Path checkpointDir;

  @Option(names = "--device", description = "Encoder and predictor device: cpu, cuda:N or auto.")
  String device;

  @Option(names = "--config", description = "A properties file with option keys.")
  Path config;

  @Option(
      names = "--set",
      description = "Any option as key=value (repeatable), e.g. --set encoder.batch.size=16.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--no-resume",
      description = "Start fresh even if the checkpoint directory holds checkpoints.")
  boolean noResume;

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>(set);
    if (bootstrap != null) {
      overrides.put(JobOptions.BOOTSTRAP.key(), bootstrap);
    }
    if (checkpointDir != null) {
      overrides.put(JobOptions.CHECKPOINT_DIR.key(), checkpointDir.toAbsolutePath().toString());
    }
    if (device != null) {
      overrides.put("encoder.device", device);
      overrides.put("planner.device", device);
    }
    JobConfig cfg = JobConfig.load(config, System.getenv(), overrides);
    Configuration extra = new Configuration();
    Optional<Path> resume =
        noResume
            ? Optional.empty()
            : JobRunner.latestCheckpoint(cfg.job().get(JobOptions.CHECKPOINT_DIR));
    resume.ifPresent(
        p -> {
          System.out.println("Resuming from checkpoint " + p);
          JobRunner.resumeFrom(extra, p);
        });
    StreamExecutionEnvironment env = JobRunner.environment(cfg, extra);
    new ForesightJob(ForesightJob.kafkaSources(cfg), ForesightJob.kafkaSinks(cfg), cfg).build(env);
    System.out.println(
        "Foresight job starting on a local MiniCluster, Kafka at "
            + cfg.job().get(JobOptions.BOOTSTRAP));
    env.execute("foresight");
    return 0;
  }
}
