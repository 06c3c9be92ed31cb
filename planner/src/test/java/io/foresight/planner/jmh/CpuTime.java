package io.foresight.planner.jmh;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@link Benchmark} methods of a benchmark class timed in this thread's CPU time, optionally
 * for two builds of the planner side by side in one JVM. On the shared, oversubscribed build
 * machine (load 3-17 on 2 cores while measuring) wall-clock figures mostly measure the other
 * processes; CPU time leaves out the time the thread was not running, and alternating blocks of the
 * two builds lets both see the same neighbours. ONNX Runtime at one intra-op thread runs the
 * predictor on the calling thread, so its work counts too.
 *
 * <p>Each method: 2 s warm-up per build, then 12 blocks of about 0.15 s per build, alternating;
 * prints the median and best block in ns per call for each build, and the median of the per-pair
 * ratios new / old.
 *
 * <pre>{@code
 * BENCH_MAIN=io.foresight.planner.jmh.CpuTime planner/jmh.sh \
 *     io.foresight.planner.jmh.PlanBenchmark [method ...]   # this build
 * BENCH_MAIN=... BENCH_OLD=/path/to/old/planner/classes planner/jmh.sh ...  # old vs this build
 * }</pre>
 */
public final class CpuTime {
  private static final String PLANNER = "io.foresight.planner.";
  private static volatile Object sink;

  private CpuTime() {}

  /** Loads the planner's classes (main and benchmarks) itself, everything else from its parent. */
  private static final class PlannerLoader extends URLClassLoader {
    PlannerLoader(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith(PLANNER)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            try {
              c = findClass(name);
            } catch (ClassNotFoundException e) {
              c = super.loadClass(name, false);
            }
          }
          if (resolve) {
            resolveClass(c);
          }
          return c;
        }
        return super.loadClass(name, resolve);
      }
    }
  }

  /** One build's instance of the benchmark class. */
  private record Build(String label, Object bench, Class<?> type) {}

  public static void main(String[] args) throws Throwable {
    List<String> only = Arrays.asList(args).subList(1, args.length);
    String testClasses = System.getProperty("bench.testClasses", "planner/target/test-classes");
    String newClasses = System.getProperty("bench.classes", "planner/target/classes");
    String old = System.getenv("BENCH_OLD");
    List<Build> builds = new ArrayList<>();
    if (old != null && !old.isBlank()) {
      builds.add(build("old", args[0], old, testClasses));
    }
    builds.add(build("new", args[0], newClasses, testClasses));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<String> names = new ArrayList<>();
    for (Method m : builds.get(0).type().getMethods()) {
      if (m.isAnnotationPresent(Benchmark.class)
          && (only.isEmpty() || only.contains(m.getName()))) {
        names.add(m.getName());
      }
    }
    names.sort(String::compareTo);
    for (String name : names) {
      MethodHandle[] h = new MethodHandle[builds.size()];
      int[] block = new int[builds.size()];
      for (int k = 0; k < builds.size(); k++) {
        Build b = builds.get(k);
        h[k] = MethodHandles.lookup().unreflect(b.type().getMethod(name)).bindTo(b.bench());
        long end = System.nanoTime() + 2_000_000_000L;
        long calls = 0;
        long c0 = mx.getCurrentThreadCpuTime();
        while (System.nanoTime() < end) {
          sink = h[k].invoke();
          calls++;
        }
        long perCall = Math.max(1, (mx.getCurrentThreadCpuTime() - c0) / calls);
        block[k] = (int) Math.max(1, 150_000_000L / perCall);
      }
      int blocks = 12;
      double[][] per = new double[builds.size()][blocks];
      for (int r = 0; r < blocks; r++) {
        for (int k = 0; k < builds.size(); k++) {
          long t0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < block[k]; i++) {
            sink = h[k].invoke();
          }
          per[k][r] = (mx.getCurrentThreadCpuTime() - t0) / (double) block[k];
        }
      }
      StringBuilder line = new StringBuilder(builds.get(0).type().getSimpleName() + "." + name);
      for (int k = 0; k < builds.size(); k++) {
        double[] s = per[k].clone();
        Arrays.sort(s);
        line.append(
            String.format(
                " | %s cpu_ns_median %.0f best %.0f", builds.get(k).label(), s[blocks / 2], s[0]));
      }
      if (builds.size() == 2) {
        double[] ratio = new double[blocks];
        for (int r = 0; r < blocks; r++) {
          ratio[r] = per[1][r] / per[0][r];
        }
        Arrays.sort(ratio);
        line.append(String.format(" | new/old %.2f", ratio[blocks / 2]));
      }
      System.out.println(line);
    }
    for (Build b : builds) {
      for (Method m : b.type().getMethods()) {
        if (m.isAnnotationPresent(TearDown.class)) {
          m.invoke(b.bench());
        }
      }
    }
  }

  private static Build build(String label, String type, String classes, String testClasses)
      throws Exception {
    URL[] urls = {
      Path.of(testClasses).toAbsolutePath().toUri().toURL(),
      Path.of(classes).toAbsolutePath().toUri().toURL()
    };
    ClassLoader loader = new PlannerLoader(urls, CpuTime.class.getClassLoader());
    Class<?> c = Class.forName(type, true, loader);
    Object bench = c.getConstructor().newInstance();
    for (Method m : c.getMethods()) {
      if (m.isAnnotationPresent(Setup.class)) {
        m.invoke(bench);
      }
    }
    return new Build(label, bench, c);
  }
}
