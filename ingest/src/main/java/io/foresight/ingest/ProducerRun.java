package io.foresight.ingest;

import java.util.function.Consumer;

/**
 * One run of a producer: paces it, counts what it sends and skips, reports progress, and flushes
 * the sink into the {@link IngestReport} at the end, so that every producer (files, stdin, the
 * simulator) loops the same way.
 *
 * <pre>{@code
 * ProducerRun run = settings.start("frames/", fps, "frames");
 * for (...) {
 *   if (!run.awaitNext()) break;
 *   publisher.send(frame);
 *   run.sent(bytes.length);
 * }
 * return run.finish();
 * }</pre>
 */
public final class ProducerRun {
  private final RecordSink sink;
  private final ReportBuilder report;
  private final Pacer pacer;
  private final ProgressMeter progress;
  private final String what;

  /**
   * @param source the input's name for the report, e.g. a file or "stdin"
   * @param rate ticks per second; 0 = as fast as possible
   * @param what what is counted in progress lines, e.g. "frames"
   */
  public ProducerRun(
      String source,
      double rate,
      String what,
      RecordSink sink,
      Consumer<String> log,
      long progressIntervalMs) {
    this.sink = sink;
    this.report = new ReportBuilder(source, log);
    this.pacer = new Pacer(rate);
    this.progress = new ProgressMeter(log, progressIntervalMs, what);
    this.what = what;
  }

  /**
   * Waits until the next tick is due. Returns false, with a note in the report, if the thread was
   * interrupted: the caller stops.
   */
  public boolean awaitNext() {
    if (pacer.awaitNext()) {
      return true;
    }
    report.note("interrupted after " + report.records() + " " + what);
    return false;
  }

  /** One record was sent: counted, and progress reported when the interval has passed. */
  public void sent(long valueBytes) {
    report.sent(valueBytes);
    progress.update(report.records());
  }

  /** Records sent so far. */
  public long records() {
    return report.records();
  }

  /** One input could not be used: counted and reported. */
  public void skipped(String problem) {
    report.skipped(problem);
  }

  /** One input was not meant for this producer: counted and noted. */
  public void ignored(String note) {
    report.ignored(note);
  }

  public void note(String note) {
    report.note(note);
  }

  /** Flushes the sink and builds the report. */
  public IngestReport finish() {
    return report.build(sink);
  }
}
