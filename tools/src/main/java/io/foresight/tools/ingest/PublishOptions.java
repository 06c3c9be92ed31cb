package io.foresight.tools.ingest;

import io.foresight.ingest.IngestOptions;
import io.foresight.ingest.ProducerSettings;
import io.foresight.ingest.RecordSink;
import io.foresight.schemas.config.ConfigBuilder;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Kafka options shared by the producer and robot commands. Defaults come from the environment
 * ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code INGEST_COMPRESSION}, ...; see {@link IngestOptions}).
 */
public final class PublishOptions {
  @Option(
      names = "--bootstrap",
      description =
          "Kafka bootstrap servers. Default: $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.")
  String bootstrap;

  @Option(
      names = "--compression",
      description =
          "auto (lz4 for raw frames, none for JPEG/PNG), none, lz4, zstd, gzip or snappy."
              + " Default: $INGEST_COMPRESSION, else auto.")
  String compression;

  @Option(
      names = "--progress-interval-ms",
      description = "How often to print progress; 0 = never. Default: 5000.")
  Long progressIntervalMs;

  /** The module options: environment first, then these flags. */
  IngestOptions options() {
    ConfigBuilder<IngestOptions> b = IngestOptions.fromEnvironment(System.getenv()).toBuilder();
    if (bootstrap != null) {
      b.set(IngestOptions.BOOTSTRAP_SERVERS, bootstrap);
    }
    if (compression != null) {
      b.set(IngestOptions.COMPRESSION.key(), compression);
    }
    if (progressIntervalMs != null) {
      b.set(IngestOptions.PROGRESS_INTERVAL, Duration.ofMillis(progressIntervalMs));
    }
    return b.build();
  }

  /**
   * Sets where a producer run reports: {@code publisher}, progress and problems as lines on {@code
   * err} (flushed each), at the progress interval of {@code options}.
   */
  static <B extends ProducerSettings.Builder<B>> B reporting(
      B builder, RecordSink publisher, PrintWriter err, IngestOptions options) {
    return builder
        .publisher(publisher)
        .log(
            line -> {
              err.println(line);
              err.flush();
            })
        .progressIntervalMs(options.progressIntervalMs());
  }
}
