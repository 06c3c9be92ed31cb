package io.foresight.tools.cli;

import io.foresight.broker.EmbeddedKafkaBroker;
import io.foresight.broker.TopicAdmin;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foresight broker}: a real single-node Kafka broker (KRaft) with Foresight's topics. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a single-node Kafka broker (KRaft) on 127.0.0.1, creates Foresight's topics and runs"
          + " until Ctrl-C / SIGTERM.",
      "Restarting on the same --dir keeps the data and the address."
    })
public final class BrokerCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--dir",
      defaultValue = "run/kafka",
      description = "Data directory (log, cluster id). Default: ${DEFAULT-VALUE}.")
  Path dir;

  @Option(
      names = "--partitions",
      defaultValue = "1",
      description = "Partitions per topic when topics are created. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().port(port).dataDir(dir).build().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping the broker...");
                  broker.close();
                  stopped.countDown();
                },
                "broker-shutdown"));
    TopicAdmin.createTopics(broker.bootstrapServers(), partitions);
    System.out.println("Kafka broker ready: bootstrap " + broker.bootstrapServers());
    System.out.println("Data in " + dir.toAbsolutePath() + ". Ctrl-C stops it cleanly.");
    stopped.await();
    return 0;
  }
}
