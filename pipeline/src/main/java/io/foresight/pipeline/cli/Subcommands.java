package io.foresight.pipeline.cli;

import picocli.CommandLine;

/** Registers the subcommands that other modules provide, grouped under their parent commands. */
final class Subcommands {
  private Subcommands() {}

  static void register(CommandLine cl) {
    // Filled in as the modules' commands land (ingest, robot, dataset, eval, bench, job, demo).
  }
}
