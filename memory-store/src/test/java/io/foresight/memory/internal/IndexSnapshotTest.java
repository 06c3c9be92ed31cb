package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.memory.MemoryException;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexSnapshotTest {
  private static final VectorIndex.Params PARAMS = new VectorIndex.Params(6, 24, 16, 100, 5);

  private static VectorIndex sample() {
    float[][] data = VectorIndexTest.walks(Chunks.SIZE + 300, 3, 11);
    VectorIndex ix = new VectorIndex("sha-x", 3, PARAMS);
    for (int i = 0; i < data.length; i++) {
      ix.add(i % 4 == 0 ? "north" : "south", i, i * 3L, data[i]);
    }
    ix.add("north", 0, -5, new float[] {9, 9, 9});
    ix.remove("south", 1);
    ix.buildSome(Chunks.SIZE + 100);
    return ix;
  }

  @Test
  void shouldRoundTripEntriesTombstonesAndTheGraphAcrossChunks(@TempDir Path dir) {
    VectorIndex ix = sample();
    Path file = dir.resolve("sub").resolve("x.hnsw");
    ix.save(file);
    assertThat(Files.exists(file.resolveSibling("x.hnsw.tmp"))).isFalse();
    VectorIndex back = VectorIndex.load(file, PARAMS);
    assertThat(back.sha()).isEqualTo("sha-x");
    assertThat(back.dim()).isEqualTo(3);
    assertThat(back.size()).isEqualTo(ix.size());
    assertThat(back.live()).isEqualTo(ix.live());
    assertThat(back.tombstones()).isEqualTo(2);
    assertThat(back.indexed()).isEqualTo(ix.indexed());
    assertThat(back.pending()).isEqualTo(ix.pending());
    assertThat(back.liveByStream()).isEqualTo(ix.liveByStream());
    assertThat(back.timeOf("north", 0)).isEqualTo(-5L);
    assertThat(back.vectorOf("north", 0)).containsExactly(9, 9, 9);
    assertThat(back.timeOf("south", 1)).isNull();
    Path again = dir.resolve("again.hnsw");
    back.save(again);
    assertThat(again).hasSameBinaryContentAs(file);
    float[] q = {0.5f, -1, 2};
    assertThat(back.search(VectorIndex.Query.of(q, 7)))
        .isEqualTo(ix.search(VectorIndex.Query.of(q, 7)));
  }

  @Test
  void shouldRefuseASnapshotBuiltWithAnotherM(@TempDir Path dir) {
    Path file = dir.resolve("x.hnsw");
    sample().save(file);
    VectorIndex.Params other = new VectorIndex.Params(8, 24, 16, 100, 5);
    assertThatThrownBy(() -> VectorIndex.load(file, other))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("cannot read index snapshot " + file)
        .hasMessageContaining("built with M=6 but memory.index.m is 8");
  }

  @Test
  void shouldRefuseAFileOfAnotherFormat(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.hnsw");
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.writeInt(0x46535649);
      out.writeInt(2);
    }
    assertThatThrownBy(() -> VectorIndex.load(file, PARAMS))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("not an index snapshot of format 1");
  }

  @Test
  void shouldRefuseASnapshotWithoutItsEndMarker(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.hnsw");
    sample().save(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> VectorIndex.load(file, PARAMS))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("no end marker");
  }
}
