package io.foresight.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.schemas.Examples;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.SensorReading;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadingAlignerTest {
  private KeyedTwoInputStreamOperatorTestHarness<String, LatentState, SensorReading, LatentState>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(
                new ReadingAligner(
                    Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMinutes(10))),
            LatentState::getStreamId,
            SensorReading::getStreamId,
            Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static LatentState latent(long seq, long timeUs) {
    return LatentState.newBuilder(Examples.latentState())
        .setSequence(seq)
        .setTimeUs(timeUs)
        .setLatent(Tensors.tensor(new float[] {seq}, 1))
        .setReadings(List.of())
        .build();
  }

  private static SensorReading reading(long timeUs, double x) {
    return SensorReading.newBuilder(Examples.sensorReading())
        .setTimeUs(timeUs)
        .setValues(List.of(x))
        .setNames(null)
        .build();
  }

  private List<LatentState> output() {
    return harness.extractOutputValues();
  }

  @Test
  void shouldPassLatentsThroughAtOnceWhenTheStreamHasNoSensors() throws Exception {
    harness.processElement1(latent(1, 1_000_000), 0);
    assertThat(output()).hasSize(1);
    assertThat(output().get(0).getReadings()).isEmpty();
  }

  @Test
  void shouldAttachTheLatestReadingAtOrBeforeTheFrame() throws Exception {
    harness.processElement2(reading(900_000, 1.0), 0);
    harness.processElement2(reading(990_000, 2.0), 0);
    harness.processElement2(reading(1_010_000, 3.0), 0);
    harness.processElement1(latent(1, 1_000_000), 0);
    assertThat(output()).hasSize(1);
    assertThat(output().get(0).getReadings()).hasSize(1);
    assertThat(output().get(0).getReadings().get(0).getValues()).containsExactly(2.0);
    assertThat(output().get(0).getReadings().get(0).getTimeUs()).isEqualTo(990_000);
  }

  @Test
  void shouldWaitForALateReadingThenAttachIt() throws Exception {
    harness.processElement2(reading(900_000, 1.0), 0);
    harness.processElement1(latent(1, 1_000_000), 0);
    assertThat(output()).as("waits: the readings have not reached the frame's time").isEmpty();
    harness.processElement2(reading(1_000_000, 5.0), 0);
    assertThat(output()).hasSize(1);
    assertThat(output().get(0).getReadings().get(0).getValues()).containsExactly(5.0);
  }

  @Test
  void shouldStopWaitingAfterTheMaximumWaitAndKeepOrder() throws Exception {
    harness.processElement2(reading(900_000, 1.0), 0);
    harness.processElement1(latent(1, 1_000_000), 0);
    harness.processElement1(latent(2, 1_100_000), 0);
    assertThat(output()).isEmpty();
    harness.setProcessingTime(60);
    assertThat(output()).extracting(LatentState::getSequence).containsExactly(1L, 2L);
    assertThat(output().get(0).getReadings().get(0).getValues()).containsExactly(1.0);
    assertThat(output().get(1).getReadings())
        .as("the only reading is 200 ms older than frame 2: beyond the tolerance")
        .isEmpty();
  }

  @Test
  void shouldNotAttachReadingsOlderThanTheTolerance() throws Exception {
    harness.processElement2(reading(500_000, 1.0), 0);
    harness.processElement2(reading(2_000_000, 9.0), 0);
    harness.processElement1(latent(1, 1_000_000), 0);
    assertThat(output()).hasSize(1);
    assertThat(output().get(0).getReadings()).isEmpty();
  }

  @Test
  void shouldKeepTheNewestSixteenReadingsSortedWhateverOrderTheyCameIn() {
    ReadingAligner.History h = null;
    long[] arrival = {5, 1, 9, 3, 7, 2, 8, 4, 6, 0, 19, 11, 15, 13, 17, 12, 18, 14, 16, 10};
    for (long t : arrival) {
      h = ReadingAligner.withReading(h, t, new double[] {t});
    }

    assertThat(h.timesUs())
        .containsExactly(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    for (int i = 0; i < 16; i++) {
      assertThat(h.values()[i][0]).isEqualTo((double) h.timesUs()[i]);
    }
  }
}
