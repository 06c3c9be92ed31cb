package io.foresight.tools.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code foresight} command line: one subcommand per job. Started by the {@code ./foresight}
 * launcher at the repository root.
 *
 * <pre>{@code
 * ./foresight broker --port 9092 --dir run/kafka
 * ./foresight demo --duration 60
 * }</pre>
 */
@Command(
    name = "foresight",
    mixinStandardHelpOptions = true,
    version = "Foresight 0.1.0",
    description = "A streaming runtime for JEPA world models: perceive, remember, predict, plan.",
    subcommands = {
      BrokerCommand.class,
      TopicsCommand.class,
      MemoryCommand.class,
      JobCommand.class,
      io.foresight.tools.cluster.ClusterCommand.class,
      io.foresight.tools.audit.AuditCommand.class,
      io.foresight.tools.models.ModelsCommand.class,
      DemoCommand.class
    })
public final class ForesightCli implements Callable<Integer> {

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** The command line with every subcommand registered. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ForesightCli());
    Subcommands.register(cl);
    // The memory store's commands run in its own JVM with their arguments as given, in order
    // (options and values are not parsed here).
    cl.getSubcommands().get("memory").setUnmatchedOptionsArePositionalParams(true);
    cl.getSubcommands()
        .get("bench")
        .getSubcommands()
        .get("memory")
        .setUnmatchedOptionsArePositionalParams(true);
    return cl;
  }

  public static void main(String[] args) {
    int rc = commandLine().execute(args);
    System.exit(rc);
  }
}
