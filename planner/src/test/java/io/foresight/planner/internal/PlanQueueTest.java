package io.foresight.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PlanQueueTest {

  @Test
  void shouldKeepOnlyTheNewestRequestOfAStreamInItsPlaceAndCountTheReplaced() throws Exception {
    PlanQueue<Integer> q = new PlanQueue<>();
    assertThat(q.offer("a", 1)).isZero();
    assertThat(q.offer("b", 10)).isZero();
    assertThat(q.offer("a", 2)).isOne();
    assertThat(q.offer("a", 3)).isOne();

    PlanQueue.Taken<Integer> first = q.take();
    PlanQueue.Taken<Integer> second = q.take();

    assertThat(first.stream()).isEqualTo("a");
    assertThat(first.request()).isEqualTo(3);
    assertThat(first.skipped()).isEqualTo(2);
    assertThat(second.stream()).isEqualTo("b");
    assertThat(second.skipped()).isZero();
    assertThat(q.waiting()).isZero();
  }

  @Test
  void shouldNotHandOutAStreamWhosePlanIsStillRunning() throws Exception {
    PlanQueue<Integer> q = new PlanQueue<>();
    q.offer("a", 1);
    PlanQueue.Taken<Integer> running = q.take();
    q.offer("a", 2);
    q.offer("b", 5);

    assertThat(q.take().stream()).isEqualTo("b");
    q.done(running.stream());
    assertThat(q.take().request()).isEqualTo(2);
  }

  @Test
  void shouldStayBusyUntilEveryTakenRequestIsSettled() throws Exception {
    PlanQueue<Integer> q = new PlanQueue<>();
    q.offer("a", 1);
    PlanQueue.Taken<Integer> t = q.take();
    q.done(t.stream());
    assertThat(q.busy()).isTrue();

    q.settled();

    assertThat(q.busy()).isFalse();
  }

  @Test
  void shouldForgetTheRequestOfARemovedStreamAndWakeTakersOnClose() throws Exception {
    PlanQueue<Integer> q = new PlanQueue<>();
    q.offer("a", 1);
    q.remove("a");
    assertThat(q.busy()).isFalse();

    Thread taker =
        new Thread(
            () -> {
              try {
                assertThat(q.take()).isNull();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    taker.start();
    q.close();
    taker.join(5_000);
    assertThat(taker.isAlive()).isFalse();
  }

  @Test
  void shouldLetAStaleRequestYieldToAFresherOneWhileKeepingItsTurn() throws Exception {
    AtomicLong now = new AtomicLong();
    PlanQueue<Integer> q = new PlanQueue<>(Duration.ofMillis(30), now::get);
    q.offer("a", 1);
    now.set(Duration.ofMillis(20).toNanos());
    q.offer("b", 10);
    now.set(Duration.ofMillis(40).toNanos());
    q.offer("c", 20);

    // a waited 40 ms (> 30): b (20 ms) goes first, a keeps the head of the line.
    PlanQueue.Taken<Integer> first = q.take();
    assertThat(first.stream()).isEqualTo("b");
    assertThat(q.passedOver()).isOne();

    // a's next latent replaces it in its place: fresh now, so it is next, ahead of c.
    q.offer("a", 2);
    PlanQueue.Taken<Integer> second = q.take();
    assertThat(second.stream()).isEqualTo("a");
    assertThat(second.request()).isEqualTo(2);
    assertThat(second.skipped()).isOne();
    assertThat(q.take().stream()).isEqualTo("c");
    assertThat(q.passedOver()).isOne();
  }

  @Test
  void shouldHandOutTheMostRecentStaleRequestWhenNothingFresherWaits() throws Exception {
    AtomicLong now = new AtomicLong();
    PlanQueue<Integer> q = new PlanQueue<>(Duration.ofMillis(30), now::get);
    q.offer("a", 1);
    now.set(Duration.ofMillis(10).toNanos());
    q.offer("b", 10);
    now.set(Duration.ofMillis(100).toNanos());

    assertThat(q.take().stream()).isEqualTo("b");
    assertThat(q.take().stream()).isEqualTo("a");
    assertThat(q.passedOver()).isOne();
  }

  @Test
  void shouldKeepStrictTurnsWithoutALimit() throws Exception {
    AtomicLong now = new AtomicLong();
    PlanQueue<Integer> q = new PlanQueue<>(Duration.ZERO, now::get);
    q.offer("a", 1);
    now.set(Duration.ofSeconds(1).toNanos());
    q.offer("b", 10);

    assertThat(q.take().stream()).isEqualTo("a");
  }

  @Test
  void shouldHandOutUpToTheMaximumInTurnSkippingStreamsThatAreRunning() throws Exception {
    PlanQueue<Integer> q = new PlanQueue<>();
    q.offer("a", 1);
    PlanQueue.Taken<Integer> running = q.take();
    q.offer("a", 2);
    q.offer("b", 3);
    q.offer("c", 4);
    q.offer("d", 5);

    var taken = q.take(2);

    assertThat(taken).extracting(PlanQueue.Taken::stream).containsExactly("b", "c");
    assertThat(q.take(8)).extracting(PlanQueue.Taken::stream).containsExactly("d");
    q.done(running.stream());
    assertThat(q.take(8)).extracting(PlanQueue.Taken::request).containsExactly(2);
  }

  @Test
  void shouldShareABurstAmongTheTakersWaitingForIt() throws Exception {
    PlanQueue<Integer> q = new PlanQueue<>();
    q.hold(true);
    var first = new java.util.concurrent.CompletableFuture<Integer>();
    var second = new java.util.concurrent.CompletableFuture<Integer>();
    Thread a = new Thread(() -> first.complete(takeQuietly(q)));
    Thread b = new Thread(() -> second.complete(takeQuietly(q)));
    a.start();
    b.start();
    while (q.takers() < 2) {
      Thread.onSpinWait();
    }
    for (int i = 0; i < 8; i++) {
      q.offer("s" + i, i);
    }

    q.hold(false);

    // Two idle takers split eight waiting requests: each takes its share, four.
    assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4);
    assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4);
    a.join();
    b.join();
  }

  @Test
  void shouldHandOutNothingOnceClosed() throws Exception {
    PlanQueue<Integer> q = new PlanQueue<>();
    q.offer("a", 1);

    q.close();

    assertThat(q.take(4)).isEmpty();
    assertThat(q.take()).isNull();
  }

  private static int takeQuietly(PlanQueue<Integer> q) {
    try {
      return q.take(8).size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
