package io.foresight.tools.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.sim.robot.FleetReport;
import io.foresight.tools.cli.ForesightCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code foresight robot --stats-json} on a real broker: the statistics file is there, and complete
 * JSON, while the robots still run (a robot process killed mid-run keeps its figures), and holds
 * the whole run's figures at the end.
 */
class RobotCommandIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir Path dir;

  @Test
  void shouldRewriteTheStatisticsWhileRunningAndAtTheEnd() throws Exception {
    Path stats = dir.resolve("out/stats.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ForesightCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> rc =
        CompletableFuture.supplyAsync(
            () ->
                cl.execute(
                    "robot",
                    "--bootstrap",
                    KAFKA.bootstrapServers(),
                    "--stream-id",
                    "stats-robot",
                    "--robots",
                    "2",
                    "--duration",
                    "14",
                    "--stats-json",
                    stats.toString()));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
    while (!Files.exists(stats) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(rc).as("the robots still run").isNotDone();
    assertThat(stats).as("a snapshot of the statistics while running: " + err).exists();
    FleetReport during = FleetReport.read(stats);
    assertThat(during.framesPublished()).isPositive();

    assertThat(rc.get(60, TimeUnit.SECONDS)).as(out + "\n" + err).isZero();
    FleetReport end = FleetReport.read(stats);
    assertThat(end.framesPublished()).isGreaterThan(during.framesPublished());
    assertThat(err.toString()).contains("wrote " + stats.toAbsolutePath());
    try (Stream<Path> files = Files.list(stats.getParent())) {
      assertThat(files).as("no temporary file left").containsExactly(stats);
    }
  }
}
