package io.foresight.pipeline.cli;

import io.foresight.ingest.cli.DatasetCommand;
import io.foresight.ingest.cli.IngestCommand;
import io.foresight.ingest.cli.RobotCommand;
import picocli.CommandLine;

/** Registers the subcommands that other modules provide, grouped under their parent commands. */
final class Subcommands {
  private Subcommands() {}

  static void register(CommandLine cl) {
    cl.addSubcommand("ingest", new IngestCommand());
    cl.addSubcommand("robot", new RobotCommand());
    cl.addSubcommand("dataset", new DatasetCommand());
  }
}
