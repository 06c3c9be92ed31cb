package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class HnswGraphTest {

  private static HnswGraph line(int n) {
    HnswGraph g = new HnswGraph(2, 4, 16, 1);
    for (int i = 0; i < n; i++) {
      g.append(new float[] {i, 0}, 0);
    }
    return g;
  }

  private static int[] ids(Heap best) {
    int[] out = new int[best.size()];
    for (int i = out.length - 1; i >= 0; i--) {
      out[i] = best.peekId();
      best.pop();
    }
    return out;
  }

  @Test
  void shouldStoreVectorsAcrossChunksFromAnOffset() {
    HnswGraph g = new HnswGraph(3, 4, 16, 1);
    float[] row = {7, 7, 1, 2, 3};
    for (int i = 0; i < Chunks.SIZE + 2; i++) {
      assertThat(g.append(row, 2)).isEqualTo(i);
    }
    float[] out = new float[3];
    g.copy(Chunks.SIZE + 1, out);
    assertThat(out).containsExactly(1, 2, 3);
    assertThat(g.level(Chunks.SIZE + 1)).isEqualTo(-1);
    g.set(Chunks.SIZE + 1, new float[] {4, 5, 6});
    g.copy(Chunks.SIZE + 1, out);
    assertThat(out).containsExactly(4, 5, 6);
    assertThat(g.distance(new float[] {4, 5, 8}, 0, Chunks.SIZE + 1)).isEqualTo(4f);
  }

  @Test
  void shouldComputeSquaredEuclideanDistancesForAnyLength() {
    float[] a = {1, 2, 3, 4, 5, 6, 7};
    float[] b = {0, 0, 1, 2, 3, 4, 5, 6, 8};
    assertThat(HnswGraph.l2(a, 0, b, 1, 7)).isEqualTo(7f);
    assertThat(HnswGraph.l2(a, 0, b, 2, 7)).isEqualTo(1f);
    assertThat(HnswGraph.l2(a, 1, a, 1, 6)).isZero();
  }

  @Test
  void shouldScanExactlySkippingRemovedAndExcludedIds() {
    HnswGraph g = line(10);
    BitSet skip = new BitSet();
    skip.set(4);
    Heap best = new Heap(4);
    assertThat(g.scan(best, 3, new float[] {4.2f, 0}, 0, 10, skip, 5)).isEqualTo(8);
    assertThat(ids(best)).containsExactly(3, 6, 2);
  }

  @Test
  void shouldInsertEveryIdAndFindTheNearestThroughTheGraph() {
    HnswGraph g = line(500);
    for (int i = 0; i < 500; i++) {
      g.insertNext();
    }
    assertThat(g.indexed()).isEqualTo(500);
    assertThat(g.entry()).isBetween(0, 499);
    Heap best = new Heap(6);
    g.search(best, 5, new float[] {250.1f, 0}, 32, new BitSet(), -1);
    assertThat(ids(best)).containsExactly(250, 251, 249, 252, 248);
  }

  @Test
  void shouldNotReturnSkippedOrExcludedIdsFromTheGraph() {
    HnswGraph g = line(300);
    for (int i = 0; i < 300; i++) {
      g.insertNext();
    }
    BitSet skip = new BitSet();
    skip.set(100);
    skip.set(101);
    Heap best = new Heap(4);
    g.search(best, 3, new float[] {100.2f, 0}, 32, skip, 99);
    assertThat(ids(best)).containsExactly(102, 98, 103);
  }

  @Test
  void shouldKeepAtMostTwoMNeighboursOnLayerZero() {
    HnswGraph g = line(200);
    for (int i = 0; i < 200; i++) {
      g.insertNext();
    }
    for (int id = 0; id < 200; id++) {
      int[] arr = g.linkArray(id, 0);
      assertThat(arr[g.linkBase(id, 0)]).isBetween(1, 2 * g.m());
    }
  }
}
