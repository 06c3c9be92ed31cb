package io.foresight.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {
  @Test
  void shouldSayHowLongUntilTheNextTickIsDue() {
    Pacer pacer = new Pacer(10);
    assertThat(pacer.nanosUntilNext()).isLessThanOrEqualTo(0);
    assertThat(pacer.awaitNext()).isTrue();
    long left = pacer.nanosUntilNext();
    assertThat(left).isPositive().isLessThanOrEqualTo(100_000_000L);
    assertThat(pacer.awaitNext()).isTrue();
    assertThat(pacer.nanosUntilNext()).isLessThanOrEqualTo(100_000_000L);
  }

  @Test
  void shouldNeverWaitAtRateZero() {
    Pacer pacer = new Pacer(0);
    assertThat(pacer.awaitNext()).isTrue();
    assertThat(pacer.nanosUntilNext()).isZero();
  }

  @Test
  void shouldRefuseABadRate() {
    assertThatThrownBy(() -> new Pacer(-1)).hasMessageContaining("rate must be");
    assertThatThrownBy(() -> new Pacer(Double.POSITIVE_INFINITY))
        .hasMessageContaining("rate must be");
  }
}
