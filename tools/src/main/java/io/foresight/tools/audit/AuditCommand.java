package io.foresight.tools.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.tools.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight audit}: checks a running deployment end to end from the outside, the way an
 * operator would after an incident: every frame became exactly one committed latent, stored once in
 * the memory store, with each stream's working memory intact, and how long outputs paused.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a deployment from the outside (read_committed, as consumers read it).",
      "  watch  log, once a second, what consumers see: latents, plans, memory-store answers",
      "  check  count frames, latents, duplicates, stored states and working-memory resets"
    },
    subcommands = {AuditCommand.Watch.class, AuditCommand.Check.class})
public final class AuditCommand implements Callable<Integer> {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** {@code foresight audit watch}. */
  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = {
        "Writes one JSON line a second: latents and plans that became visible to a read_committed"
            + " consumer, the newest frame time among them, and which memory-store instances"
            + " answered a query for every stream. Runs until stopped (or --duration)."
      })
  static final class Watch implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(
        names = "--memory",
        split = ",",
        description = "Memory-store URLs to query every second (comma-separated).")
    List<String> memory = List.of();

    @Option(names = "--out", required = true, description = "The JSON-lines file to append to.")
    Path out;

    @Option(
        names = "--duration",
        converter = DurationConverter.class,
        description = "Stop after this long (default: until stopped).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
      new Timeline(bootstrap, memory, out).run(duration);
      return 0;
    }
  }

  /** {@code foresight audit check}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Reads foresight.frames, foresight.latents and foresight.predictions from the beginning"
            + " (read_committed) and the memory store's per-stream counts, and writes what it"
            + " found as JSON; with --faults and --timeline also per fault: frames lost and"
            + " duplicated, time to recover, the pause in plans, memory-store answers.",
        "Exit code 3 when a frame was lost or duplicated, a state is missing from the memory"
            + " store, or a stream's working memory was reset."
      })
  static final class Check implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(
        names = "--memory",
        split = ",",
        description = "Memory-store URLs (comma-separated); the first that answers is counted.")
    List<String> memory = List.of();

    @Option(
        names = "--robot-stats",
        split = ",",
        description = "Robot statistics files (robot --stats-json) for the goals reached.")
    List<Path> robotStats = List.of();

    @Option(
        names = "--faults",
        description =
            "JSON lines {fault, t0_ms, t1_ms, t2_ms}: when the fault began, when its action was"
                + " done, when it was healed (the stack test's).")
    Path faults;

    @Option(names = "--timeline", description = "The file 'audit watch' wrote.")
    Path timeline;

    @Option(
        names = "--wait",
        defaultValue = "120s",
        converter = DurationConverter.class,
        description =
            "How long to wait for the job and the memory store to catch up with the frames."
                + " Default: ${DEFAULT-VALUE}.")
    Duration wait;

    @Option(names = "--json", description = "Write the result here (and print it).")
    Path json;

    @Override
    public Integer call() throws Exception {
      AuditReport report = new Audit(bootstrap, memory).run(robotStats, faults, timeline, wait);
      String text = JSON.writeValueAsString(report);
      System.out.println(text);
      if (json != null) {
        java.nio.file.Files.writeString(json, text + "\n");
      }
      return report.exact() ? 0 : 3;
    }
  }
}
