package io.foresight.memory.internal;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The memory store's own counters. The stream threads count into {@link LongAdder}s (no lock, no
 * allocation per record); {@link #register} exposes them as Prometheus counters read at scrape
 * time, which {@code /metrics} writes with the Prometheus client's text format.
 */
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
  private final Map<List<String>, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> requestNanos = new ConcurrentHashMap<>();

  void deadLetter(String type) {
    deadLetters.computeIfAbsent(type, k -> new LongAdder()).increment();
  }

  /** Counts one HTTP request of {@code endpoint} answered with {@code status}. */
  public void request(String endpoint, int status, long nanos) {
    requests
        .computeIfAbsent(List.of(endpoint, Integer.toString(status)), k -> new LongAdder())
        .increment();
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

  /** Registers every counter with {@code registry} under its documented name. */
  public void register(PrometheusRegistry registry) {
    counter(
        registry, "foresight_memory_latents_stored_total", "Latent states stored.", latentsStored);
    counter(
        registry,
        "foresight_memory_duplicates_total",
        "Latents not stored again because their (stream, model, sequence) was already stored.",
        duplicates);
    counter(registry, "foresight_memory_actions_stored_total", "Actions stored.", actionsStored);
    counter(
        registry,
        "foresight_memory_signals_stored_total",
        "Surprise values (from predictions and surprise events) stored.",
        signalsStored);
    counter(
        registry,
        "foresight_memory_retention_deleted_total",
        "States deleted by retention.",
        retentionDeleted);
    counter(
        registry,
        "foresight_memory_index_inserted_total",
        "Latents inserted into the approximate (HNSW) index by the background builder.",
        indexInserted);
    counter(
        registry,
        "foresight_memory_index_snapshots_total",
        "Index snapshots written.",
        snapshotsWritten);
    counter(
        registry,
        "foresight_memory_index_compactions_total",
        "Indexes rebuilt without the states retention removed.",
        compactions);
    CounterWithCallback.builder()
        .name("foresight_memory_deadletters_total")
        .help("Records sent to the dead-letter topic.")
        .labelNames("reason")
        .callback(cb -> deadLetters.forEach((type, n) -> cb.call(n.sum(), type)))
        .register(registry);
    CounterWithCallback.builder()
        .name("foresight_memory_http_requests_total")
        .help("HTTP requests by endpoint and status.")
        .labelNames("endpoint", "status")
        .callback(cb -> requests.forEach((k, n) -> cb.call(n.sum(), k.get(0), k.get(1))))
        .register(registry);
    CounterWithCallback.builder()
        .name("foresight_memory_http_request_seconds_total")
        .help("Time spent answering HTTP requests.")
        .labelNames("endpoint")
        .callback(cb -> requestNanos.forEach((endpoint, n) -> cb.call(n.sum() / 1e9, endpoint)))
        .register(registry);
  }

  private static void counter(PrometheusRegistry registry, String name, String help, LongAdder v) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(v.sum()))
        .register(registry);
  }
}
