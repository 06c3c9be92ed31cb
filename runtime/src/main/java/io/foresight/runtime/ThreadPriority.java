package io.foresight.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPU priority of one thread of this JVM, for work that should give the cores up to the rest of
 * the process when they are all busy: the planner threads yield to the threads that turn every
 * frame into a latent and a prediction. Only the scheduler's share changes: a lowered thread still
 * gets every cycle nobody else wants.
 *
 * <p>On Linux each thread has a niceness of its own ({@code setpriority(2)} on its thread id). Java
 * has no call for it, so {@link #lowerCurrentThread} runs {@code renice(1)} on the calling thread's
 * id (from {@code /proc/thread-self}), once per thread. A thread can always lower its own priority
 * without privileges; this class never raises one. Where there is no {@code /proc/thread-self} or
 * no {@code renice} (macOS, Windows, a container without them) nothing changes and the call says
 * so.
 *
 * <pre>{@code
 * OptionalInt now = ThreadPriority.lowerCurrentThread(10); // niceness + 10, at most 19
 * }</pre>
 */
public final class ThreadPriority {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadPriority.class);

  /** The highest niceness, the lowest priority (Linux). */
  public static final int LOWEST = 19;

  private static final Path SELF = Path.of("/proc/thread-self/stat");
  private static final long RENICE_TIMEOUT_SECONDS = 10;

  private ThreadPriority() {}

  /**
   * Lowers the calling thread's CPU priority: adds {@code increment} to its niceness (at most
   * {@value #LOWEST}). Other threads keep theirs; a thread the calling thread starts afterwards
   * inherits the new one (Linux copies it at thread creation).
   *
   * @param increment 0 (no change) to {@value #LOWEST}
   * @return the thread's niceness now; empty when this platform has no per-thread niceness or it
   *     could not be changed (logged at warning level, with the reason)
   * @throws IllegalArgumentException for an increment outside 0..19
   */
  public static OptionalInt lowerCurrentThread(int increment) {
    if (increment < 0 || increment > LOWEST) {
      throw new IllegalArgumentException(
          "a niceness increment is 0 (no change) to "
              + LOWEST
              + " (lowest priority), got "
              + increment);
    }
    Optional<Stat> self = currentThread();
    if (self.isEmpty()) {
      return OptionalInt.empty();
    }
    int tid = self.get().tid();
    int niceness = self.get().niceness();
    int target = Math.min(LOWEST, niceness + increment);
    if (target == niceness) {
      return OptionalInt.of(niceness);
    }
    Optional<Path> renice = renice();
    if (renice.isEmpty()) {
      LOG.warn(
          "Thread {} keeps its CPU priority: no renice command in /usr/bin or /bin",
          Thread.currentThread().getName());
      return OptionalInt.empty();
    }
    try {
      // renice gets the absolute niceness, worked out from the thread's own (its positional
      // priority is absolute).
      Process p =
          new ProcessBuilder(
                  renice.get().toString(), Integer.toString(target), "-p", Integer.toString(tid))
              .redirectErrorStream(true)
              .start();
      if (!p.waitFor(RENICE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        LOG.warn("renice of thread {} did not finish; its CPU priority is unchanged", tid);
        return OptionalInt.empty();
      }
      // A line at most: it fits the pipe, so reading after the exit cannot block renice.
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        LOG.warn(
            "Thread {} keeps its CPU priority: renice {} -p {} exited with {}: {}",
            Thread.currentThread().getName(),
            target,
            tid,
            p.exitValue(),
            out);
        return OptionalInt.empty();
      }
    } catch (IOException e) {
      LOG.warn(
          "Thread {} keeps its CPU priority: {}", Thread.currentThread().getName(), e.toString());
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
    OptionalInt now = currentNiceness();
    if (now.isPresent() && now.getAsInt() != target) {
      LOG.warn(
          "Thread {} runs at niceness {} after renice {} -p {}",
          Thread.currentThread().getName(),
          now.getAsInt(),
          target,
          tid);
    }
    return now;
  }

  /**
   * true where {@link #lowerCurrentThread} can work: threads have a niceness of their own ({@code
   * /proc/thread-self}) and there is a {@code renice} command.
   */
  public static boolean supported() {
    return Files.isReadable(SELF) && renice().isPresent();
  }

  /** The calling thread's niceness; empty where threads have none of their own (not Linux). */
  public static OptionalInt currentNiceness() {
    return currentThread().map(t -> OptionalInt.of(t.niceness())).orElse(OptionalInt.empty());
  }

  /**
   * The calling thread's id and niceness from {@code /proc/thread-self/stat}, where there is one.
   */
  private static Optional<Stat> currentThread() {
    if (!Files.isReadable(SELF)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parseStat(Files.readString(SELF, StandardCharsets.US_ASCII)));
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read {}: {}", SELF, e.toString());
      return Optional.empty();
    }
  }

  /**
   * The thread id (field 1) and niceness (field 19) of a {@code /proc/<pid>/task/<tid>/stat} line.
   * The command name (field 2, in parentheses) may hold spaces and parentheses, so the fields after
   * it are counted from its last closing parenthesis.
   */
  static Stat parseStat(String stat) {
    int tid = Integer.parseInt(stat.substring(0, stat.indexOf(' ')));
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // after[0] is field 3 (the state), so field 19 is after[16].
    return new Stat(tid, Integer.parseInt(after[16]));
  }

  /** A thread's id and niceness. */
  record Stat(int tid, int niceness) {}

  private static Optional<Path> renice() {
    return command("renice");
  }

  /**
   * A priority command of the system ({@code nice}, {@code renice}) where there is one: in {@code
   * /usr/bin} or {@code /bin}, the places Debian's {@code coreutils} and {@code bsdutils} put them.
   */
  public static Optional<Path> command(String name) {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
