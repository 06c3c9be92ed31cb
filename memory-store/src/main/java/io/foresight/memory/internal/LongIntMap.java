package io.foresight.memory.internal;

import java.util.Arrays;

/**
 * An open-addressing hash map from {@code long} to non-negative {@code int}, without boxing: the
 * sequence-number maps of the memory hold one entry per stored state. Not thread-safe.
 */
final class LongIntMap {
  private static final int EMPTY = -1;
  private long[] keys;
  private int[] values;
  private int size;
  private int mask;

  LongIntMap() {
    this(16);
  }

  LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    Arrays.fill(values, EMPTY);
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  /** The value of {@code key}, or -1 if absent. */
  int get(long key) {
    int i = slot(key);
    while (values[i] != EMPTY) {
      if (keys[i] == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return EMPTY;
  }

  /** Sets {@code key} to {@code value} (>= 0); returns the previous value or -1. */
  int put(long key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("values must be >= 0: " + value);
    }
    int i = slot(key);
    while (values[i] != EMPTY) {
      if (keys[i] == key) {
        int old = values[i];
        values[i] = value;
        return old;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
    return EMPTY;
  }

  /** Removes {@code key}; returns its value or -1 (backward-shift deletion, no tombstones). */
  int remove(long key) {
    int i = slot(key);
    while (values[i] != EMPTY) {
      if (keys[i] == key) {
        int old = values[i];
        shiftBack(i);
        size--;
        return old;
      }
      i = (i + 1) & mask;
    }
    return EMPTY;
  }

  private void shiftBack(int hole) {
    int i = hole;
    while (true) {
      i = (i + 1) & mask;
      if (values[i] == EMPTY) {
        break;
      }
      int home = slot(keys[i]);
      boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
      if (movable) {
        keys[hole] = keys[i];
        values[hole] = values[i];
        hole = i;
      }
    }
    values[hole] = EMPTY;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldValues.length * 2];
    Arrays.fill(values, EMPTY);
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
