package io.foresight.tools.cli;

import io.foresight.broker.TopicAdmin;
import io.foresight.schemas.Topics;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foresight topics}: topic administration on any Kafka cluster. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Manages Foresight's topics on any Kafka cluster.",
    subcommands = TopicsCommand.Create.class)
public final class TopicsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    new picocli.CommandLine(this).usage(System.out);
    return 0;
  }

  /** {@code foresight topics create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Creates the missing topics (idempotent): " + "foresight.frames, ... .")
  static final class Create implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(
        names = "--partitions",
        defaultValue = "1",
        description = "Partitions per new topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(
        names = "--replication-factor",
        defaultValue = "-1",
        description = "Replication factor; -1 = min(3, brokers). Default: ${DEFAULT-VALUE}.")
    short replicationFactor;

    @Option(
        names = "--min-insync-replicas",
        defaultValue = "-1",
        description =
            "min.insync.replicas of the new topics; -1 = 2 with a replication factor of 3 or"
                + " more, else 1. Default: ${DEFAULT-VALUE}.")
    int minInsyncReplicas;

    @Option(
        names = "--wait",
        defaultValue = "0s",
        converter = DurationConverter.class,
        description =
            "Keep retrying this long while the cluster is unreachable or has too few brokers for"
                + " the replication factor (e.g. 120s when brokers start at the same time)."
                + " Default: ${DEFAULT-VALUE}.")
    java.time.Duration wait;

    @Override
    public Integer call() throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      List<String> created;
      while (true) {
        try {
          created =
              TopicAdmin.createTopics(bootstrap, partitions, replicationFactor, minInsyncReplicas);
          break;
        } catch (io.foresight.broker.BrokerException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          System.err.println("topics not created yet (" + e.getMessage() + "); retrying in 2 s");
          Thread.sleep(2000);
        }
      }
      for (String t : Topics.ALL) {
        System.out.println((created.contains(t) ? "created  " : "exists   ") + t);
      }
      return 0;
    }
  }
}
