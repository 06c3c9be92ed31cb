package io.foresight.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void shouldAddUserAndSystemTicksCountingFieldsFromTheLastParenthesis() {
    // Field 2 (the command) may hold spaces and ')': utime 1234 and stime 56 are fields 14, 15.
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 56 0 0 20 0 40 0 100 1 2";
    assertThat(ProcessCpu.parseStat(stat)).isEqualTo(1290);
  }

  @Test
  void shouldRefuseALineThatIsNotAStatLine() {
    assertThatThrownBy(() -> ProcessCpu.parseStat("no such thing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/proc/<pid>/stat");
  }

  @Test
  void shouldSplitTheMachinesCpuIntoBusyStealAndIdle() {
    // user nice system idle iowait irq softirq steal guest guest_nice, in ticks
    java.util.List<String> stat =
        java.util.List.of(
            "cpu  1000 100 300 5000 200 10 40 350 70 0",
            "cpu0 500 50 150 2500 100 5 20 175 35 0",
            "intr 1 2 3");
    double t = ProcessCpu.CLOCK_TICKS;
    assertThat(ProcessCpu.parseMachine(stat)).containsExactly(1450 / t, 350 / t, 5200 / t);
    assertThatThrownBy(() -> ProcessCpu.parseMachine(java.util.List.of("intr 1")))
        .isInstanceOf(IllegalArgumentException.class);
    double[] now = ProcessCpu.machine();
    assertThat(now[0]).isPositive();
    assertThat(now[2]).isPositive();
  }

  @Test
  void shouldReadThisJvmsCpuTime() {
    assertThat(ProcessCpu.self()).isPositive();
    assertThat(ProcessCpu.seconds(Long.MAX_VALUE)).isNaN();
  }

  @Test
  void shouldSplitTheStackJvmsThreadsIntoBrokerJobPlannersAndHarness() throws Exception {
    // A harness thread (named bench-...) that burns CPU while the split is read.
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Thread spinner =
        new Thread(
            () -> {
              long end = System.nanoTime() + 200_000_000L;
              long sink = 0;
              while (System.nanoTime() < end) {
                sink += Long.toString(sink).hashCode();
              }
              try {
                done.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            ProcessCpu.HARNESS_THREAD_PREFIX + "test");
    spinner.start();
    try {
      Thread.sleep(300);
      double[] none = ProcessCpu.stackSplit(-1);
      double[] self = ProcessCpu.stackSplit(Thread.currentThread().getId());
      assertThat(none).hasSize(4);
      // The bench- thread's 0.2 s are the harness's, never the job's.
      assertThat(none[3]).isGreaterThan(0.1);
      assertThat(none[2]).isLessThanOrEqualTo(none[1]);
      // The calling thread moves from the job to the harness when it is named as the harness.
      assertThat(self[3]).isGreaterThan(none[3]);
      assertThat(self[1]).isLessThan(none[1]);
    } finally {
      done.countDown();
      spinner.join();
    }
  }

  @Test
  void shouldCountOnlyHotSpotsCompilerThreads() {
    assertThat(ProcessCpu.isCompilerThread("C2 CompilerThre")).isTrue();
    assertThat(ProcessCpu.isCompilerThread("C1 CompilerThre")).isTrue();
    assertThat(ProcessCpu.isCompilerThread("main")).isFalse();
    assertThat(ProcessCpu.threadName("77 (C2 CompilerThre) S 1 2 3")).isEqualTo("C2 CompilerThre");
    // This JVM has compiler threads; a process that does not exist reads as null.
    assertThat(ProcessCpu.compilerThreadTicks(ProcessHandle.current().pid())).isNotEmpty();
    assertThat(ProcessCpu.compilerThreadTicks(Long.MAX_VALUE)).isNull();
  }

  @Test
  void shouldNeverCountLessJitTimeThanBefore() throws Exception {
    long self = ProcessHandle.current().pid();
    try (CompilerCpu jit = new CompilerCpu(20)) {
      double before = jit.seconds(self);
      // Work for the compilers; whatever threads HotSpot stops meanwhile, the count cannot fall.
      long sink = 0;
      for (int i = 0; i < 2_000_000; i++) {
        sink += Long.toString(i).hashCode();
      }
      Thread.sleep(100);
      assertThat(jit.seconds(self)).isGreaterThanOrEqualTo(before);
      assertThat(sink).isNotZero();
      assertThat(jit.seconds(Long.MAX_VALUE)).isNaN();
    }
  }
}
