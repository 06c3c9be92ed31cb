package io.foresight.tools.ingest;

import io.foresight.ingest.FramePublisher;
import io.foresight.ingest.IngestException;
import io.foresight.ingest.IngestOptions;
import io.foresight.ingest.IngestReport;
import io.foresight.ingest.PixelFormat;
import io.foresight.ingest.RawFrameIngest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code foresight ingest raw}: raw frames on stdin (e.g. from ffmpeg) as one camera stream. */
@Command(
    name = "raw",
    mixinStandardHelpOptions = true,
    description = {
      "Publish raw frames read back to back from stdin as frames of one stream, e.g.:",
      "  ffmpeg -i in.mp4 -vf scale=64:64 -f rawvideo -pix_fmt rgb24 - | foresight ingest raw"
          + " --width 64 --height 64 --pix-fmt rgb24 --stream-id cam-1",
      "A frame cut short at the end of the input is reported with its byte offset and counted;"
          + " the exit code is then 1."
    })
public final class IngestRawCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PublishOptions kafka = new PublishOptions();

  @Option(names = "--width", required = true, description = "Frame width in pixels.")
  int width;

  @Option(names = "--height", required = true, description = "Frame height in pixels.")
  int height;

  @Option(
      names = "--pix-fmt",
      defaultValue = "rgb24",
      description = "rgb24, bgr24 or gray (as ffmpeg names them). Default: ${DEFAULT-VALUE}.")
  String pixFmt;

  @Option(names = "--stream-id", required = true, description = "Stream id of the frames.")
  String streamId;

  @Option(
      names = "--fps",
      defaultValue = "0",
      description = "Frames per second; 0 = as fast as the input comes. Default: ${DEFAULT-VALUE}.")
  double fps;

  @Option(
      names = "--input",
      defaultValue = "-",
      description = "File to read instead of stdin ('-' = stdin). Default: ${DEFAULT-VALUE}.")
  String input;

  @Option(
      names = "--max-frames",
      defaultValue = "0",
      description = "Stop after this many frames; 0 = at the end of the input.")
  long maxFrames;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IngestOptions options = kafka.options();
    PixelFormat format;
    try {
      format = PixelFormat.parse(pixFmt);
    } catch (IllegalArgumentException e) {
      throw new IngestException(e.getMessage(), e);
    }
    boolean stdin = input.equals("-");
    try (InputStream in =
            stdin
                ? new BufferedInputStream(System.in, 1 << 20)
                : new BufferedInputStream(Files.newInputStream(Path.of(input)), 1 << 20);
        FramePublisher publisher = FramePublisher.create(options)) {
      IngestReport r =
          PublishOptions.reporting(
                  RawFrameIngest.builder()
                      .size(width, height)
                      .pixelFormat(format)
                      .streamId(streamId)
                      .fps(fps)
                      .maxFrames(maxFrames),
                  publisher,
                  err,
                  options)
              .build()
              .run(in, stdin ? "stdin" : input);
      return Reports.finish(r, out, err);
    }
  }
}
