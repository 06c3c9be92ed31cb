package io.foresight.memory.internal;

import java.util.Arrays;

/**
 * A binary min-heap of (distance, id) pairs without boxing; a max-heap is a min-heap of negated
 * distances. Used by the nearest-neighbour searches. Not thread-safe.
 */
final class Heap {
  private float[] d;
  private int[] ids;
  private int size;

  Heap(int capacity) {
    d = new float[Math.max(4, capacity)];
    ids = new int[d.length];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    size = 0;
  }

  float peekDistance() {
    return d[0];
  }

  int peekId() {
    return ids[0];
  }

  void push(float dist, int id) {
    if (size == d.length) {
      d = Arrays.copyOf(d, size * 2);
      ids = Arrays.copyOf(ids, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (d[p] <= dist) {
        break;
      }
      d[i] = d[p];
      ids[i] = ids[p];
      i = p;
    }
    d[i] = dist;
    ids[i] = id;
  }

  /** Removes the smallest entry; read it first with {@link #peekDistance()} / {@link #peekId()}. */
  void pop() {
    size--;
    if (size == 0) {
      return;
    }
    float x = d[size];
    int xi = ids[size];
    int i = 0;
    while (true) {
      int c = 2 * i + 1;
      if (c >= size) {
        break;
      }
      if (c + 1 < size && d[c + 1] < d[c]) {
        c++;
      }
      if (d[c] >= x) {
        break;
      }
      d[i] = d[c];
      ids[i] = ids[c];
      i = c;
    }
    d[i] = x;
    ids[i] = xi;
  }
}
