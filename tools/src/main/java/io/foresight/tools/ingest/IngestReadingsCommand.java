package io.foresight.tools.ingest;

import io.foresight.ingest.CsvReadingsIngest;
import io.foresight.ingest.FramePublisher;
import io.foresight.ingest.IngestOptions;
import io.foresight.ingest.IngestReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code foresight ingest readings FILE.csv}: sensor readings from a CSV file. */
@Command(
    name = "readings",
    mixinStandardHelpOptions = true,
    description = {
      "Publish sensor readings from a CSV file: lines time,kind,value[,value...]; time in seconds"
          + " since the epoch (see --time-unit) or an ISO-8601 instant. An optional header line"
          + " names the values; # starts a comment.",
      "Malformed lines are reported with their line number and counted; the exit code is then 1."
    })
public final class IngestReadingsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PublishOptions kafka = new PublishOptions();

  @Parameters(index = "0", paramLabel = "FILE.csv", description = "The CSV file.")
  Path file;

  @Option(names = "--stream-id", required = true, description = "Stream id of the readings.")
  String streamId;

  @Option(
      names = "--time-unit",
      defaultValue = "s",
      description = "Unit of numeric times: s, ms or us. Default: ${DEFAULT-VALUE}.")
  String timeUnit;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Readings per second; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IngestOptions options = kafka.options();
    try (FramePublisher publisher = FramePublisher.create(options)) {
      IngestReport r =
          PublishOptions.reporting(
                  CsvReadingsIngest.builder()
                      .file(file)
                      .streamId(streamId)
                      .timeUnit(CsvReadingsIngest.TimeUnit.parse(timeUnit))
                      .rate(rate),
                  publisher,
                  err,
                  options)
              .build()
              .run();
      return Reports.finish(r, out, err);
    }
  }
}
