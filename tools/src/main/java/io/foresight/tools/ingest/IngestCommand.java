package io.foresight.tools.ingest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code foresight ingest} command group: producers that publish to Foresight's topics. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Publish camera frames and sensor readings to Foresight: simulated cameras, image folders,"
            + " raw frames on stdin (ffmpeg), sensor CSV files.",
    subcommands = {
      IngestSimCommand.class,
      IngestImagesCommand.class,
      IngestRawCommand.class,
      IngestReadingsCommand.class,
      IngestBenchCommand.class
    })
public final class IngestCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
