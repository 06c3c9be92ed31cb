package io.foresight.memory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.memory.internal.MemoryBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight bench memory}: in one run, raw RocksDB puts of the timeline's keys and values
 * against the memory's ingest path, then k-NN latency (p50/p99) and recall@10 of the HNSW index
 * against exact search at 100k (and, with {@code --large}, 1M) latents. Writes the figures as JSON
 * with {@code --json FILE}.
 */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks the memory store: ingest rate against raw RocksDB puts of the same keys and"
          + " values, and nearest-neighbour latency and recall@10 against exact search.",
      "Give it heap for the large sizes: 1M latents of 64 floats need about 1 GiB (-Xmx3g)."
    })
public final class MemoryBenchCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Write the results to this JSON file.")
  Path json;

  @Option(names = "--dir", description = "Scratch directory for RocksDB (default: a temp dir).")
  Path dir;

  @Option(
      names = "--ingest",
      defaultValue = "200000",
      description = "Latents for the ingest comparison (default ${DEFAULT-VALUE}).")
  int ingest;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      description =
          "Ingest runs of each kind, alternated; the median is reported (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--dim",
      defaultValue = "64",
      description = "Floats per latent (default ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "100000",
      description = "Index sizes for the k-NN benchmark (default ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--large", description = "Also run the k-NN benchmark at 1,000,000 latents.")
  boolean large;

  @Option(
      names = "--data",
      split = ",",
      defaultValue = "walk",
      description =
          "walk (trajectories on a 2-D manifold, like a world model's latents) and/or"
              + " gaussian (i.i.d., the worst case) (default ${DEFAULT-VALUE}).")
  List<String> data;

  @Option(
      names = "--queries",
      defaultValue = "500",
      description = "Queries per size (default ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "-k",
      defaultValue = "10",
      description = "Neighbours per query (default ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--ef",
      split = ",",
      defaultValue = "32,64,128",
      description = "HNSW search list sizes to measure (default ${DEFAULT-VALUE}).")
  List<Integer> efs;

  @Option(names = "--m", defaultValue = "16", description = "HNSW M (default ${DEFAULT-VALUE}).")
  int m;

  @Option(
      names = "--ef-construction",
      defaultValue = "100",
      description = "HNSW efConstruction (default ${DEFAULT-VALUE}).")
  int efConstruction;

  @Option(names = "--skip-ingest", description = "Only the k-NN part.")
  boolean skipIngest;

  @Override
  public Integer call() throws Exception {
    Path scratch =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("memory-bench");
    List<Integer> all = new ArrayList<>(sizes);
    if (large && !all.contains(1_000_000)) {
      all.add(1_000_000);
    }
    MemoryBench.Config config =
        new MemoryBench.Config(
            scratch,
            skipIngest ? 0 : ingest,
            repeats,
            dim,
            all,
            data,
            queries,
            k,
            efs,
            m,
            efConstruction,
            System.out);
    try {
      Map<String, Object> results = new MemoryBench(config).run();
      results.put(
          "command",
          "foresight bench memory --ingest "
              + ingest
              + " --sizes "
              + all
              + " --data "
              + data
              + " --queries "
              + queries
              + " --ef "
              + efs);
      if (json != null) {
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), results);
        System.out.println("wrote " + json);
      }
      return 0;
    } finally {
      if (dir == null) {
        try (Stream<Path> files = Files.walk(scratch)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
