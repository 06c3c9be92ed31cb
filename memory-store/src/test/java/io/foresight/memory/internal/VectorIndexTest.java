package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.memory.MemoryException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorIndexTest {
  private static final VectorIndex.Params SMALL = new VectorIndex.Params(12, 80, 64, 1000, 1);

  /** Latents along random walks through a few clusters: like trajectories of a few robots. */
  static float[][] walks(int n, int dim, long seed) {
    Random r = new Random(seed);
    float[][] out = new float[n][dim];
    float[] cur = new float[dim];
    for (int i = 0; i < n; i++) {
      if (i % 500 == 0) {
        for (int j = 0; j < dim; j++) {
          cur[j] = (float) r.nextGaussian() * 4;
        }
      }
      for (int j = 0; j < dim; j++) {
        cur[j] += (float) r.nextGaussian() * 0.3f;
        out[i][j] = cur[j];
      }
    }
    return out;
  }

  @Test
  void shouldReachRecallAt10AbovePoint95AgainstExactSearch() {
    float[][] data = walks(12_000, 32, 5);
    VectorIndex ix = new VectorIndex("m", 32, SMALL);
    for (int i = 0; i < data.length; i++) {
      ix.add("s" + (i % 3), i, i, data[i]);
    }
    while (ix.buildSome(10_000) > 0) {}
    assertThat(ix.indexed()).isEqualTo(data.length);
    Random r = new Random(9);
    int found = 0;
    int total = 0;
    for (int q = 0; q < 200; q++) {
      float[] query = data[r.nextInt(data.length)].clone();
      for (int j = 0; j < query.length; j++) {
        query[j] += (float) r.nextGaussian() * 0.2f;
      }
      VectorIndex.Result approx = ix.search(VectorIndex.Query.of(query, 10));
      VectorIndex.Result exact =
          ix.search(new VectorIndex.Query(query, 10, 0, true, null, null, Long.MIN_VALUE));
      assertThat(approx.approximate()).isTrue();
      assertThat(exact.approximate()).isFalse();
      Set<Long> truth = new HashSet<>();
      exact.hits().forEach(h -> truth.add(h.sequence()));
      for (VectorIndex.Hit h : approx.hits()) {
        if (truth.contains(h.sequence())) {
          found++;
        }
      }
      total += 10;
    }
    assertThat(found / (double) total).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void shouldSearchExactlyBelowTheThresholdAndIncludeThePendingTail() {
    VectorIndex ix = new VectorIndex("m", 4, SMALL);
    ix.add("s", 1, 10, new float[] {0, 0, 0, 0});
    ix.add("s", 2, 20, new float[] {1, 0, 0, 0});
    ix.add("t", 1, 30, new float[] {5, 5, 5, 5});
    assertThat(ix.buildSome(100)).isZero();
    VectorIndex.Result r = ix.search(VectorIndex.Query.of(new float[] {0.9f, 0, 0, 0}, 2));
    assertThat(r.approximate()).isFalse();
    assertThat(r.hits()).extracting(VectorIndex.Hit::sequence).containsExactly(2L, 1L);
    assertThat(r.hits().get(0).distance())
        .isCloseTo(0.1f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(r.hits().get(0).stream()).isEqualTo("s");
    assertThat(r.hits().get(0).timeUs()).isEqualTo(20);
  }

  @Test
  void shouldNeverReturnRemovedOrExcludedStatesAndFilterByStream() {
    float[][] data = walks(3000, 8, 2);
    VectorIndex ix = new VectorIndex("m", 8, SMALL);
    for (int i = 0; i < data.length; i++) {
      ix.add(i % 2 == 0 ? "even" : "odd", i, i, data[i]);
    }
    while (ix.buildSome(1000) > 0) {}
    for (int i = 0; i < data.length; i += 3) {
      assertThat(ix.remove(i % 2 == 0 ? "even" : "odd", i)).isTrue();
    }
    assertThat(ix.remove("even", 0)).isFalse();
    for (int q = 0; q < 50; q++) {
      VectorIndex.Result r = ix.search(VectorIndex.Query.of(data[q * 7], 20));
      assertThat(r.hits()).allMatch(h -> h.sequence() % 3 != 0);
    }
    VectorIndex.Result self =
        ix.search(new VectorIndex.Query(data[10], 1, 0, false, null, "even", 10));
    assertThat(self.hits().get(0).sequence()).isNotEqualTo(10L);
    VectorIndex.Result odd =
        ix.search(new VectorIndex.Query(data[10], 5, 0, false, "odd", null, 0));
    assertThat(odd.hits()).allMatch(h -> h.stream().equals("odd"));
    assertThat(ix.live()).isEqualTo(2000);
  }

  @Test
  void shouldReplaceAStateAddedAgainWithTheSameSequence() {
    VectorIndex ix = new VectorIndex("m", 2, SMALL);
    ix.add("s", 1, 10, new float[] {0, 0});
    ix.add("s", 1, 11, new float[] {3, 3});
    assertThat(ix.live()).isEqualTo(1);
    assertThat(ix.timeOf("s", 1)).isEqualTo(11L);
    assertThat(ix.vectorOf("s", 1)).containsExactly(3, 3);
  }

  @Test
  void shouldRefuseLatentsOfAnotherSize() {
    VectorIndex ix = new VectorIndex("m", 2, SMALL);
    assertThatThrownBy(() -> ix.add("s", 1, 1, new float[3]))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("dimension 2");
    assertThatThrownBy(() -> ix.search(VectorIndex.Query.of(new float[3], 1)))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("2-value latents");
  }

  @Test
  void shouldSaveAndLoadASnapshotThatAnswersLikeTheOriginal(@TempDir Path dir) {
    float[][] data = walks(4000, 16, 4);
    VectorIndex ix = new VectorIndex("m", 16, SMALL);
    for (int i = 0; i < data.length; i++) {
      ix.add("s", i, i * 10L, data[i]);
    }
    while (ix.buildSome(1000) > 0) {}
    ix.remove("s", 5);
    Path file = dir.resolve("m.hnsw");
    ix.save(file);
    VectorIndex back = VectorIndex.load(file, SMALL);
    assertThat(back.live()).isEqualTo(ix.live());
    assertThat(back.indexed()).isEqualTo(ix.indexed());
    for (int q = 0; q < 20; q++) {
      List<VectorIndex.Hit> a = ix.search(VectorIndex.Query.of(data[q * 13], 10)).hits();
      List<VectorIndex.Hit> b = back.search(VectorIndex.Query.of(data[q * 13], 10)).hits();
      assertThat(b).isEqualTo(a);
    }
  }

  @Test
  void shouldReconcileASnapshotWithTheTimeline() {
    VectorIndex ix = new VectorIndex("m", 2, SMALL);
    ix.add("s", 1, 10, new float[] {1, 1});
    ix.add("s", 2, 20, new float[] {2, 2});
    ix.add("s", 3, 30, new float[] {3, 3});
    ix.beginReconcile();
    ix.reconcile("s", 1, 10, new float[] {1, 1});
    ix.reconcile("s", 3, 31, new float[] {9, 9});
    ix.reconcile("s", 4, 40, new float[] {4, 4});
    assertThat(ix.endReconcile()).isEqualTo(1);
    assertThat(ix.live()).isEqualTo(3);
    assertThat(ix.timeOf("s", 2)).isNull();
    assertThat(ix.timeOf("s", 3)).isEqualTo(31L);
    assertThat(ix.vectorOf("s", 4)).containsExactly(4, 4);
  }

  @Test
  void shouldRefuseATruncatedSnapshot(@TempDir Path dir) throws Exception {
    VectorIndex ix = new VectorIndex("m", 2, SMALL);
    ix.add("s", 1, 10, new float[] {1, 1});
    Path file = dir.resolve("m.hnsw");
    ix.save(file);
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    java.nio.file.Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> VectorIndex.load(file, SMALL))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("cannot read index snapshot");
  }

  @Test
  void shouldCompactAwayRemovedStatesWithoutLosingChangesMadeMeanwhile() {
    float[][] data = walks(3000, 8, 7);
    VectorIndex old = new VectorIndex("m", 8, SMALL);
    for (int i = 0; i < data.length; i++) {
      old.add("s", i, i, data[i]);
    }
    while (old.buildSome(1000) > 0) {}
    for (int i = 0; i < 2000; i++) {
      old.remove("s", i);
    }
    assertThat(old.tombstones()).isEqualTo(2000);
    VectorIndex fresh = old.beginCompaction();
    assertThat(old.beginCompaction()).isNull();
    old.add("s", 5000, 5000, data[0]);
    old.remove("s", 2500);
    while (fresh.buildSome(1000) > 0) {}
    old.endCompaction(fresh);
    assertThat(fresh.tombstones()).isEqualTo(1);
    assertThat(fresh.live()).isEqualTo(1000);
    assertThat(fresh.timeOf("s", 5000)).isEqualTo(5000L);
    assertThat(fresh.timeOf("s", 2500)).isNull();
    assertThat(old.timeOf("s", 2999)).isEqualTo(2999L);
    old.add("s", 6000, 6000, data[1]);
    assertThat(fresh.timeOf("s", 6000)).isEqualTo(6000L);
    VectorIndex.Result r = fresh.search(VectorIndex.Query.of(data[2700], 1));
    assertThat(r.hits().get(0).sequence()).isEqualTo(2700);
  }
}
