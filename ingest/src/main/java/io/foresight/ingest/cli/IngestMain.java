package io.foresight.ingest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Standalone entry point for the ingest module's commands ({@code dataset}, {@code ingest}, {@code
 * robot}), for use before or without the {@code foresight} launcher.
 *
 * <pre>{@code
 * java -cp ... io.foresight.ingest.cli.IngestMain dataset record --episodes 10 --out /tmp/d
 * }</pre>
 */
@Command(
    name = "foresight-ingest",
    mixinStandardHelpOptions = true,
    description = "Foresight's producers, simulated robots and dataset recording.",
    subcommands = {DatasetCommand.class, IngestCommand.class, RobotCommand.class})
public final class IngestMain implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new IngestMain()).execute(args));
  }
}
