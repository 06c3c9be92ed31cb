package io.foresight.memory.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deletes old states of one partition, by age and/or by count per (stream, model), in slices of at
 * most {@code slice} deletions per {@link #run} so that ingest (same thread) is never held up for
 * long. Each run resumes where the previous one stopped, cycling over the streams. Deleting a state
 * also deletes its surprise signals, and actions older than the oldest state left of a stream.
 */
final class Retention {
  private final PartitionMemory partition;
  private final KeyValueStore<Bytes, byte[]> timeline;
  private final KeyValueStore<Bytes, byte[]> actions;
  private final KeyValueStore<Bytes, byte[]> signals;
  private final long maxAgeUs;
  private final long maxCount;
  private final int slice;
  private final long matchWindowUs;
  private final MemoryMetrics metrics;
  private final Deque<String[]> queue = new ArrayDeque<>();

  Retention(
      PartitionMemory partition,
      KeyValueStore<Bytes, byte[]> timeline,
      KeyValueStore<Bytes, byte[]> actions,
      KeyValueStore<Bytes, byte[]> signals,
      long maxAgeUs,
      long maxCount,
      int slice,
      long matchWindowUs,
      MemoryMetrics metrics) {
    this.partition = partition;
    this.timeline = timeline;
    this.actions = actions;
    this.signals = signals;
    this.maxAgeUs = maxAgeUs;
    this.maxCount = maxCount;
    this.slice = slice;
    this.matchWindowUs = matchWindowUs;
    this.metrics = metrics;
  }

  boolean enabled() {
    return maxAgeUs > 0 || maxCount > 0;
  }

  /** One slice: deletes at most {@code slice} records; returns how many states it deleted. */
  int run(long nowUs) {
    if (!enabled()) {
      return 0;
    }
    if (queue.isEmpty()) {
      for (StreamStats s : partition.streams.values()) {
        for (String sha : s.shas()) {
          queue.add(new String[] {s.stream(), sha});
        }
        queue.add(new String[] {s.stream(), null});
      }
    }
    int budget = slice;
    int deleted = 0;
    int pairs = queue.size();
    while (budget > 0 && !queue.isEmpty() && pairs-- > 0) {
      String[] pair = queue.peek();
      int[] used = new int[1];
      boolean done =
          pair[1] == null
              ? trimActions(pair[0], nowUs, budget, used)
              : trim(pair[0], pair[1], nowUs, budget, used);
      if (pair[1] != null) {
        deleted += used[0];
      }
      budget -= used[0];
      if (done) {
        queue.poll();
      }
    }
    metrics.retentionDeleted.add(deleted);
    return deleted;
  }

  private boolean trim(String stream, String sha, long nowUs, int budget, int[] used) {
    StreamStats stats = partition.streams.get(stream);
    if (stats == null) {
      return true;
    }
    long excess = maxCount > 0 ? stats.count(sha) - maxCount : 0;
    long cutoff = maxAgeUs > 0 ? nowUs - maxAgeUs : Long.MIN_VALUE;
    byte[] prefix = KeyLayout.modelPrefix(stream, KeyLayout.sha(sha));
    VectorIndex index = partition.index(sha);
    long newFirst = Long.MAX_VALUE;
    boolean done = true;
    float[] v = index == null ? new float[0] : new float[index.dim()];
    try (KeyValueIterator<Bytes, byte[]> it =
        timeline.range(Bytes.wrap(prefix), Bytes.wrap(KeyLayout.prefixEnd(prefix)))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        byte[] key = kv.key.get();
        long time = KeyLayout.timelineTime(key);
        if (excess <= 0 && time >= cutoff) {
          newFirst = time;
          break;
        }
        if (used[0] >= budget) {
          done = false;
          newFirst = time;
          break;
        }
        long seq = KeyLayout.timelineSequence(key);
        if (v.length != ValueCodec.latentLength(kv.value)) {
          v = new float[ValueCodec.latentLength(kv.value)];
        }
        ValueCodec.readLatent(kv.value, v, 0);
        timeline.put(kv.key, null);
        Bytes sk = Bytes.wrap(KeyLayout.signal(stream, seq));
        if (signals.get(sk) != null) {
          signals.put(sk, null);
        }
        if (index != null) {
          index.remove(stream, seq);
        }
        stats.onRemove(sha, v, Long.MAX_VALUE);
        excess--;
        used[0]++;
      }
    }
    stats.setFirstTime(sha, newFirst);
    if (stats.isEmpty()) {
      partition.streams.remove(stream, stats);
    }
    return done;
  }

  private boolean trimActions(String stream, long nowUs, int budget, int[] used) {
    StreamStats stats = partition.streams.get(stream);
    long cutoff;
    if (stats != null && stats.summary() != null) {
      cutoff = stats.summary().firstTimeUs() - matchWindowUs;
    } else if (maxAgeUs > 0) {
      cutoff = nowUs - maxAgeUs;
    } else {
      return true;
    }
    byte[] from = KeyLayout.streamPrefix(stream);
    byte[] to = KeyLayout.actionFrom(stream, cutoff);
    try (KeyValueIterator<Bytes, byte[]> it = actions.range(Bytes.wrap(from), Bytes.wrap(to))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        if (java.util.Arrays.compareUnsigned(kv.key.get(), to) >= 0) {
          break;
        }
        if (used[0] >= budget) {
          return false;
        }
        actions.put(kv.key, null);
        used[0]++;
      }
    }
    return true;
  }
}
