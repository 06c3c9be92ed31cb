package io.foresight.memory.internal;

import io.foresight.memory.MemoryException;
import io.foresight.memory.api.Reading;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.AlignedReading;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelRef;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The memory benchmark: raw RocksDB puts of the timeline's keys and values against the memory's own
 * ingest path (decode, validate, deduplicate, timeline write, index and statistics update) in one
 * run, then nearest-neighbour latency and recall@10 of the HNSW index against exact search.
 */
public final class MemoryBench {
  /** What to run. */
  public record Config(
      Path dir,
      int ingest,
      int repeats,
      int dim,
      List<Integer> sizes,
      List<String> datasets,
      int queries,
      int k,
      List<Integer> efs,
      int m,
      int efConstruction,
      PrintStream log) {}

  private static final String SHA =
      "4d656d6f727942656e63686d61726b4d656d6f727942656e63686d61726b2121";
  private static final ModelRef MODEL = new ModelRef("bench", "1", SHA);

  private final Config c;

  public MemoryBench(Config config) {
    this.c = config;
  }

  /** Runs everything and returns the results (for JSON). */
  public Map<String, Object> run() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
    machine.put("java", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.put(
        "loadAverageAtStart",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    out.put("machine", machine);
    if (c.ingest() > 0) {
      out.put("ingest", ingest());
    }
    List<Object> knn = new ArrayList<>();
    for (String data : c.datasets()) {
      for (int n : c.sizes()) {
        knn.add(knn(n, data));
      }
    }
    out.put("knn", knn);
    return out;
  }

  // ------------------------------------------------------------------------------- ingest

  private Map<String, Object> ingest() {
    int n = c.ingest();
    c.log().printf("ingest: preparing %d latents of %d floats (4 streams)%n", n, c.dim());
    String[] streams = {"robot-0", "robot-1", "robot-2", "robot-3"};
    AvroCodec<LatentState> codec = AvroCodec.of(LatentState.class);
    byte[][] records = new byte[n][];
    byte[][] recordKeys = new byte[n][];
    byte[][] keys = new byte[n][];
    byte[][] values = new byte[n][];
    float[][] walk = latents(n, c.dim(), "walk", 11);
    byte[] sha = KeyLayout.sha(SHA);
    for (int i = 0; i < n; i++) {
      String stream = streams[i % streams.length];
      long seq = i / streams.length;
      long time = 1_700_000_000_000_000L + seq * 33_333;
      List<AlignedReading> readings =
          List.of(new AlignedReading("proprio", time - 100, List.of(0.25 * seq, 0.5)));
      LatentState s =
          new LatentState(stream, seq, time, MODEL, Tensors.tensor(walk[i], 1, c.dim()), readings);
      records[i] = codec.encode(s);
      recordKeys[i] = stream.getBytes(StandardCharsets.UTF_8);
      keys[i] = KeyLayout.timeline(stream, sha, time, seq);
      values[i] =
          ValueCodec.encodeLatent(
              "bench",
              "1",
              new int[] {1, c.dim()},
              walk[i],
              List.of(new Reading("proprio", time - 100, new double[] {0.25 * seq, 0.5})));
    }
    walk = null;
    // warm-up (JIT) of both paths, not counted
    int warm = Math.min(n, 50_000);
    rawPuts(Arrays.copyOf(keys, warm), Arrays.copyOf(values, warm), -1, 1);
    memoryIngest(Arrays.copyOf(recordKeys, warm), Arrays.copyOf(records, warm), -1);
    List<Double> raw = new ArrayList<>();
    List<Double> batched = new ArrayList<>();
    List<Double> memory = new ArrayList<>();
    for (int r = 0; r < c.repeats(); r++) {
      raw.add(rawPuts(keys, values, r, 1));
      memory.add(memoryIngest(recordKeys, records, r));
      batched.add(rawPuts(keys, values, r, RocksKeyValueStore.BATCH));
      c.log()
          .printf(
              "ingest run %d: raw puts %.0f/s, memory %.0f/s, raw batches of %d %.0f/s%n",
              r + 1, raw.get(r), memory.get(r), RocksKeyValueStore.BATCH, batched.get(r));
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("latents", n);
    o.put("dim", c.dim());
    o.put("recordBytes", records[0].length);
    o.put("timelineValueBytes", values[0].length);
    o.put("rawPutsPerSecond", median(raw));
    o.put("memoryIngestPerSecond", median(memory));
    o.put("ratio", median(memory) / median(raw));
    o.put("rawBatchedPerSecond", median(batched));
    o.put("ratioToBatched", median(memory) / median(batched));
    o.put("rawRuns", raw);
    o.put("memoryRuns", memory);
    o.put("rawBatchedRuns", batched);
    o.put(
        "note",
        "same keys and values, same RocksDB settings (WAL off, as Kafka Streams stores); raw ="
            + " one db.put per latent; raw batched = WriteBatch of "
            + RocksKeyValueStore.BATCH
            + " as the memory's store writes; memory = Avro decode + validation + dedupe +"
            + " timeline put + index append + stats; no Kafka (no changelog sends, no"
            + " consumer), HNSW builder not running");
    c.log()
        .printf(
            "ingest median: raw %.0f/s, memory %.0f/s, ratio %.2f%n",
            median(raw), median(memory), median(memory) / median(raw));
    return o;
  }

  private double rawPuts(byte[][] keys, byte[][] values, int run, int batch) {
    Path dir = c.dir().resolve("raw-" + batch + "-" + run);
    try (RocksKeyValueStore.Settings s = RocksKeyValueStore.Settings.defaults();
        RocksDB db = RocksDB.open(s.options(), mkdirs(dir).toString());
        WriteBatch b = new WriteBatch()) {
      long t0 = System.nanoTime();
      if (batch <= 1) {
        for (int i = 0; i < keys.length; i++) {
          db.put(s.writeOptions(), keys[i], values[i]);
        }
      } else {
        for (int i = 0; i < keys.length; i++) {
          b.put(keys[i], values[i]);
          if (b.count() >= batch) {
            db.write(s.writeOptions(), b);
            b.clear();
          }
        }
        db.write(s.writeOptions(), b);
      }
      long t1 = System.nanoTime();
      return keys.length / ((t1 - t0) / 1e9);
    } catch (RocksDBException e) {
      throw new MemoryException("raw RocksDB benchmark failed in " + dir + ": " + e, e);
    } finally {
      delete(dir);
    }
  }

  private double memoryIngest(byte[][] recordKeys, byte[][] records, int run) {
    Path dir = c.dir().resolve("memory-" + run);
    try (RocksKeyValueStore timeline =
        new RocksKeyValueStore("memory-timeline").openAt(mkdirs(dir).toFile())) {
      PartitionMemory p =
          new PartitionMemory(
              "0_0",
              dir.resolve("index"),
              new VectorIndex.Params(c.m(), c.efConstruction(), 64, Integer.MAX_VALUE, 42));
      LatentIngestor in = new LatentIngestor(p, timeline, Map.of(), new MemoryMetrics());
      long t0 = System.nanoTime();
      for (int i = 0; i < records.length; i++) {
        in.ingest(recordKeys[i], records[i]);
      }
      timeline.approximateNumEntries(); // writes the last batch
      long t1 = System.nanoTime();
      if (p.index(SHA).live() != records.length) {
        throw new MemoryException("memory stored " + p.index(SHA).live() + " of " + records.length);
      }
      return records.length / ((t1 - t0) / 1e9);
    } finally {
      delete(dir);
    }
  }

  // ------------------------------------------------------------------------------- k-NN

  private Map<String, Object> knn(int n, String data) {
    c.log().printf("knn: %d latents of %d floats (%s data)%n", n, c.dim(), data);
    float[][] base = latents(n, c.dim(), data, 1);
    float[][] queries = latents(c.queries(), c.dim(), data, 2);
    VectorIndex ix =
        new VectorIndex(SHA, c.dim(), new VectorIndex.Params(c.m(), c.efConstruction(), 64, 0, 42));
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      ix.add("robot-" + (i % 8), i, i, base[i]);
    }
    long t1 = System.nanoTime();
    base = null;
    long lastLog = System.nanoTime();
    while (ix.buildSome(10_000) > 0) {
      if (System.nanoTime() - lastLog > 30e9) {
        c.log().printf("  built %d / %d%n", ix.indexed(), n);
        lastLog = System.nanoTime();
      }
    }
    long t2 = System.nanoTime();
    double buildSeconds = (t2 - t1) / 1e9;
    c.log().printf("  HNSW build: %.1f s (%.0f inserts/s)%n", buildSeconds, n / buildSeconds);

    // warm-up, then the exact truth
    for (int i = 0; i < Math.min(200, queries.length); i++) {
      ix.search(new VectorIndex.Query(queries[i], c.k(), 64, false, null, null, Long.MIN_VALUE));
    }
    List<Set<Long>> truth = new ArrayList<>();
    double[] exactMs = new double[queries.length];
    for (int i = 0; i < queries.length; i++) {
      long a = System.nanoTime();
      VectorIndex.Result r =
          ix.search(new VectorIndex.Query(queries[i], c.k(), 0, true, null, null, Long.MIN_VALUE));
      exactMs[i] = (System.nanoTime() - a) / 1e6;
      Set<Long> s = new HashSet<>();
      r.hits().forEach(h -> s.add(h.sequence()));
      truth.add(s);
    }
    List<Object> results = new ArrayList<>();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int ef : c.efs()) {
      double[] ms = new double[queries.length];
      double[] cpuMs = new double[queries.length];
      long found = 0;
      for (int i = 0; i < queries.length; i++) {
        long cpu = threads.getCurrentThreadCpuTime();
        long a = System.nanoTime();
        VectorIndex.Result r =
            ix.search(
                new VectorIndex.Query(queries[i], c.k(), ef, false, null, null, Long.MIN_VALUE));
        ms[i] = (System.nanoTime() - a) / 1e6;
        cpuMs[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
        for (VectorIndex.Hit h : r.hits()) {
          if (truth.get(i).contains(h.sequence())) {
            found++;
          }
        }
      }
      double recall = found / (double) (queries.length * (long) c.k());
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("ef", ef);
      o.put("p50Ms", percentile(ms, 50));
      o.put("p99Ms", percentile(ms, 99));
      o.put("cpuP50Ms", percentile(cpuMs, 50));
      o.put("cpuP99Ms", percentile(cpuMs, 99));
      o.put("recallAt" + c.k(), recall);
      results.add(o);
      c.log()
          .printf(
              "  ef=%d: p50 %.3f ms, p99 %.3f ms (thread CPU time p50 %.3f, p99 %.3f ms),"
                  + " recall@%d %.4f%n",
              ef,
              percentile(ms, 50),
              percentile(ms, 99),
              percentile(cpuMs, 50),
              percentile(cpuMs, 99),
              c.k(),
              recall);
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("latents", n);
    o.put("dim", c.dim());
    o.put("data", data);
    o.put("m", c.m());
    o.put("efConstruction", c.efConstruction());
    o.put("addPerSecond", n / ((t1 - t0) / 1e9));
    o.put("buildSeconds", buildSeconds);
    o.put("queries", queries.length);
    o.put("exactP50Ms", percentile(exactMs, 50));
    o.put("exactP99Ms", percentile(exactMs, 99));
    o.put("approximate", results);
    c.log()
        .printf(
            "  exact: p50 %.2f ms, p99 %.2f ms%n",
            percentile(exactMs, 50), percentile(exactMs, 99));
    return o;
  }

  /**
   * Synthetic latents. {@code walk}: agents wandering in a 2-D two-room world, encoded into {@code
   * dim} values by a fixed random smooth map (random Fourier features) plus noise, as a world
   * model's encoder maps positions; consecutive states are close. {@code gaussian}: independent
   * N(0, 1) values, the worst case for any index.
   */
  static float[][] latents(int n, int dim, String data, long seed) {
    Random r = new Random(seed);
    float[][] out = new float[n][dim];
    if (data.equals("gaussian")) {
      for (float[] v : out) {
        for (int j = 0; j < dim; j++) {
          v[j] = (float) r.nextGaussian();
        }
      }
      return out;
    }
    if (!data.equals("walk")) {
      throw new MemoryException("unknown bench data '" + data + "'; use walk or gaussian");
    }
    WalkLatents walk = null;
    for (int i = 0; i < n; i++) {
      if (i % 2000 == 0) {
        if (walk == null) {
          walk = new WalkLatents(dim, r);
        } else {
          walk.restart(r);
        }
      }
      System.arraycopy(walk.next(r), 0, out[i], 0, dim);
    }
    return out;
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Comparator.naturalOrder());
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double percentile(double[] xs, double p) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }

  private static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MemoryException("cannot create " + dir + ": " + e, e);
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary benchmark directory
    }
  }
}
