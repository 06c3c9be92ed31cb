package io.foresight.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

  @Test
  void shouldReportPercentilesWithinAThousandthAndTheExactMeanAndMax() {
    long[] nanos = new long[1000];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (i + 1) * 1_000L; // 1 .. 1000 us
    }
    Map<String, Object> m = LatencyStats.summary(nanos, nanos.length);
    assertThat(m).containsOnlyKeys("count", "p50_us", "p99_us", "mean_us", "max_us");
    assertThat(m.get("count")).isEqualTo(1000);
    assertThat((double) m.get("p50_us")).isCloseTo(500.0, within(0.5));
    assertThat((double) m.get("p99_us")).isCloseTo(990.0, within(1.0));
    assertThat(m.get("mean_us")).isEqualTo(500.5);
    assertThat(m.get("max_us")).isEqualTo(1000.0);
  }

  @Test
  void shouldUseOnlyTheFirstNValuesAndReportJustTheCountWhenEmpty() {
    assertThat(LatencyStats.summary(new long[] {5_000, 1_000_000}, 1).get("max_us")).isEqualTo(5.0);
    assertThat(LatencyStats.summary(new long[4], 0)).containsOnlyKeys("count");
  }
}
