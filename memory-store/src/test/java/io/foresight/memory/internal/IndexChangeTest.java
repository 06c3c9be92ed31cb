package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IndexChangeTest {
  private static final VectorIndex.Params PARAMS = new VectorIndex.Params(4, 8, 8, 1000, 1);

  @Test
  void shouldReplayAddsAndRemovesInOrder() {
    VectorIndex target = new VectorIndex("m", 2, PARAMS);
    target.add("s", 1, 10, new float[] {1, 1});
    IndexChange.replay(
        List.of(
            new IndexChange.Add("s", 2, 20, new float[] {2, 2}),
            new IndexChange.Remove("s", 1),
            new IndexChange.Add("s", 2, 21, new float[] {3, 3}),
            new IndexChange.Remove("s", 9),
            new IndexChange.Add("t", 1, 30, new float[] {4, 4}),
            new IndexChange.Remove("t", 1),
            new IndexChange.Add("t", 1, 31, new float[] {5, 5})),
        target);
    assertThat(target.timeOf("s", 1)).isNull();
    assertThat(target.timeOf("s", 2)).isEqualTo(21L);
    assertThat(target.vectorOf("s", 2)).containsExactly(3, 3);
    assertThat(target.timeOf("t", 1)).isEqualTo(31L);
    assertThat(target.vectorOf("t", 1)).containsExactly(5, 5);
    assertThat(target.live()).isEqualTo(2);
    assertThat(target.tombstones()).isEqualTo(3);
  }

  @Test
  void shouldKeepItsOwnCopyOfTheVectorOfAnAdd() {
    float[] reused = {1, 2};
    IndexChange.Add add = new IndexChange.Add("s", 1, 10, reused);
    reused[0] = 99;
    assertThat(add.vector()).containsExactly(1, 2);
  }

  @Test
  void shouldLogTheChangesMadeDuringACompactionAndReplayThemOnTheCompactedIndex() {
    VectorIndex old = new VectorIndex("m", 2, PARAMS);
    old.add("s", 1, 10, new float[] {1, 1});
    old.add("s", 2, 20, new float[] {2, 2});
    old.remove("s", 2);
    VectorIndex fresh = old.beginCompaction();
    assertThat(fresh.live()).isEqualTo(1);
    assertThat(fresh.tombstones()).isZero();
    float[] reused = {3, 3};
    old.add("s", 3, 30, reused);
    reused[0] = -1;
    old.remove("s", 1);
    old.add("s", 1, 11, new float[] {4, 4});
    assertThat(fresh.timeOf("s", 3)).isNull();
    old.endCompaction(fresh);
    assertThat(fresh.vectorOf("s", 3)).containsExactly(3, 3);
    assertThat(fresh.timeOf("s", 1)).isEqualTo(11L);
    assertThat(fresh.live()).isEqualTo(2);
    assertThat(old.timeOf("s", 3)).isEqualTo(30L);
  }

  @Test
  void shouldLogNothingAfterACompactionWasAborted() {
    VectorIndex old = new VectorIndex("m", 2, PARAMS);
    old.add("s", 1, 10, new float[] {1, 1});
    VectorIndex fresh = old.beginCompaction();
    old.abortCompaction();
    old.add("s", 2, 20, new float[] {2, 2});
    assertThat(fresh.timeOf("s", 2)).isNull();
    VectorIndex again = old.beginCompaction();
    assertThat(again).isNotNull();
    assertThat(again.live()).isEqualTo(2);
  }
}
