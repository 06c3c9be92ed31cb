package io.foresight.memory.internal;

import io.foresight.memory.MemoryOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory side of this instance: the {@link PartitionMemory} of every task it runs, the
 * counters, and the background thread that inserts new latents into the HNSW graphs and writes
 * index snapshots, off the ingest path.
 */
public final class LocalMemory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMemory.class);

  /** An index is compacted once it holds more removed states than this and than live ones. */
  static final int COMPACT_MIN_TOMBSTONES = 10_000;

  private final VectorIndex.Params params;
  private final Duration snapshotInterval;
  private final MemoryMetrics metrics = new MemoryMetrics();
  private final ConcurrentHashMap<String, PartitionMemory> partitions = new ConcurrentHashMap<>();
  private volatile boolean running;
  private Thread builder;

  public LocalMemory(VectorIndex.Params params, Duration snapshotInterval) {
    this.params = params;
    this.snapshotInterval = snapshotInterval;
  }

  /**
   * A memory whose indexes take their parameters from {@code options} (with a fixed graph seed, so
   * that a replay builds the same graph), snapshotting every {@code snapshotInterval}.
   */
  public static LocalMemory of(MemoryOptions options, Duration snapshotInterval) {
    return new LocalMemory(
        new VectorIndex.Params(
            options.indexM(),
            options.indexEfConstruction(),
            options.indexEfSearch(),
            options.indexExactThreshold(),
            42),
        snapshotInterval);
  }

  public VectorIndex.Params params() {
    return params;
  }

  public MemoryMetrics metrics() {
    return metrics;
  }

  /** The partitions of the tasks this instance runs now. */
  public Collection<PartitionMemory> partitions() {
    return partitions.values();
  }

  void register(PartitionMemory p) {
    PartitionMemory old = partitions.put(p.taskId(), p);
    if (old != null && old != p) {
      old.close(false);
    }
  }

  void unregister(PartitionMemory p) {
    partitions.remove(p.taskId(), p);
  }

  /** Starts the background index builder. */
  public synchronized LocalMemory startBuilder() {
    if (builder == null) {
      running = true;
      builder = new Thread(this::buildLoop, "foresight-memory-index-builder");
      builder.setDaemon(true);
      builder.start();
    }
    return this;
  }

  /**
   * Inserts every pending latent of every partition into its graph, on the calling thread (tests
   * and benchmarks); returns how many were inserted.
   */
  public long buildAll() {
    long n = 0;
    for (PartitionMemory p : partitions.values()) {
      for (VectorIndex ix : p.indexes.values()) {
        int k;
        while ((k = ix.buildSome(4096)) > 0) {
          n += k;
          metrics.indexInserted.add(k);
        }
      }
    }
    return n;
  }

  private void buildLoop() {
    while (running) {
      long work = 0;
      try {
        for (PartitionMemory p : partitions.values()) {
          if (p.isClosed()) {
            continue;
          }
          for (VectorIndex ix : p.indexes.values()) {
            int n = ix.buildSome(256);
            work += n;
            metrics.indexInserted.add(n);
            if (n == 0 && ix.tombstones() > Math.max(COMPACT_MIN_TOMBSTONES, ix.live())) {
              compact(p, ix);
              work++;
            }
          }
          if (!snapshotInterval.isZero()
              && System.nanoTime() - p.lastSnapshotNanos > snapshotInterval.toNanos()) {
            metrics.snapshotsWritten.add(p.saveSnapshots());
          }
        }
        if (work == 0) {
          TimeUnit.MILLISECONDS.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("Index builder failed; retrying in 1 s", e);
        try {
          TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Rebuilds an index that holds more removed states than live ones (retention at work) without
   * them: the copy's graph is built on this thread while the old index keeps serving, then the
   * changes made meanwhile are replayed and the copy replaces it.
   */
  void compact(PartitionMemory p, VectorIndex ix) {
    long t0 = System.nanoTime();
    int tombstones = ix.tombstones();
    VectorIndex fresh = ix.beginCompaction();
    if (fresh == null) {
      return;
    }
    try {
      while (!stopped(p) && fresh.buildSome(1024) > 0) {
        // build the copy's graph
      }
      if (stopped(p)) {
        ix.abortCompaction();
        return;
      }
      ix.endCompaction(fresh);
      p.indexes.replace(ix.sha(), ix, fresh);
      metrics.compactions.increment();
      LOG.info(
          "Task {}: index of model {} compacted ({} removed states dropped, {} live) in {} ms",
          p.taskId(),
          ix.sha(),
          tombstones,
          fresh.live(),
          (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException e) {
      ix.abortCompaction();
      throw e;
    }
  }

  private static boolean stopped(PartitionMemory p) {
    return p.isClosed() || Thread.currentThread().isInterrupted();
  }

  @Override
  public synchronized void close() {
    running = false;
    if (builder != null) {
      builder.interrupt();
      try {
        builder.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      builder = null;
    }
  }
}
