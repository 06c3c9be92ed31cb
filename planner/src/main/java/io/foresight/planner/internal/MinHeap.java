package io.foresight.planner.internal;

import java.util.Arrays;

/** A binary min-heap of (float key, int value) pairs without boxing, for Dijkstra. */
public final class MinHeap {
  private float[] keys = new float[64];
  private int[] values = new int[64];
  private int size;

  /** Whether the heap is empty. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** The smallest key (the heap must not be empty). */
  public float peekKey() {
    return keys[0];
  }

  /** Adds a pair. */
  public void add(float key, int value) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (keys[p] <= key) {
        break;
      }
      keys[i] = keys[p];
      values[i] = values[p];
      i = p;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Removes the pair with the smallest key and returns its value. */
  public int poll() {
    int top = values[0];
    size--;
    if (size > 0) {
      float key = keys[size];
      int value = values[size];
      int i = 0;
      while (true) {
        int c = 2 * i + 1;
        if (c >= size) {
          break;
        }
        if (c + 1 < size && keys[c + 1] < keys[c]) {
          c++;
        }
        if (keys[c] >= key) {
          break;
        }
        keys[i] = keys[c];
        values[i] = values[c];
        i = c;
      }
      keys[i] = key;
      values[i] = value;
    }
    return top;
  }
}
