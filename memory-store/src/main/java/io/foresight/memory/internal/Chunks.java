package io.foresight.memory.internal;

/**
 * The chunking of the index's per-id arrays: id {@code i} lives in chunk {@code i >>> SHIFT} at
 * slot {@code i & MASK}. Chunks of 4,096 ids grow the index without copying what is stored (only
 * the small array of chunk references is copied).
 */
final class Chunks {
  static final int SHIFT = 12;
  static final int SIZE = 1 << SHIFT;
  static final int MASK = SIZE - 1;

  private Chunks() {}
}
