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

    @Override
    public Integer call() {
      List<String> created = TopicAdmin.createTopics(bootstrap, partitions, replicationFactor);
      for (String t : Topics.ALL) {
        System.out.println((created.contains(t) ? "created  " : "exists   ") + t);
      }
      return 0;
    }
  }
}
