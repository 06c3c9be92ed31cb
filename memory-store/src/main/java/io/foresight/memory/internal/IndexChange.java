package io.foresight.memory.internal;

import java.util.List;

/**
 * A change made to a {@link VectorIndex} while it is being compacted: the compaction copies the
 * live states into a fresh index off the write lock, and then replays these changes on the copy
 * (see {@link #replay}) before the copy replaces the old index.
 */
sealed interface IndexChange permits IndexChange.Add, IndexChange.Remove {

  /** {@link VectorIndex#add}: the state (stream, sequence) was added or replaced. */
  record Add(String stream, long sequence, long timeUs, float[] vector) implements IndexChange {
    /** Keeps its own copy of {@code vector}: the caller may reuse its array. */
    public Add {
      vector = vector.clone();
    }
  }

  /** {@link VectorIndex#remove}: the state (stream, sequence) was removed, if it was there. */
  record Remove(String stream, long sequence) implements IndexChange {}

  /** Applies {@code log} to {@code target}, in order. */
  static void replay(List<IndexChange> log, VectorIndex target) {
    for (IndexChange change : log) {
      // A pattern-matching switch over the sealed type needs Java 21 (it is a preview in 17, the
      // project's release); the permits clause keeps this chain complete.
      if (change instanceof Add a) {
        target.add(a.stream(), a.sequence(), a.timeUs(), a.vector());
      } else if (change instanceof Remove r) {
        target.remove(r.stream(), r.sequence());
      } else {
        throw new IllegalStateException("unknown index change " + change);
      }
    }
  }
}
