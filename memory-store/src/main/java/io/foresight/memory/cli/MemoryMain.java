package io.foresight.memory.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The memory store's command line, run in its own JVM: {@code serve} the Kafka Streams application
 * and its HTTP API, {@code query} a running memory, {@code bench} its ingest and search.
 *
 * <pre>{@code
 * java -cp ... io.foresight.memory.cli.MemoryMain serve --bootstrap 127.0.0.1:9092 \
 *     --state-dir /tmp/memory --http-port 8090
 * }</pre>
 */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    description = "The persistent memory of latent states: serve, query, bench.",
    subcommands = {MemoryServeCommand.class, MemoryQueryCommand.class, MemoryFeedCommand.class})
public final class MemoryMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** The command line with every subcommand, {@code bench} included. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new MemoryMain());
    cl.addSubcommand("bench", new MemoryBenchCommand());
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
