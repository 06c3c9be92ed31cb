package io.foresight.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.schemas.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputCheckTest {
  @Test
  void shouldBeExactWhenEveryFrameHasOneRecord() {
    OutputCheck.Tally t = new OutputCheck.Tally(Topics.LATENTS, Map.of("a", 2L, "b", 1L));
    t.add(new OutputCheck.Key("a", 0));
    t.add(new OutputCheck.Key("a", 1));
    assertThat(t.complete()).isFalse();
    t.add(new OutputCheck.Key("b", 0));
    assertThat(t.complete()).isTrue();
    assertThat(t.result().exact()).isTrue();
    assertThat(t.result().missing()).isZero();
  }

  @Test
  void shouldCountDuplicatesMissingAndUnexpectedSequences() {
    OutputCheck.Tally t = new OutputCheck.Tally(Topics.PREDICTIONS, Map.of("a", 3L));
    t.add(new OutputCheck.Key("a", 0));
    t.add(new OutputCheck.Key("a", 0));
    t.add(new OutputCheck.Key("a", 7));
    StreamsReport.Exactness e = t.result();
    assertThat(e.expected()).isEqualTo(3);
    assertThat(e.distinct()).isEqualTo(1);
    assertThat(e.duplicates()).isEqualTo(1);
    assertThat(e.missing()).isEqualTo(2);
    assertThat(e.unexpected()).isEqualTo(1);
    assertThat(e.exact()).isFalse();
  }

  @Test
  void shouldIgnoreStreamsOfOtherSteps() {
    OutputCheck.Tally t = new OutputCheck.Tally(Topics.LATENTS, Map.of("n4-robot-0", 1L));
    assertThat(t.add(new OutputCheck.Key("n2-robot-0", 0))).isFalse();
    assertThat(t.add(new OutputCheck.Key("warmup", 0))).isFalse();
    assertThat(t.result().distinct()).isZero();
  }
}
