package io.foresight.tools.cli;

import io.foresight.pipeline.ForesightJob;
import io.foresight.pipeline.JobConfig;
import io.foresight.pipeline.JobOptions;
import io.foresight.pipeline.JobRunner;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foresight job}: runs the Foresight job on a local Flink MiniCluster. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Foresight job (frames -> latents -> predictions, surprise, plans) on a local Flink"
          + " MiniCluster until stopped.",
      "With --checkpoint-dir it resumes from the newest checkpoint or savepoint there. On a real cluster,"
          + " submit pipeline/target/foresight-job.jar with 'flink run' instead (docs/operations.md)."
    })
public final class JobCommand implements Callable<Integer> {
  @Mixin JobConfigOptions options;

  @Option(
      names = "--no-resume",
      description = "Start fresh even if the checkpoint directory holds checkpoints.")
  boolean noResume;

  @Override
  public Integer call() throws Exception {
    JobConfig cfg = options.load();
    Configuration extra = new Configuration();
    Optional<Path> resume = noResume ? Optional.empty() : JobRunner.latestRestorePoint(cfg);
    resume.ifPresent(
        p -> {
          boolean savepoint = p.getFileName().toString().startsWith("savepoint-");
          System.out.println("Resuming from " + (savepoint ? "savepoint " : "checkpoint ") + p);
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
