package io.foresight.memory.internal;

import static io.foresight.memory.internal.Chunks.MASK;
import static io.foresight.memory.internal.Chunks.SHIFT;
import static io.foresight.memory.internal.Chunks.SIZE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping of a {@link VectorIndex}: which stream, sequence and time every id holds, the
 * (stream, sequence) -> live id maps that make ingest idempotent, live counts per stream, and the
 * tombstones (removed ids, whose vectors and graph nodes stay until a compaction). Ids are handed
 * out in order, from 0.
 *
 * <p>Not thread-safe: guarded by the lock of the {@link VectorIndex} that owns it.
 */
final class VectorCatalog {
  private int[][] streamOf = new int[0][];
  private long[][] timeOf = new long[0][];
  private long[][] seqOf = new long[0][];
  private final BitSet deleted = new BitSet();
  private int size;
  private int live;

  private final List<String> streamNames = new ArrayList<>();
  private final Map<String, Integer> streamOrdinals = new HashMap<>();
  private final List<LongIntMap> sequences = new ArrayList<>();
  private final List<int[]> liveByStream = new ArrayList<>();

  /** Ids the timeline scan has confirmed, while reconciling; {@code null} otherwise. */
  private BitSet seen;

  /** Ids handed out so far, removed ones included. */
  int size() {
    return size;
  }

  /** Ids that are not removed. */
  int live() {
    return live;
  }

  /** The removed ids (tombstones): searches skip them. Read-only for the caller. */
  BitSet deleted() {
    return deleted;
  }

  boolean isDeleted(int id) {
    return deleted.get(id);
  }

  /** The ordinal of the stream of {@code id}. */
  int streamOrdinal(int id) {
    return streamOf[id >>> SHIFT][id & MASK];
  }

  String streamName(int ordinal) {
    return streamNames.get(ordinal);
  }

  List<String> streamNames() {
    return streamNames;
  }

  long sequence(int id) {
    return seqOf[id >>> SHIFT][id & MASK];
  }

  long timeUs(int id) {
    return timeOf[id >>> SHIFT][id & MASK];
  }

  /** The ordinal of {@code stream}, or {@code null} if no state of it was ever added. */
  Integer ordinalOf(String stream) {
    return streamOrdinals.get(stream);
  }

  /** The ordinal of {@code stream}, registering the stream if it is new. */
  int ordinal(String stream) {
    Integer ord = streamOrdinals.get(stream);
    if (ord == null) {
      ord = streamNames.size();
      streamNames.add(stream);
      streamOrdinals.put(stream, ord);
      sequences.add(new LongIntMap());
      liveByStream.add(new int[1]);
    }
    return ord;
  }

  /** The live id of (stream, sequence), or -1. */
  int find(String stream, long sequence) {
    Integer ord = streamOrdinals.get(stream);
    return ord == null ? -1 : sequences.get(ord).get(sequence);
  }

  /** Live ids per stream, streams without any left out. */
  Map<String, Integer> liveByStream() {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < streamNames.size(); i++) {
      if (liveByStream.get(i)[0] > 0) {
        out.put(streamNames.get(i), liveByStream.get(i)[0]);
      }
    }
    return out;
  }

  /**
   * Hands out the next id to the live state (stream, sequence); a live state with the same (stream,
   * sequence) becomes a tombstone. Returns the new id.
   */
  int add(String stream, long sequence, long timeUs) {
    int ord = ordinal(stream);
    int old = sequences.get(ord).get(sequence);
    if (old >= 0) {
      tombstone(old);
    }
    int id = append(ord, sequence, timeUs);
    sequences.get(ord).put(sequence, id);
    liveByStream.get(ord)[0]++;
    live++;
    if (seen != null) {
      seen.set(id);
    }
    return id;
  }

  /**
   * Hands out the next id to a state read from a snapshot, live or already removed; {@code ordinal}
   * must have been registered with {@link #ordinal}.
   */
  int restore(int ordinal, long sequence, long timeUs, boolean removed) {
    int id = append(ordinal, sequence, timeUs);
    if (removed) {
      deleted.set(id);
    } else {
      sequences.get(ordinal).put(sequence, id);
      liveByStream.get(ordinal)[0]++;
      live++;
    }
    return id;
  }

  /** Removes the live state (stream, sequence); returns whether there was one. */
  boolean remove(String stream, long sequence) {
    Integer ord = streamOrdinals.get(stream);
    if (ord == null) {
      return false;
    }
    int id = sequences.get(ord).remove(sequence);
    if (id < 0) {
      return false;
    }
    deleted.set(id);
    liveByStream.get(ord)[0]--;
    live--;
    return true;
  }

  /** Turns the live {@code id} into a tombstone. */
  private void tombstone(int id) {
    int ord = streamOrdinal(id);
    sequences.get(ord).remove(sequence(id));
    deleted.set(id);
    liveByStream.get(ord)[0]--;
    live--;
  }

  private int append(int ordinal, long sequence, long timeUs) {
    int id = size;
    int chunk = id >>> SHIFT;
    if (chunk == streamOf.length) {
      int n = chunk + 1;
      streamOf = Arrays.copyOf(streamOf, n);
      timeOf = Arrays.copyOf(timeOf, n);
      seqOf = Arrays.copyOf(seqOf, n);
      streamOf[chunk] = new int[SIZE];
      timeOf[chunk] = new long[SIZE];
      seqOf[chunk] = new long[SIZE];
    }
    streamOf[chunk][id & MASK] = ordinal;
    timeOf[chunk][id & MASK] = timeUs;
    seqOf[chunk][id & MASK] = sequence;
    size++;
    return id;
  }

  // ---------------------------------------------------------------- reconcile with the timeline

  /** Starts recording which ids the timeline holds; ids added from now on count as seen. */
  void beginReconcile() {
    seen = new BitSet(size);
  }

  /** Records that the timeline holds {@code id}. */
  void markSeen(int id) {
    seen.set(id);
  }

  /**
   * Turns every live id that was not seen into a tombstone and stops recording; returns how many.
   */
  int endReconcile() {
    int removed = 0;
    for (int id = 0; id < size; id++) {
      if (!deleted.get(id) && !seen.get(id)) {
        tombstone(id);
        removed++;
      }
    }
    seen = null;
    return removed;
  }
}
