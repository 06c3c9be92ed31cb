package io.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class SimRecordsTest {

  @Test
  void shouldWriteThreeDecimalsAsFormatDoes() {
    double[] values = {0, 1, -1, 12.3456, -12.3454, 0.0004, 31.9999, 63.5, 5.0005, 0.1, 100.25};
    for (double v : values) {
      StringBuilder b = new StringBuilder();
      SimRecords.fixed3(b, v);
      assertThat(b.toString()).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.3f", v));
    }
  }

  @Test
  void shouldWriteASmallNegativeValueAsZero() {
    StringBuilder b = new StringBuilder();
    SimRecords.fixed3(b, -0.0001);
    assertThat(b.toString()).isEqualTo("0.000");
  }
}
