package io.foresight.memory.internal;

import static io.foresight.memory.TestLatents.SHA_A;
import static io.foresight.memory.TestLatents.key;
import static io.foresight.memory.TestLatents.latent;
import static io.foresight.memory.TestLatents.latentBytes;
import static io.foresight.memory.TestLatents.time;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionMemoryTest {
  private static final VectorIndex.Params PARAMS = new VectorIndex.Params(8, 40, 32, 50, 1);

  @Test
  void shouldRebuildFromTheTimelineAloneWhenThereIsNoSnapshot(@TempDir Path dir) {
    try (RocksKeyValueStore timeline =
        new RocksKeyValueStore("t").openAt(dir.resolve("db").toFile())) {
      PartitionMemory p = new PartitionMemory("0_0", dir.resolve("ix"), PARAMS);
      LatentIngestor in = new LatentIngestor(p, timeline, Map.of(), new MemoryMetrics());
      for (long s = 0; s < 120; s++) {
        in.ingest(key("r1"), latentBytes("r1", s));
      }
      PartitionMemory back = PartitionMemory.rebuild("0_0", dir.resolve("ix"), PARAMS, timeline);
      assertThat(back.stats("r1").count()).isEqualTo(120);
      assertThat(back.stats("r1").summary().lastTimeUs()).isEqualTo(time(119));
      assertThat(back.index(SHA_A).live()).isEqualTo(120);
      assertThat(back.index(SHA_A).timeOf("r1", 7)).isEqualTo(time(7));
      assertThat(back.stats("r1").summary().models().get(0).mean()[0])
          .isCloseTo(
              p.stats("r1").summary().models().get(0).mean()[0],
              org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void shouldReuseASnapshotAndReconcileItWithTheTimeline(@TempDir Path dir) throws Exception {
    Path ix = dir.resolve("ix");
    try (RocksKeyValueStore timeline =
        new RocksKeyValueStore("t").openAt(dir.resolve("db").toFile())) {
      PartitionMemory p = new PartitionMemory("0_0", ix, PARAMS);
      LatentIngestor in = new LatentIngestor(p, timeline, Map.of(), new MemoryMetrics());
      for (long s = 0; s < 200; s++) {
        in.ingest(key("r1"), latentBytes("r1", s));
      }
      while (p.index(SHA_A).buildSome(1000) > 0) {}
      p.close(true);
      assertThat(Files.exists(ix.resolve(SHA_A + PartitionMemory.SNAPSHOT_SUFFIX))).isTrue();
      // after the snapshot: one state more, one state less (as if the changelog had them)
      in.ingest(key("r1"), latentBytes("r1", 200));
      timeline.put(Bytes.wrap(KeyLayout.timeline("r1", KeyLayout.sha(SHA_A), time(3), 3)), null);

      PartitionMemory back = PartitionMemory.rebuild("0_0", ix, PARAMS, timeline);
      VectorIndex index = back.index(SHA_A);
      assertThat(index.live()).isEqualTo(200);
      assertThat(index.indexed()).isEqualTo(200);
      assertThat(index.pending()).isEqualTo(1);
      assertThat(index.timeOf("r1", 3)).isNull();
      assertThat(index.timeOf("r1", 200)).isEqualTo(time(200));
      VectorIndex.Result r = index.search(VectorIndex.Query.of(latent("r1", 150, 64), 1));
      assertThat(r.approximate()).isTrue();
      assertThat(r.hits().get(0).sequence()).isEqualTo(150);
      assertThat(
              index.search(VectorIndex.Query.of(latent("r1", 200, 64), 1)).hits().get(0).sequence())
          .isEqualTo(200);
    }
  }

  @Test
  void shouldDropTheSnapshotOfAModelTheTimelineNoLongerHolds(@TempDir Path dir) throws Exception {
    Path ix = dir.resolve("ix");
    Files.createDirectories(ix);
    Path stale = ix.resolve("cc".repeat(32) + PartitionMemory.SNAPSHOT_SUFFIX);
    Files.write(stale, new byte[] {1, 2, 3});
    try (RocksKeyValueStore timeline =
        new RocksKeyValueStore("t").openAt(dir.resolve("db").toFile())) {
      PartitionMemory.rebuild("0_0", ix, PARAMS, timeline);
    }
    assertThat(Files.exists(stale)).isFalse();
  }

  @Test
  void shouldReplaceACompactedIndexInThePartition(@TempDir Path dir) {
    try (RocksKeyValueStore timeline =
            new RocksKeyValueStore("t").openAt(dir.resolve("db").toFile());
        LocalMemory memory = new LocalMemory(PARAMS, java.time.Duration.ZERO)) {
      PartitionMemory p = new PartitionMemory("0_0", dir.resolve("ix"), PARAMS);
      memory.register(p);
      LatentIngestor in = new LatentIngestor(p, timeline, Map.of(), memory.metrics());
      for (long s = 0; s < 300; s++) {
        in.ingest(key("r1"), latentBytes("r1", s));
      }
      VectorIndex before = p.index(SHA_A);
      for (long s = 0; s < 200; s++) {
        before.remove("r1", s);
      }
      memory.compact(p, before);
      VectorIndex after = p.index(SHA_A);
      assertThat(after).isNotSameAs(before);
      assertThat(after.tombstones()).isZero();
      assertThat(after.live()).isEqualTo(100);
      in.ingest(key("r1"), latentBytes("r1", 300));
      assertThat(after.live()).isEqualTo(101);
      in.ingest(key("r1"), latentBytes("r1", 250));
      assertThat(memory.metrics().duplicates()).isEqualTo(1);
    }
  }
}
