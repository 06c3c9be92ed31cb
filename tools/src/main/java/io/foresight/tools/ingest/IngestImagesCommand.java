package io.foresight.tools.ingest;

import io.foresight.ingest.FramePublisher;
import io.foresight.ingest.ImageFolderIngest;
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

/** {@code foresight ingest images DIR}: the PNG/JPEG files of a folder as one camera stream. */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = {
      "Publish the PNG and JPEG files of a folder, in name order, as frames of one stream (the"
          + " file bytes, not re-encoded).",
      "Unreadable or corrupt files are reported with their name and counted; the exit code is 1"
          + " if any were skipped."
    })
public final class IngestImagesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PublishOptions kafka = new PublishOptions();

  @Parameters(index = "0", paramLabel = "DIR", description = "Folder of .png/.jpg/.jpeg files.")
  Path dir;

  @Option(names = "--stream-id", required = true, description = "Stream id of the frames.")
  String streamId;

  @Option(
      names = "--fps",
      defaultValue = "0",
      description = "Frames per second; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
  double fps;

  @Option(
      names = "--first-sequence",
      defaultValue = "0",
      description = "Sequence number of the first frame. Default: ${DEFAULT-VALUE}.")
  long firstSequence;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IngestOptions options = kafka.options();
    try (FramePublisher publisher = FramePublisher.create(options)) {
      IngestReport r =
          PublishOptions.reporting(
                  ImageFolderIngest.builder()
                      .dir(dir)
                      .streamId(streamId)
                      .fps(fps)
                      .firstSequence(firstSequence),
                  publisher,
                  err,
                  options)
              .build()
              .run();
      return Reports.finish(r, out, err);
    }
  }
}
