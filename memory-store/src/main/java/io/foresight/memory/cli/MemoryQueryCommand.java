package io.foresight.memory.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.memory.api.LandmarkQuery;
import io.foresight.memory.api.MemoryApiException;
import io.foresight.memory.api.MemoryClient;
import io.foresight.memory.api.MemoryJson;
import io.foresight.memory.api.NearestRequest;
import io.foresight.memory.api.RangeQuery;
import io.foresight.memory.api.ReferenceQuery;
import io.foresight.memory.api.StatePage;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code foresight memory query}: a command-line client of a running memory's HTTP API (through the
 * typed {@link MemoryClient}); prints the JSON answer. Exit code 0 on success, 1 when the memory
 * answers with an error or cannot be reached.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = "Queries a running memory store over its HTTP API and prints the JSON answer.",
    subcommands = {
      MemoryQueryCommand.Health.class,
      MemoryQueryCommand.Streams.class,
      MemoryQueryCommand.Stream.class,
      MemoryQueryCommand.Latest.class,
      MemoryQueryCommand.Range.class,
      MemoryQueryCommand.Nearest.class,
      MemoryQueryCommand.Transitions.class,
      MemoryQueryCommand.Landmarks.class
    })
public final class MemoryQueryCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = MemoryJson.mapper();

  @Option(
      names = "--url",
      defaultValue = "${env:MEMORY_URL:-http://127.0.0.1:8090}",
      description = "Base URL of the memory (default ${DEFAULT-VALUE}; env MEMORY_URL).")
  String url;

  @Option(names = "--compact", description = "Print JSON on one line.")
  boolean compact;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    err.println(
        "memory query: say what to query: health, streams, stream, latest, range,"
            + " nearest, transitions or landmarks (see --help)");
    return 2;
  }

  int run(Function<MemoryClient, Object> ask) {
    try {
      print(ask.apply(MemoryClient.of(url)));
      return 0;
    } catch (MemoryApiException e) {
      err.println("memory query: " + e.getMessage());
      return 1;
    }
  }

  void print(Object answer) {
    try {
      out.println(
          compact
              ? MAPPER.writeValueAsString(answer)
              : MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + answer, e);
    }
  }

  /** {@code query health}. */
  @Command(name = "health", mixinStandardHelpOptions = true, description = "GET /health")
  static final class Health implements Callable<Integer> {
    @ParentCommand MemoryQueryCommand parent;

    @Override
    public Integer call() {
      boolean[] up = {false};
      int code =
          parent.run(
              c -> {
                io.foresight.memory.api.Health h = c.health();
                up[0] = h.up();
                return h;
              });
      return code != 0 || up[0] ? code : 1; // DOWN (a 503) is an error answer too
    }
  }

  /** {@code query streams}. */
  @Command(
      name = "streams",
      mixinStandardHelpOptions = true,
      description = "Lists every stream with its count and time span (GET /streams).")
  static final class Streams implements Callable<Integer> {
    @ParentCommand MemoryQueryCommand parent;

    @Override
    public Integer call() {
      return parent.run(MemoryClient::streams);
    }
  }

  /** {@code query stream ID}. */
  @Command(
      name = "stream",
      mixinStandardHelpOptions = true,
      description = "Summary and running statistics of one stream (GET /streams/{id}).")
  static final class Stream implements Callable<Integer> {
    @ParentCommand MemoryQueryCommand parent;

    @Parameters(index = "0", description = "Stream id.")
    String stream;

    @Override
    public Integer call() {
      return parent.run(c -> c.stream(stream));
    }
  }

  /** {@code query latest ID}. */
  @Command(
      name = "latest",
      mixinStandardHelpOptions = true,
      description = "The newest state of a stream (GET /streams/{id}/latest).")
  static final class Latest implements Callable<Integer> {
    @ParentCommand MemoryQueryCommand parent;

    @Parameters(index = "0", description = "Stream id.")
    String stream;

    @Option(names = "--model", description = "Model sha256 (default: the stream's newest).")
    String model;

    @Option(names = "--at", description = "Newest state at or before this time (microseconds).")
    Long at;

    @Override
    public Integer call() {
      return parent.run(
          c -> at == null ? c.latest(stream, model, true) : c.at(stream, at, model, true));
    }
  }

  /** {@code query range ID}. */
  @Command(
      name = "range",
      mixinStandardHelpOptions = true,
      description =
          "States of a stream in [from, to), oldest first, one page at a time (GET"
              + " /streams/{id}/range); --all follows the cursors to the end.")
  static final class Range implements Callable<Integer> {
    @ParentCommand MemoryQueryCommand parent;

    @Parameters(index = "0", description = "Stream id.")
    String stream;

    @Option(names = "--from", description = "Start time (microseconds, inclusive).")
    Long from;

    @Option(names = "--to", description = "End time (microseconds, exclusive).")
    Long to;

    @Option(names = "--limit", description = "States per page (default 100, at most 10000).")
    Integer limit;

    @Option(names = "--cursor", description = "nextCursor of the previous page.")
    String cursor;

    @Option(names = "--model", description = "Model sha256 (default: the stream's newest).")
    String model;

    @Option(names = "--no-latents", description = "Leave the latent values out.")
    boolean noLatents;

    @Option(names = "--all", description = "Fetch every page and print them as one list.")
    boolean all;

    @Override
    public Integer call() {
      RangeQuery q =
          new RangeQuery(from, to, limit, cursor, model, noLatents ? Boolean.FALSE : null);
      return parent.run(
          c -> all ? new StatePage(stream, c.rangeAll(stream, q), null) : c.range(stream, q));
    }
  }

  /** {@code query nearest}. */
  @Command(
      name = "nearest",
      mixinStandardHelpOptions = true,
      description =
          "The k nearest stored states to a reference state (--stream, --time) or to a latent"
              + " (--latent v1,v2,...), with distances (GET or POST /nearest).")
  static final class Nearest implements Callable<Integer> {
    @ParentCommand MemoryQueryCommand parent;

    @Option(names = "--stream", description = "Reference stream.")
    String stream;

    @Option(
        names = "--time",
        description = "Reference time: the state at or before it (default: latest).")
    Long time;

    @Option(names = "--latent", split = ",", description = "A latent, comma-separated floats.")
    float[] latent;

    @Option(names = "-k", defaultValue = "10", description = "How many (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--model", description = "Model sha256.")
    String model;

    @Option(names = "--exact", description = "Brute force instead of the HNSW index.")
    boolean exact;

    @Option(names = "--ef", description = "HNSW search list size (default: the server's).")
    Integer ef;

    @Option(
        names = "--scope",
        description = "With --stream: all, same (that stream only) or others (default all).")
    String scope;

    @Override
    public Integer call() throws Exception {
      if ((stream == null) == (latent == null)) {
        parent.err.println("memory query nearest: give either --stream [--time] or --latent");
        return 2;
      }
      if (stream != null) {
        ReferenceQuery.Scope s = scope == null ? null : scopeOf(scope);
        if (scope != null && s == null) {
          parent.err.println("memory query nearest: --scope is all, same or others");
          return 2;
        }
        return parent.run(
            c ->
                c.nearest(
                    new ReferenceQuery(
                        stream, time, k, model, ef, exact ? Boolean.TRUE : null, s)));
      }
      NearestRequest body = new NearestRequest(latent, k, model, ef, exact, null, null, null);
      return parent.run(c -> c.nearest(body));
    }

    private static ReferenceQuery.Scope scopeOf(String s) {
      for (ReferenceQuery.Scope v : ReferenceQuery.Scope.values()) {
        if (v.wire().equals(s)) {
          return v;
        }
      }
      return null;
    }
  }

  /** {@code query transitions ID}. */
  @Command(
      name = "transitions",
      mixinStandardHelpOptions = true,
      description =
          "Each state of a stream, its successor and the action executed in between (GET"
              + " /streams/{id}/transitions).")
  static final class Transitions implements Callable<Integer> {
    @ParentCommand MemoryQueryCommand parent;

    @Parameters(index = "0", description = "Stream id.")
    String stream;

    @Option(names = "--from", description = "Start time (microseconds, inclusive).")
    Long from;

    @Option(names = "--to", description = "End time (microseconds, exclusive).")
    Long to;

    @Option(names = "--limit", description = "Transitions per page (default 100).")
    Integer limit;

    @Option(names = "--cursor", description = "nextCursor of the previous page.")
    String cursor;

    @Option(names = "--model", description = "Model sha256.")
    String model;

    @Override
    public Integer call() {
      return parent.run(
          c -> c.transitions(stream, new RangeQuery(from, to, limit, cursor, model, null)));
    }
  }

  /** {@code query landmarks}. */
  @Command(
      name = "landmarks",
      mixinStandardHelpOptions = true,
      description =
          "A compact landmark graph of the stored states: farthest-point landmarks and the edges"
              + " between them that streams traversed (GET /landmarks).")
  static final class Landmarks implements Callable<Integer> {
    @ParentCommand MemoryQueryCommand parent;

    @Option(
        names = "-k",
        defaultValue = "32",
        description = "Landmarks (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--model", description = "Model sha256.")
    String model;

    @Option(names = "--stream", description = "Only this stream's states.")
    String stream;

    @Option(names = "--sample", description = "States sampled for the selection (default 20000).")
    Integer sample;

    @Override
    public Integer call() {
      return parent.run(c -> c.landmarks(new LandmarkQuery(k, model, stream, sample, null)));
    }
  }
}
