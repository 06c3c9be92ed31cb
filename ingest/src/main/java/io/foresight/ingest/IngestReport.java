package io.foresight.ingest;

import java.util.List;

/**
 * The outcome of a producer run: what was sent, what was skipped and why.
 *
 * @param source what was read, e.g. a folder, "stdin" or a CSV file
 * @param records records handed to Kafka
 * @param bytes value bytes of those records
 * @param skipped inputs that could not be read or were incomplete (files, frames, CSV lines); each
 *     is described in {@code problems}
 * @param problems one message per skipped input, saying which one (file name, line, byte offset)
 *     and why (at most the first 1,000)
 * @param ignored files left out on purpose (not images), named in {@code notes}
 * @param notes informational messages
 * @param seconds wall-clock duration
 * @param publisher the publisher's counters at the end (acknowledged and failed sends)
 */
public record IngestReport(
    String source,
    long records,
    long bytes,
    long skipped,
    List<String> problems,
    long ignored,
    List<String> notes,
    double seconds,
    PublisherStats publisher) {

  public IngestReport {
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }

  /** True when nothing was skipped and no send failed. */
  public boolean clean() {
    return skipped == 0 && (publisher == null || publisher.failed() == 0);
  }

  /** A one-paragraph summary for people. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "%s: sent %,d records (%.1f MB) in %.2f s (%.1f records/s)",
            source, records, bytes / 1e6, seconds, seconds > 0 ? records / seconds : 0));
    if (publisher != null) {
      s.append(
          String.format("; acknowledged %,d, failed %,d", publisher.acked(), publisher.failed()));
      if (publisher.firstError() != null) {
        s.append(" (first failure: ").append(publisher.firstError()).append(')');
      }
    }
    s.append(String.format("; skipped %,d", skipped));
    if (ignored > 0) {
      s.append(String.format("; ignored %,d", ignored));
    }
    return s.toString();
  }
}
