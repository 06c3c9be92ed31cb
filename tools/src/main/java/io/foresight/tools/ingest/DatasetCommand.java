package io.foresight.tools.ingest;

import picocli.CommandLine.Command;

/** The {@code foresight dataset} command group: recording training data. */
@Command(
    name = "dataset",
    mixinStandardHelpOptions = true,
    description = "Record training data from the simulated Two-Rooms world.",
    subcommands = {DatasetRecordCommand.class})
public final class DatasetCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
