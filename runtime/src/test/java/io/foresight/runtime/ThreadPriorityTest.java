package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A thread lowers its own CPU priority and nobody else's. */
class ThreadPriorityTest {

  @Test
  void shouldReadTheThreadIdAndNicenessPastACommandNameWithSpacesAndParentheses() {
    String stat =
        "4242 (foresight-pl) x) S 1 2 3 0 -1 4194368 10 0 0 0 5 1 0 0 30 10 7 0 99 1000 20 0";
    assertThat(ThreadPriority.parseStat(stat)).isEqualTo(new ThreadPriority.Stat(4242, 10));
  }

  @Test
  void shouldLowerTheCallingThreadOnlyAndNeverPastTheLowest() throws Exception {
    assumeTrue(ThreadPriority.supported(), "no per-thread niceness or no renice here");
    int before = ThreadPriority.currentNiceness().orElseThrow();
    assumeTrue(before <= ThreadPriority.LOWEST - 3, "this test already runs at niceness " + before);

    AtomicReference<OptionalInt> lowered = new AtomicReference<>();
    AtomicReference<OptionalInt> readBack = new AtomicReference<>();
    AtomicReference<OptionalInt> lowest = new AtomicReference<>();
    AtomicReference<OptionalInt> child = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              lowered.set(ThreadPriority.lowerCurrentThread(3));
              readBack.set(ThreadPriority.currentNiceness());
              Thread c = new Thread(() -> child.set(ThreadPriority.currentNiceness()));
              c.start();
              try {
                c.join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              lowest.set(ThreadPriority.lowerCurrentThread(ThreadPriority.LOWEST));
            });
    t.start();
    t.join();

    assertThat(lowered.get()).hasValue(before + 3);
    assertThat(readBack.get()).hasValue(before + 3);
    // A thread started afterwards inherits the niceness of the thread that started it (Linux).
    assertThat(child.get()).hasValue(before + 3);
    assertThat(lowest.get()).hasValue(ThreadPriority.LOWEST);
    assertThat(ThreadPriority.currentNiceness()).hasValue(before);
  }

  @Test
  void shouldChangeNothingForZero() {
    OptionalInt now = ThreadPriority.currentNiceness();
    assertThat(ThreadPriority.lowerCurrentThread(0)).isEqualTo(now);
    assertThat(ThreadPriority.currentNiceness()).isEqualTo(now);
  }

  @Test
  void shouldRefuseAnIncrementOutsideTheRange() {
    assertThatThrownBy(() -> ThreadPriority.lowerCurrentThread(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 (no change) to 19");
    assertThatThrownBy(() -> ThreadPriority.lowerCurrentThread(20))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
