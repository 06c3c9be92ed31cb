package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VectorCatalogTest {

  @Test
  void shouldHandOutIdsInOrderAndFindTheLiveStateOfAStreamAndSequence() {
    VectorCatalog c = new VectorCatalog();
    assertThat(c.add("a", 7, 70)).isZero();
    assertThat(c.add("b", 7, 71)).isEqualTo(1);
    assertThat(c.add("a", 8, 80)).isEqualTo(2);
    assertThat(c.find("a", 7)).isZero();
    assertThat(c.find("b", 7)).isEqualTo(1);
    assertThat(c.find("a", 9)).isEqualTo(-1);
    assertThat(c.find("nope", 7)).isEqualTo(-1);
    assertThat(c.streamName(c.streamOrdinal(2))).isEqualTo("a");
    assertThat(c.sequence(2)).isEqualTo(8);
    assertThat(c.timeUs(2)).isEqualTo(80);
    assertThat(c.size()).isEqualTo(3);
    assertThat(c.live()).isEqualTo(3);
  }

  @Test
  void shouldTurnTheOldIdIntoATombstoneWhenTheSameStateIsAddedAgain() {
    VectorCatalog c = new VectorCatalog();
    int first = c.add("a", 1, 10);
    int second = c.add("a", 1, 11);
    assertThat(second).isNotEqualTo(first);
    assertThat(c.find("a", 1)).isEqualTo(second);
    assertThat(c.isDeleted(first)).isTrue();
    assertThat(c.isDeleted(second)).isFalse();
    assertThat(c.size()).isEqualTo(2);
    assertThat(c.live()).isEqualTo(1);
    assertThat(c.liveByStream()).isEqualTo(Map.of("a", 1));
  }

  @Test
  void shouldRemoveOnlyALiveStateAndDropEmptyStreamsFromTheLiveCounts() {
    VectorCatalog c = new VectorCatalog();
    c.add("a", 1, 10);
    int b = c.add("b", 1, 10);
    assertThat(c.remove("b", 1)).isTrue();
    assertThat(c.remove("b", 1)).isFalse();
    assertThat(c.remove("b", 2)).isFalse();
    assertThat(c.remove("never", 1)).isFalse();
    assertThat(c.isDeleted(b)).isTrue();
    assertThat(c.find("b", 1)).isEqualTo(-1);
    assertThat(c.live()).isEqualTo(1);
    assertThat(c.size()).isEqualTo(2);
    assertThat(c.liveByStream()).isEqualTo(Map.of("a", 1));
  }

  @Test
  void shouldKeepTheStreamOrdinalsInTheOrderTheStreamsWereFirstSeen() {
    VectorCatalog c = new VectorCatalog();
    c.add("z", 1, 1);
    c.add("a", 1, 1);
    c.add("z", 2, 1);
    assertThat(c.streamNames()).containsExactly("z", "a");
    assertThat(c.ordinalOf("a")).isEqualTo(1);
    assertThat(c.ordinalOf("m")).isNull();
    assertThat(c.ordinal("m")).isEqualTo(2);
  }

  @Test
  void shouldRestoreLiveAndRemovedStatesFromASnapshot() {
    VectorCatalog c = new VectorCatalog();
    int ord = c.ordinal("s");
    c.restore(ord, 1, 10, false);
    c.restore(ord, 1, 5, true);
    c.restore(ord, 2, 20, false);
    assertThat(c.size()).isEqualTo(3);
    assertThat(c.live()).isEqualTo(2);
    assertThat(c.find("s", 1)).isZero();
    assertThat(c.isDeleted(1)).isTrue();
    assertThat(c.liveByStream()).isEqualTo(Map.of("s", 2));
  }

  @Test
  void shouldTombstoneTheStatesThatTheReconcileDidNotSee() {
    VectorCatalog c = new VectorCatalog();
    c.add("s", 1, 10);
    c.add("s", 2, 20);
    c.add("s", 3, 30);
    c.beginReconcile();
    c.markSeen(c.find("s", 1));
    int added = c.add("s", 4, 40);
    assertThat(c.endReconcile()).isEqualTo(2);
    assertThat(c.find("s", 1)).isZero();
    assertThat(c.find("s", 4)).isEqualTo(added);
    assertThat(c.find("s", 2)).isEqualTo(-1);
    assertThat(c.find("s", 3)).isEqualTo(-1);
    assertThat(c.live()).isEqualTo(2);
  }

  @Test
  void shouldGrowPastOneChunkOfIds() {
    VectorCatalog c = new VectorCatalog();
    int n = Chunks.SIZE * 2 + 5;
    for (int i = 0; i < n; i++) {
      assertThat(c.add("s" + (i % 3), i, i * 10L)).isEqualTo(i);
    }
    for (int i = 0; i < n; i += 997) {
      assertThat(c.find("s" + (i % 3), i)).isEqualTo(i);
      assertThat(c.sequence(i)).isEqualTo(i);
      assertThat(c.timeUs(i)).isEqualTo(i * 10L);
      assertThat(c.streamName(c.streamOrdinal(i))).isEqualTo("s" + (i % 3));
    }
    assertThat(c.live()).isEqualTo(n);
  }
}
