package io.foresight.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.broker.TopicAdmin;
import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.tools.cli.ForesightCli;
import io.foresight.tools.cluster.internal.FlinkRest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foresight cluster} against a real Flink cluster's REST API (a MiniCluster with its REST
 * endpoint) and a real broker: submit, status, stop-with-savepoint, and a resubmission at another
 * parallelism that resumes from that savepoint.
 */
class ClusterCommandIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(2);

  @TempDir Path dir;

  @Test
  void shouldSubmitStopWithASavepointAndResumeFromItAtAnotherParallelism() throws Exception {
    TopicAdmin.createTopics(KAFKA.bootstrapServers(), 2);
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, 0);
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4)
                .build());
    cluster.start();
    try {
      String rest = cluster.getRestAddress().get().toString();
      FlinkRest flink = new FlinkRest(rest);
      Path checkpoints = dir.resolve("checkpoints");
      String[] job = {
        "--rest",
        rest,
        "--bootstrap",
        KAFKA.bootstrapServers(),
        "--checkpoint-dir",
        checkpoints.toString(),
        "--device",
        "cpu",
        "--set",
        "job.checkpoint.interval=500ms"
      };

      String first =
          cli(concat(new String[] {"cluster", "submit"}, job, "--set", "job.parallelism=1"));
      assertThat(first).contains("with no checkpoint to resume from");
      await(() -> checkpointed(flink), "a RUNNING job with a completed checkpoint");
      assertThat(cli("cluster", "status", "--rest", rest, "--json"))
          .contains("\"state\":\"RUNNING\"", "\"parallelism\":1");
      assertThat(cli(concat(new String[] {"cluster", "submit"}, job)))
          .as("a second job is refused")
          .doesNotContain("submitted job");

      String stopped = cli(concat(new String[] {"cluster", "stop"}, job));
      String savepoint = stopped.strip().lines().reduce((a, b) -> b).orElseThrow();
      assertThat(savepoint).contains("/savepoints/savepoint-");
      assertThat(Files.exists(Path.of(java.net.URI.create(savepoint)).resolve("_metadata")))
          .isTrue();
      await(() -> flink.active(ClusterCommand.JOB_NAME).isEmpty(), "the job stopped");
      assertThat(flink.newest(ClusterCommand.JOB_NAME).orElseThrow().state()).isEqualTo("FINISHED");

      String resumed =
          cli(concat(new String[] {"cluster", "submit"}, job, "--set", "job.parallelism=2"));
      assertThat(resumed).contains("resuming from").contains("savepoint-");
      await(() -> checkpointed(flink), "the resumed job RUNNING with a checkpoint");
      String id = flink.active(ClusterCommand.JOB_NAME).orElseThrow().id();
      assertThat(flink.parallelism(id)).isEqualTo(2);
      cluster.cancelJob(org.apache.flink.api.common.JobID.fromHexString(id)).get();
    } finally {
      cluster.close();
    }
  }

  private static boolean checkpointed(FlinkRest flink) {
    Optional<FlinkRest.Job> j = flink.active(ClusterCommand.JOB_NAME);
    return j.isPresent()
        && j.get().state().equals("RUNNING")
        && flink.latestCheckpoint(j.get().id()).isPresent();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static String[] concat(String[] a, String[] b, String... c) {
    String[] out = new String[a.length + b.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }

  /** Runs the command line and returns what it printed (stdout and stderr). */
  private static synchronized String cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      ForesightCli.commandLine().execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    out.print(text);
    return text;
  }
}
