package io.foresight.pipeline.cli;

import io.foresight.pipeline.internal.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code foresight bench}: the benchmark commands whose figures go into docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: encoder, planner, memory (each writes --json FILE).")
public final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** {@code foresight bench memory}: runs in the memory store's own JVM. */
  @Command(
      name = "memory",
      description = {
        "The memory store's benchmark (its own process): raw RocksDB puts vs the store's ingest,"
            + " k-NN latency and recall.",
        "Run 'foresight bench memory --help' for its options."
      })
  static final class Memory implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();

    @Parameters(arity = "0..*", hidden = true)
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return ChildJvm.runMemoryStore(List.of("bench"), params, args);
    }
  }
}
