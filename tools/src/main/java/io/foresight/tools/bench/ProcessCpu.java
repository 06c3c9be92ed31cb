package io.foresight.tools.bench;

import io.foresight.planner.WorldModelOperator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time of a process: user + system time from {@code /proc/<pid>/stat} (fields 14 and 15, in
 * clock ticks), else {@link ProcessHandle.Info#totalCpuDuration()}.
 */
public final class ProcessCpu {
  /** Clock ticks per second of {@code /proc} times; 100 on Linux unless configured otherwise. */
  static final double CLOCK_TICKS = clockTicks();

  private ProcessCpu() {}

  /** CPU seconds of {@code pid} so far, or NaN if the process is gone or unreadable. */
  public static double seconds(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      return parseStat(stat) / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      Optional<Duration> d = ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration());
      return d.map(x -> x.toNanos() / 1e9).orElse(Double.NaN);
    }
  }

  /** The name prefix of the bench harness's own threads ({@link #stackSplit}). */
  static final String HARNESS_THREAD_PREFIX = "bench-";

  /**
   * The CPU seconds so far of this JVM's live threads (threads that ended are not counted), split
   * by thread: the embedded Kafka broker's (by name), the bench harness's ({@code harnessThread}
   * and the threads named {@code bench-...}: measuring, reading the robots' output), the job's (all
   * the others), and the job's planner threads among those, as {@code [broker, job, planners,
   * harness]}. The stack runs the broker, the job and the harness in one JVM; this splits them.
   */
  public static double[] stackSplit(long harnessThread) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double broker = 0;
    double job = 0;
    double planners = 0;
    double harness = 0;
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long ns = mx.getThreadCpuTime(t.getThreadId());
      if (ns < 0) {
        continue;
      }
      String name = t.getThreadName();
      if (isBrokerThread(name)) {
        broker += ns / 1e9;
      } else if (t.getThreadId() == harnessThread || name.startsWith(HARNESS_THREAD_PREFIX)) {
        harness += ns / 1e9;
      } else {
        job += ns / 1e9;
        if (name.startsWith(WorldModelOperator.PLANNER_THREAD_PREFIX)) {
          planners += ns / 1e9;
        }
      }
    }
    return new double[] {broker, job, planners, harness};
  }

  /** Whether a thread of this JVM is one of the embedded Kafka broker's (not a client's). */
  static boolean isBrokerThread(String name) {
    String[] prefixes = {
      "data-plane-kafka",
      "kafka-request-handler",
      "kafka-network-thread",
      "ExpirationReaper",
      "TxnMarkerSenderThread",
      "AddPartitionsToTxnSenderThread",
      "controller-",
      "broker-",
      "raft-",
      "kafka-1-raft",
      "kafka-raft",
      "LogDirFailureHandler",
      "group-coordinator",
      "transaction-",
      "kafka-scheduler",
      "quorum-",
      "PersisterStateManager",
      "share-",
      "kafka-log-cleaner",
      "metrics-meter-tick",
      "feature-zk",
      "ReplicaFetcher",
      "executor-"
    };
    for (String p : prefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * CPU clock ticks so far of each live JIT compiler thread of the JVM {@code pid} (threads named
   * {@code C1 CompilerThread*} or {@code C2 CompilerThread*}, from {@code
   * /proc/<pid>/task/<tid>/stat}), by thread id; null where {@code /proc} cannot be read. HotSpot
   * stops idle compiler threads, so their sum can fall between two calls: {@link CompilerCpu} keeps
   * what ended threads used.
   */
  public static java.util.Map<Long, Long> compilerThreadTicks(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    java.util.Map<Long, Long> ticks = new java.util.HashMap<>();
    try (java.util.stream.Stream<Path> ts = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) ts::iterator) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException gone) {
          continue; // the thread ended
        }
        if (isCompilerThread(threadName(stat))) {
          ticks.put(Long.parseLong(t.getFileName().toString()), parseStat(stat));
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return ticks;
  }

  /** Whether a thread's name (as {@code /proc} shows it, cut at 15 characters) is HotSpot's JIT. */
  static boolean isCompilerThread(String name) {
    return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
  }

  /** The thread or command name of a {@code /proc/.../stat} line (field 2, in parentheses). */
  static String threadName(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    return stat.substring(open + 1, close);
  }

  /**
   * The whole machine's CPU seconds so far, summed over its cores, as {@code [busy, steal, idle]}
   * from the {@code cpu} line of {@code /proc/stat}: busy = user + nice + system + irq + softirq,
   * steal = time the hypervisor gave this machine's virtual CPUs to others, idle = idle + iowait;
   * NaN each where {@code /proc/stat} cannot be read.
   */
  public static double[] machine() {
    try {
      return parseMachine(Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
  }

  /** {@link #machine()} of the lines of a {@code /proc/stat}. */
  static double[] parseMachine(java.util.List<String> stat) {
    for (String line : stat) {
      if (!line.startsWith("cpu ")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      long[] v = new long[9];
      for (int i = 0; i < v.length && i + 1 < f.length; i++) {
        v[i] = Long.parseLong(f[i + 1]);
      }
      // user nice system idle iowait irq softirq steal (guest time is already in user)
      double busy = v[0] + v[1] + v[2] + v[5] + v[6];
      return new double[] {busy / CLOCK_TICKS, v[7] / CLOCK_TICKS, (v[3] + v[4]) / CLOCK_TICKS};
    }
    throw new IllegalArgumentException("no 'cpu ' line in /proc/stat");
  }

  /** This JVM's CPU seconds so far. */
  public static double self() {
    return seconds(ProcessHandle.current().pid());
  }

  /**
   * utime + stime in clock ticks from a {@code /proc/<pid>/stat} line. The command name (field 2)
   * may hold spaces and parentheses, so fields are counted from the last {@code ')'}.
   */
  static long parseStat(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] f = stat.substring(close + 2).trim().split("\\s+");
    // f[0] is field 3 (state): utime is field 14 = f[11], stime field 15 = f[12].
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (p.waitFor() == 0) {
        return Double.parseDouble(out);
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to Linux's usual value
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
