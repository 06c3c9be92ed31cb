package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the index snapshot format and the graph construction with golden files written by the index
 * as it was before it was split into catalog, graph and snapshot (commit fb7f903): {@code
 * golden-v1.hnsw} is the snapshot of {@link #build()}, {@code golden-v1.answers} what that code
 * answered to {@link #queries()} on it, and again after building the rest of the graph on the
 * loaded snapshot. A format change must show up here as a deliberate act.
 *
 * <p>To rewrite the files (only for a deliberate format change): {@code mvn test -pl memory-store
 * -Dtest=VectorIndexGoldenTest -Dforesight.golden.write=true}.
 */
class VectorIndexGoldenTest {
  static final VectorIndex.Params PARAMS = new VectorIndex.Params(4, 12, 12, 40, 3);
  private static final String SNAPSHOT = "/vector-index/golden-v1.hnsw";
  private static final String ANSWERS = "/vector-index/golden-v1.answers";
  private static final String[] STREAMS = {"a", "b", "c"};

  /**
   * 161 ids in three streams, one replaced and two removed (three tombstones), 120 of them in the
   * graph and 41 pending.
   */
  static VectorIndex build() {
    float[][] data = VectorIndexTest.walks(160, 4, 14);
    VectorIndex ix = new VectorIndex("golden-sha", 4, PARAMS);
    for (int i = 0; i < data.length; i++) {
      ix.add(STREAMS[i % 3], i, i * 1000L + 7, data[i]);
    }
    ix.add("a", 3, 99_000, new float[] {1.5f, -2.25f, 0.5f, 3});
    ix.remove("b", 4);
    ix.remove("c", 8);
    ix.buildSome(120);
    return ix;
  }

  static List<float[]> queries() {
    Random r = new Random(15);
    List<float[]> out = new ArrayList<>();
    for (int q = 0; q < 12; q++) {
      float[] v = new float[4];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextGaussian() * 4;
      }
      out.add(v);
    }
    return out;
  }

  /** The index's counters and its answers to {@link #queries()}, one line each. */
  static String answers(VectorIndex ix) {
    StringBuilder b = new StringBuilder();
    b.append("live ").append(ix.live()).append('\n');
    b.append("size ").append(ix.size()).append('\n');
    b.append("indexed ").append(ix.indexed()).append('\n');
    b.append("pending ").append(ix.pending()).append('\n');
    b.append("tombstones ").append(ix.tombstones()).append('\n');
    b.append("liveByStream ").append(new java.util.TreeMap<>(ix.liveByStream())).append('\n');
    b.append("timeOf a/3 ").append(ix.timeOf("a", 3)).append('\n');
    b.append("timeOf b/4 ").append(ix.timeOf("b", 4)).append('\n');
    List<float[]> qs = queries();
    for (int i = 0; i < qs.size(); i++) {
      float[] q = qs.get(i);
      line(b, "approx " + i, ix.search(VectorIndex.Query.of(q, 5)));
      line(b, "ef40 " + i, ix.search(new VectorIndex.Query(q, 5, 40, false, null, null, 0)));
      line(b, "exact " + i, ix.search(new VectorIndex.Query(q, 5, 0, true, null, null, 0)));
      line(b, "stream-b " + i, ix.search(new VectorIndex.Query(q, 5, 0, false, "b", null, 0)));
      line(
          b,
          "exclude " + i,
          ix.search(new VectorIndex.Query(q, 5, 0, false, null, "a", 3L * (i + 1))));
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String name, VectorIndex.Result r) {
    b.append(name)
        .append(r.approximate() ? " approximate" : " exact")
        .append(" searched=")
        .append(r.searched())
        .append(" pending=")
        .append(r.pending());
    for (VectorIndex.Hit h : r.hits()) {
      b.append(' ')
          .append(h.stream())
          .append('/')
          .append(h.sequence())
          .append('/')
          .append(h.timeUs())
          .append('/')
          .append(Integer.toHexString(Float.floatToRawIntBits(h.distance())));
    }
    b.append('\n');
  }

  /** What {@link #answers} gives on the loaded snapshot, then after building the rest. */
  static String loadedAndBuilt(VectorIndex loaded) {
    String before = answers(loaded);
    while (loaded.buildSome(1000) > 0) {}
    return "# loaded\n" + before + "# built the rest\n" + answers(loaded);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = VectorIndexGoldenTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static Path goldenFile(Path dir) throws IOException {
    Path file = dir.resolve("golden-v1.hnsw");
    Files.write(file, resource(SNAPSHOT));
    return file;
  }

  @Test
  void shouldLoadTheGoldenSnapshotAndAnswerAsTheCodeThatWroteIt(@TempDir Path dir)
      throws IOException {
    VectorIndex loaded = VectorIndex.load(goldenFile(dir), PARAMS);
    assertThat(loaded.sha()).isEqualTo("golden-sha");
    assertThat(loaded.dim()).isEqualTo(4);
    assertThat(loadedAndBuilt(loaded))
        .isEqualTo(new String(resource(ANSWERS), StandardCharsets.UTF_8));
  }

  @Test
  void shouldWriteTheGoldenSnapshotAgainByteForByteAfterLoadingIt(@TempDir Path dir)
      throws IOException {
    VectorIndex loaded = VectorIndex.load(goldenFile(dir), PARAMS);
    Path again = dir.resolve("again.hnsw");
    loaded.save(again);
    assertThat(Files.readAllBytes(again)).isEqualTo(resource(SNAPSHOT));
  }

  @Test
  void shouldBuildTheSameGraphAsTheCodeThatWroteTheGoldenSnapshot(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("built.hnsw");
    build().save(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(resource(SNAPSHOT));
  }

  @Test
  @EnabledIfSystemProperty(named = "foresight.golden.write", matches = "true")
  void writeGoldenFiles() throws IOException {
    Path dir = Path.of("src/test/resources/vector-index");
    Files.createDirectories(dir);
    Path file = dir.resolve("golden-v1.hnsw");
    build().save(file);
    Files.writeString(
        dir.resolve("golden-v1.answers"), loadedAndBuilt(VectorIndex.load(file, PARAMS)));
  }
}
