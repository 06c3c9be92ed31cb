package io.foresight.tools.internal;

import io.foresight.pipeline.PipelineException;
import io.foresight.runtime.ThreadPriority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts Foresight components that need their own JVM (the memory store; robots for a benchmark)
 * from a build tree.
 */
public final class ChildJvm {
  public static final String MEMORY_MAIN = "io.foresight.memory.cli.MemoryMain";

  /** The one {@code foresight} command line. */
  public static final String FORESIGHT_MAIN = "io.foresight.tools.cli.ForesightCli";

  private ChildJvm() {}

  /**
   * The one place that knows how the memory store's JVM is started: {@code foresight memory ...},
   * the demo's embedded stack and the benchmarks all come here (the launcher script does not).
   *
   * <p>The project root: system property {@code foresight.home} or {@code FORESIGHT_HOME}, else the
   * nearest folder at or above the working directory that holds the memory-store module.
   */
  public static Path home() {
    String h = System.getProperty("foresight.home", System.getenv("FORESIGHT_HOME"));
    if (h != null && !h.isBlank()) {
      return Path.of(h).toAbsolutePath().normalize();
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path d = cwd; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("memory-store/pom.xml"))) {
        return d;
      }
    }
    return cwd;
  }

  /**
   * Runs the memory store's command line with the concatenated argument lists, its output on this
   * process's, and returns its exit code.
   */
  @SafeVarargs
  public static int runMemoryStore(List<String>... argLists)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    for (List<String> a : argLists) {
      args.addAll(a);
    }
    Process child = memoryStore(args).inheritIO().start();
    // Stopping this JVM (SIGTERM, Ctrl-C) stops the memory store cleanly too.
    Thread stop =
        new Thread(
            () -> {
              child.destroy();
              try {
                child.waitFor();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "memory-store-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      return child.waitFor();
    } finally {
      if (!child.isAlive()) {
        try {
          Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running already
        }
      }
    }
  }

  /**
   * A process builder for the memory store's command line with {@code args}; JVM options from
   * {@code FORESIGHT_MEMORY_JAVA_OPTS}.
   */
  public static ProcessBuilder memoryStore(List<String> args) {
    return java("memory-store", MEMORY_MAIN, "FORESIGHT_MEMORY_JAVA_OPTS", List.of(), args);
  }

  /**
   * A process builder for {@code foresight robot} with {@code args} in its own JVM: the command
   * line on the tools module's classpath, JVM options from {@code FORESIGHT_ROBOT_JAVA_OPTS}
   * (default {@link #ROBOT_JAVA_OPTS}).
   */
  public static ProcessBuilder robots(List<String> args) {
    List<String> all = new ArrayList<>();
    all.add("robot");
    all.addAll(args);
    return java("tools", FORESIGHT_MAIN, "FORESIGHT_ROBOT_JAVA_OPTS", ROBOT_JAVA_OPTS, all);
  }

  /** Stops a child process: SIGTERM, then SIGKILL when it has not exited within {@code grace}. */
  public static void stop(Process p, Duration grace) {
    p.destroy();
    try {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /**
   * {@code builder} with its command run at a lower CPU priority: {@code nice -n niceness} in front
   * of it, where a {@code nice} command exists (Linux, macOS); unchanged for a niceness of 0 or
   * without one.
   */
  public static ProcessBuilder niced(ProcessBuilder builder, int niceness) {
    if (niceness < 0 || niceness > ThreadPriority.LOWEST) {
      throw new PipelineException(
          "niceness must be between 0 (normal priority) and "
              + ThreadPriority.LOWEST
              + " (lowest), got "
              + niceness);
    }
    Optional<Path> nice = niceness == 0 ? Optional.empty() : ThreadPriority.command("nice");
    if (nice.isEmpty()) {
      return builder;
    }
    List<String> cmd =
        new ArrayList<>(List.of(nice.get().toString(), "-n", Integer.toString(niceness)));
    cmd.addAll(builder.command());
    return builder.command(cmd);
  }

  /**
   * The simulated robots' JVM options: C1 only. A benchmark starts a fresh robots JVM for each
   * step, and on two cores its C2 compiler thread took about half of that JVM's CPU all through a
   * 40 s step (6.6 of 12.4 CPU seconds at 64 robots) at the expense of the stack being measured;
   * with C1 alone the robots used 6.0 CPU seconds in all for the same work.
   */
  static final List<String> ROBOT_JAVA_OPTS = List.of("-Xmx1g", "-XX:TieredStopAtLevel=1");

  private static ProcessBuilder java(
      String moduleName,
      String main,
      String optsVariable,
      List<String> defaultOpts,
      List<String> args) {
    Path module = home().resolve(moduleName);
    Path cpFile = module.resolve("target/classpath.txt");
    Path classes = module.resolve("target/classes");
    if (!Files.isRegularFile(cpFile) || !Files.isDirectory(classes)) {
      throw new PipelineException(
          "the "
              + moduleName
              + " module is not built ("
              + cpFile
              + " is missing): run 'mvn -B -q install -DskipTests' in "
              + home());
    }
    String cp;
    try {
      cp =
          classes
              + java.io.File.pathSeparator
              + Files.readString(cpFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new PipelineException("Error reading " + cpFile + ": " + e.getMessage(), e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = System.getenv(optsVariable);
    if (opts != null && !opts.isBlank()) {
      cmd.addAll(List.of(opts.strip().split("\\s+")));
    } else {
      cmd.addAll(defaultOpts);
    }
    cmd.add("-Dforesight.home=" + home());
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(main);
    cmd.addAll(args);
    return new ProcessBuilder(cmd);
  }
}
