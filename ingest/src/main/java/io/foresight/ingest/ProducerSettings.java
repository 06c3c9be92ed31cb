package io.foresight.ingest;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What every producer is given besides its input: where records go, where problems and progress
 * lines go, and how often progress is reported. Built by a {@link Builder} that producer builders
 * extend.
 */
public record ProducerSettings(
    RecordSink publisher, Consumer<String> log, long progressIntervalMs) {
  public ProducerSettings {
    Objects.requireNonNull(publisher, "publisher");
  }

  /** Starts one run of a producer with these settings; see {@link ProducerRun}. */
  public ProducerRun start(String source, double rate, String what) {
    return new ProducerRun(source, rate, what, publisher, log, progressIntervalMs);
  }

  /** Refuses a blank stream id with the flag that sets it. */
  public static String requireStreamId(String streamId) {
    if (streamId == null || streamId.isBlank()) {
      throw new IngestException("a stream id is required (--stream-id)");
    }
    return streamId;
  }

  /** Refuses a negative or infinite frame rate. */
  public static double requireFps(double fps) {
    if (!(fps >= 0) || Double.isInfinite(fps)) {
      throw new IngestException("fps must be >= 0 (0 = as fast as possible), got " + fps);
    }
    return fps;
  }

  /**
   * The settings part of a producer's builder.
   *
   * @param <B> the producer's builder, returned by the setters
   */
  public abstract static class Builder<B extends Builder<B>> {
    private RecordSink publisher;
    private Consumer<String> log;
    private long progressIntervalMs = 5000;

    protected Builder() {}

    /** Where records go (required). */
    public B publisher(RecordSink publisher) {
      this.publisher = publisher;
      return self();
    }

    /** Receives problems (one line per skipped input) and progress lines. */
    public B log(Consumer<String> log) {
      this.log = log;
      return self();
    }

    /** How often progress lines are written; 0 = never (default 5000). */
    public B progressIntervalMs(long progressIntervalMs) {
      this.progressIntervalMs = progressIntervalMs;
      return self();
    }

    /** The settings given so far; throws if the publisher is missing. */
    protected ProducerSettings settings() {
      return new ProducerSettings(publisher, log, progressIntervalMs);
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }
  }
}
