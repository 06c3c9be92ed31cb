package io.foresight.tools.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.tools.dataset.internal.TopicExport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foresight dataset export}: a training dataset from the streams on Kafka. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Reads the frames, the executed actions (with their frame sequence) and the readings of the"
          + " chosen streams from Kafka and writes the dataset the model recipe trains from:"
          + " frames.npy [E,T,H,W,C], actions.npy [E,T,A], readings.npy [E,T,K] and manifest.json"
          + " (shapes, streams, time span, what was left out and why).",
      "An episode is T consecutive frames of one stream, each with its action; a missing frame"
          + " or action ends the run, and runs shorter than T are left out (counted)."
    })
public final class DatasetExportCommand implements Callable<Integer> {
  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(
      names = "--streams",
      defaultValue = ".*",
      description = "Stream ids to export (a regular expression). Default: ${DEFAULT-VALUE}.")
  String streams;

  @Option(
      names = "--from",
      description = "Earliest frame capture time (ISO-8601, e.g. 2026-12-01T10:00:00Z).")
  Instant from;

  @Option(names = "--to", description = "Latest frame capture time, exclusive (ISO-8601).")
  Instant to;

  @Option(names = "--out", required = true, description = "The dataset folder to write.")
  Path out;

  @Option(
      names = "--steps",
      defaultValue = "40",
      description = "Frames per episode (T). Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(
      names = "--reading-kind",
      defaultValue = "proprio",
      description = "The readings kind to align with the frames. Default: ${DEFAULT-VALUE}.")
  String readingKind;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    ExportManifest m =
        new TopicExport(
                new TopicExport.Request(
                    bootstrap,
                    Pattern.compile(streams),
                    from == null ? null : from.toEpochMilli(),
                    to == null ? null : to.toEpochMilli(),
                    out,
                    steps,
                    readingKind),
                System.err)
            .run();
    System.out.println(
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    System.err.printf(
        "wrote %,d episodes x %d steps (%,d transitions) to %s in %.1f s%n",
        m.episodes(),
        m.steps(),
        m.episodes() * (m.steps() - 1),
        out.toAbsolutePath(),
        (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
