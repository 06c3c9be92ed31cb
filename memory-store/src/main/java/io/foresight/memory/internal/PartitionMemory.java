package io.foresight.memory.internal;

import io.foresight.memory.MemoryException;
import io.foresight.memory.StoredLatent;
import io.foresight.memory.api.ModelId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory structures of one Kafka Streams task (one input partition): per model a {@link
 * VectorIndex}, per stream its {@link StreamStats}. They are derived from the task's timeline
 * store, which is the durable, changelog-backed truth: {@link #rebuild} recreates them when the
 * task starts, from the index snapshots in the task directory where they are still valid and from a
 * scan of the timeline for everything else.
 */
public final class PartitionMemory {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionMemory.class);
  static final String SNAPSHOT_SUFFIX = ".hnsw";

  private final String taskId;
  private final Path indexDir;
  private final VectorIndex.Params params;
  final ConcurrentHashMap<String, VectorIndex> indexes = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, StreamStats> streams = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, ModelId> models = new ConcurrentHashMap<>();
  private final Map<String, Long> savedAt = new HashMap<>();
  private final Object saveLock = new Object();
  private volatile boolean closed;
  volatile long lastSnapshotNanos = System.nanoTime();

  PartitionMemory(String taskId, Path indexDir, VectorIndex.Params params) {
    this.taskId = taskId;
    this.indexDir = indexDir;
    this.params = params;
  }

  public String taskId() {
    return taskId;
  }

  boolean isClosed() {
    return closed;
  }

  VectorIndex index(String sha) {
    return indexes.get(sha);
  }

  VectorIndex indexFor(ModelId model, int dim) {
    models.put(model.sha256(), model);
    return indexes.computeIfAbsent(model.sha256(), sha -> new VectorIndex(sha, dim, params));
  }

  StreamStats stats(String stream) {
    return streams.computeIfAbsent(stream, StreamStats::new);
  }

  /**
   * Builds the structures of a task from its timeline: loads the index snapshots found in {@code
   * indexDir}, then reconciles them with a full scan of the timeline (adding what the snapshot
   * lacks, removing what the timeline no longer holds) and recomputes the stream statistics.
   */
  static PartitionMemory rebuild(
      String taskId,
      Path indexDir,
      VectorIndex.Params params,
      ReadOnlyKeyValueStore<Bytes, byte[]> timeline) {
    long t0 = System.nanoTime();
    PartitionMemory p = new PartitionMemory(taskId, indexDir, params);
    Map<String, Path> snapshots = new HashMap<>();
    if (Files.isDirectory(indexDir)) {
      try (DirectoryStream<Path> files =
          Files.newDirectoryStream(indexDir, "*" + SNAPSHOT_SUFFIX)) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          snapshots.put(name.substring(0, name.length() - SNAPSHOT_SUFFIX.length()), f);
        }
      } catch (IOException e) {
        LOG.warn(
            "Cannot list index snapshots in {}; rebuilding from the timeline: {}",
            indexDir,
            e.toString());
      }
    }
    Set<String> reconciling = new HashSet<>();
    long entries = 0;
    int loaded = 0;
    try (KeyValueIterator<Bytes, byte[]> it = timeline.all()) {
      float[] v = new float[0];
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        StoredLatent s = ValueCodec.decodeLatent(kv.key.get(), kv.value);
        VectorIndex ix = p.indexes.get(s.model().sha256());
        if (ix == null) {
          Path snap = snapshots.get(s.model().sha256());
          if (snap != null) {
            try {
              ix = VectorIndex.load(snap, params);
              if (ix.dim() != s.latent().length) {
                throw new MemoryException("dimension " + ix.dim() + " != " + s.latent().length);
              }
              loaded++;
            } catch (MemoryException e) {
              LOG.warn(
                  "Index snapshot {} is unusable, rebuilding it from the timeline: {}",
                  snap,
                  e.getMessage());
              ix = null;
            }
          }
          if (ix == null) {
            ix = new VectorIndex(s.model().sha256(), s.latent().length, params);
          }
          p.indexes.put(s.model().sha256(), ix);
          ix.beginReconcile();
          reconciling.add(s.model().sha256());
        }
        p.models.put(s.model().sha256(), s.model());
        ix.reconcile(s.stream(), s.sequence(), s.timeUs(), s.latent());
        p.stats(s.stream()).onAdd(s.model(), s.shape(), s.sequence(), s.timeUs(), s.latent());
        entries++;
      }
    }
    int removed = 0;
    for (String sha : reconciling) {
      removed += p.indexes.get(sha).endReconcile();
      p.savedAt.put(sha, -1L);
    }
    for (Map.Entry<String, Path> e : snapshots.entrySet()) {
      if (!p.indexes.containsKey(e.getKey())) {
        try {
          Files.deleteIfExists(e.getValue());
        } catch (IOException ex) {
          LOG.warn("Cannot delete stale index snapshot {}: {}", e.getValue(), ex.toString());
        }
      }
    }
    LOG.info(
        "Task {}: memory rebuilt from {} timeline entries in {} ms ({} models, {} snapshots loaded, {} stale index entries dropped)",
        taskId,
        entries,
        (System.nanoTime() - t0) / 1_000_000,
        p.indexes.size(),
        loaded,
        removed);
    return p;
  }

  /** Writes the snapshot of every index that changed since its last one; returns how many. */
  int saveSnapshots() {
    synchronized (saveLock) {
      lastSnapshotNanos = System.nanoTime();
      int written = 0;
      for (VectorIndex ix : indexes.values()) {
        long mods = ix.modifications();
        if (savedAt.getOrDefault(ix.sha(), -1L) == mods) {
          continue;
        }
        try {
          ix.save(indexDir.resolve(ix.sha() + SNAPSHOT_SUFFIX));
          savedAt.put(ix.sha(), mods);
          written++;
        } catch (MemoryException e) {
          LOG.warn("Task {}: {}", taskId, e.getMessage());
        }
      }
      return written;
    }
  }

  /** Saves the snapshots and marks this partition closed. */
  void close(boolean saveSnapshots) {
    synchronized (saveLock) {
      if (closed) {
        return;
      }
      if (saveSnapshots) {
        saveSnapshots();
      }
      closed = true;
    }
  }
}
