package io.foresight.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.planner.ToyModel;
import io.foresight.runtime.ModelVariants;
import io.foresight.sim.robot.GoalSpec;
import io.foresight.sim.robot.RobotFleet;
import io.foresight.tools.demo.EmbeddedStack;
import io.foresight.tools.models.ModelsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A deploy while the running job's checkpoints fail is refused with the reason, and the job keeps
 * running its model; once checkpoints complete again the same model deploys. Checkpoints are made
 * to fail by putting a file where the job's checkpoint directory was (the job tolerates the failed
 * checkpoints, and its restart strategy is {@code none}: a failure would end it).
 */
class ModelDeployRefusedIT {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run deploy(Path model, String bootstrap) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit =
          new CommandLine(new ModelsCommand())
              .execute("deploy", model.toString(), "--bootstrap", bootstrap, "--wait", "60s");
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void shouldRefuseADeployWhileCheckpointsFailAndAcceptItOnceTheyComplete() throws Exception {
    Path a = ToyModel.dir();
    Path b = ModelVariants.redocumented(a, dir.resolve("model-b"), "2-redoc", "toy, re-exported");
    Path checkpoints = dir.resolve("checkpoints");
    Configuration flink = new Configuration();
    flink.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 1_000_000);
    try (EmbeddedStack stack = new EmbeddedStack(dir.resolve("stack"))) {
      stack.startBroker();
      stack.startJob(
          Map.of(
              "encoder.model.dir", a.toString(),
              "planner.model.dir", a.toString(),
              "encoder.device", "cpu",
              "planner.device", "cpu",
              "job.checkpoint.dir", checkpoints.toString(),
              "job.checkpoint.interval", "500ms",
              "job.restart.strategy", "none"),
          flink);
      stack.awaitJobReady(Duration.ofSeconds(180));
      String bootstrap = stack.bootstrapServers();
      try (RobotFleet fleet =
          RobotFleet.builder()
              .bootstrapServers(bootstrap)
              .robots(1)
              .streamIdPrefix("refused")
              .fps(10)
              .seed(3)
              .goal(GoalSpec.RANDOM)
              .build()) {
        fleet.open();
        fleet.start(Duration.ofSeconds(120));
        Path jobDir = checkpoints.resolve(stack.job().getJobID().toString());
        awaitCompleted(jobDir);
        // A file where the job's checkpoints go: every checkpoint from now on fails.
        deleteRecursively(jobDir);
        Files.writeString(jobDir, "not a directory");
        // Long enough for an abort to reach every subtask, and for "none completed for three
        // intervals and 10 s" when an abort notification is skipped.
        Thread.sleep(12_000);

        Run refused = deploy(b, bootstrap);
        assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(3);
        assertThat(refused.err())
            .contains("was refused by the job")
            .containsAnyOf(
                "was aborted and none has completed since", "no checkpoint has completed")
            .contains("fix checkpointing")
            .contains("then deploy again");
        assertThat(stack.job().getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

        Files.delete(jobDir);
        awaitCompleted(jobDir);
        Run accepted = deploy(b, bootstrap);
        assertThat(accepted.exit()).as(accepted.out() + accepted.err()).isZero();
        assertThat(accepted.out()).contains("switched: latents of the new model appear");
        fleet.stop();
      }
      assertThat(stack.job().getJobStatus().get())
          .as("the job still runs (restart strategy none: a failure would have ended it)")
          .isEqualTo(JobStatus.RUNNING);
    }
  }

  /** Waits until the job's checkpoint directory holds a completed checkpoint. */
  private static void awaitCompleted(Path jobDir) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(jobDir)) {
        try (Stream<Path> chk = Files.list(jobDir)) {
          if (chk.anyMatch(p -> Files.exists(p.resolve("_metadata")))) {
            return;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no completed checkpoint in " + jobDir + " within 60 s");
  }

  private static void deleteRecursively(Path p) throws Exception {
    try (Stream<Path> all = Files.walk(p)) {
      all.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
