package io.foresight.memory.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The memory store's own counters, exposed in Prometheus text format at {@code /metrics}. */
public final class MemoryMetrics {
  final LongAdder latentsStored = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder actionsStored = new LongAdder();
  final LongAdder signalsStored = new LongAdder();
  final LongAdder retentionDeleted = new LongAdder();
  final LongAdder indexInserted = new LongAdder();
  final LongAdder snapshotsWritten = new LongAdder();
  final LongAdder compactions = new LongAdder();
  final Map<String, LongAdder> deadLetters = new ConcurrentHashMap<>();
  final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  final Map<String, LongAdder> requestNanos = new ConcurrentHashMap<>();

  void deadLetter(String type) {
    deadLetters.computeIfAbsent(type, k -> new LongAdder()).increment();
  }

  /** Counts one HTTP request of {@code endpoint} answered with {@code status}. */
  public void request(String endpoint, int status, long nanos) {
    requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
    requestNanos.computeIfAbsent(endpoint, k -> new LongAdder()).add(nanos);
  }

  public long latentsStored() {
    return latentsStored.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  public long deadLetters() {
    return deadLetters.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long retentionDeleted() {
    return retentionDeleted.sum();
  }

  /** Appends the counters in Prometheus text exposition format. */
  public void appendPrometheus(StringBuilder out) {
    counter(out, "foresight_memory_latents_stored_total", "Latent states stored.", latentsStored);
    counter(
        out,
        "foresight_memory_duplicates_total",
        "Latents not stored again because their (stream, model, sequence) was already stored.",
        duplicates);
    counter(out, "foresight_memory_actions_stored_total", "Actions stored.", actionsStored);
    counter(
        out,
        "foresight_memory_signals_stored_total",
        "Surprise values (from predictions and surprise events) stored.",
        signalsStored);
    counter(
        out,
        "foresight_memory_retention_deleted_total",
        "States deleted by retention.",
        retentionDeleted);
    counter(
        out,
        "foresight_memory_index_inserted_total",
        "Latents inserted into the approximate (HNSW) index by the background builder.",
        indexInserted);
    counter(
        out,
        "foresight_memory_index_snapshots_total",
        "Index snapshots written.",
        snapshotsWritten);
    counter(
        out,
        "foresight_memory_index_compactions_total",
        "Indexes rebuilt without the states retention removed.",
        compactions);
    out.append(
        "# HELP foresight_memory_deadletters_total Records sent to the dead-letter topic.\n");
    out.append("# TYPE foresight_memory_deadletters_total counter\n");
    deadLetters.forEach(
        (type, n) ->
            out.append("foresight_memory_deadletters_total{reason=\"")
                .append(type)
                .append("\"} ")
                .append(n.sum())
                .append('\n'));
    out.append(
        "# HELP foresight_memory_http_requests_total HTTP requests by endpoint and status.\n");
    out.append("# TYPE foresight_memory_http_requests_total counter\n");
    requests.forEach(
        (k, n) -> {
          String[] p = k.split("\u0000");
          out.append("foresight_memory_http_requests_total{endpoint=\"")
              .append(p[0])
              .append("\",status=\"")
              .append(p[1])
              .append("\"} ")
              .append(n.sum())
              .append('\n');
        });
    out.append(
        "# HELP foresight_memory_http_request_seconds_total Time spent answering HTTP requests.\n");
    out.append("# TYPE foresight_memory_http_request_seconds_total counter\n");
    requestNanos.forEach(
        (k, n) ->
            out.append("foresight_memory_http_request_seconds_total{endpoint=\"")
                .append(k)
                .append("\"} ")
                .append(n.sum() / 1e9)
                .append('\n'));
  }

  private static void counter(StringBuilder out, String name, String help, LongAdder v) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(v.sum()).append('\n');
  }
}
