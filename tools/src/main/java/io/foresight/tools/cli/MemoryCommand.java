package io.foresight.tools.cli;

import io.foresight.tools.internal.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code foresight memory ...}: runs the memory store's own command line in its own JVM. The memory
 * store uses RocksDB and Kafka Streams, which must never share a classpath with the Flink job.
 */
@Command(
    name = "memory",
    mixinStandardHelpOptions = false,
    description = {
      "The persistent latent memory (its own process): serve, query, bench.",
      "Run 'foresight memory --help' for its subcommands."
    })
public final class MemoryCommand implements Callable<Integer> {
  @Unmatched List<String> args = new ArrayList<>();

  @Parameters(arity = "0..*", hidden = true)
  List<String> params = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    return ChildJvm.runMemoryStore(params, args);
  }
}
