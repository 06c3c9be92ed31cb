package io.foresight.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Collects counts and problems of a producer run and builds the {@link IngestReport}. */
public final class ReportBuilder {
  private static final int MAX_PROBLEMS = 1000;
  private final String source;
  private final Consumer<String> problemSink;
  private final List<String> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final long start = System.nanoTime();
  private long records;
  private long bytes;
  private long skipped;
  private long ignored;

  public ReportBuilder(String source, Consumer<String> problemSink) {
    this.source = source;
    this.problemSink = problemSink;
  }

  public void sent(long valueBytes) {
    records++;
    bytes += valueBytes;
  }

  public long records() {
    return records;
  }

  /** One input could not be used: counted and reported. */
  public void skipped(String problem) {
    skipped++;
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(problem);
    }
    if (problemSink != null) {
      problemSink.accept(problem);
    }
  }

  public void ignored(String note) {
    ignored++;
    notes.add(note);
  }

  public void note(String note) {
    notes.add(note);
  }

  public IngestReport build(RecordSink publisher) {
    if (publisher != null) {
      publisher.flush();
    }
    return new IngestReport(
        source,
        records,
        bytes,
        skipped,
        problems,
        ignored,
        notes,
        (System.nanoTime() - start) / 1e9,
        publisher == null ? null : publisher.stats());
  }
}
