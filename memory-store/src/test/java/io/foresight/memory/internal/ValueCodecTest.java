package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.memory.StoredLatent;
import io.foresight.memory.api.ModelId;
import io.foresight.memory.api.Reading;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
  private static final String SHA = "ab".repeat(32);

  @Test
  void shouldEncodeTimelineValueAsPinnedGoldenBytes() {
    byte[] v =
        ValueCodec.encodeLatent(
            "m",
            "1",
            new int[] {2},
            new float[] {1f, -2f},
            List.of(new Reading("p", 5, new double[] {0.5})));
    assertThat(HexFormat.of().formatHex(v))
        .isEqualTo(
            "01"
                + "010000006d"
                + "0100000031"
                + "0100000002000000"
                + "0000803f000000c0"
                + "01000000"
                + "0100000070"
                + "0500000000000000"
                + "01000000000000000000e03f");
  }

  @Test
  void shouldDecodeWhatItEncodes() {
    float[] latent = {0.25f, -1f, 3f, 4f, 5f, 6f};
    List<Reading> readings = List.of(new Reading("proprio", 99, new double[] {1, 2, 3}));
    byte[] key = KeyLayout.timeline("s", KeyLayout.sha(SHA), 100, 7);
    byte[] value = ValueCodec.encodeLatent("two-rooms", "1", new int[] {2, 3}, latent, readings);
    StoredLatent s = ValueCodec.decodeLatent(key, value);
    assertThat(s)
        .isEqualTo(
            new StoredLatent(
                "s",
                7,
                100,
                new ModelId("two-rooms", "1", SHA),
                new int[] {2, 3},
                latent,
                readings));
    float[] into = new float[8];
    assertThat(ValueCodec.readLatent(value, into, 2)).isEqualTo(6);
    assertThat(into).containsExactly(0, 0, 0.25f, -1f, 3f, 4f, 5f, 6f);
    assertThat(ValueCodec.latentLength(value)).isEqualTo(6);
  }

  @Test
  void shouldRoundTripActionsAndSignals() {
    byte[] a = ValueCodec.encodeAction(new float[] {0.5f, -1f}, 1, 42L, "p", 77);
    ValueCodec.StoredAction back = ValueCodec.decodeAction(a);
    assertThat(back.values()).containsExactly(0.5f, -1f);
    assertThat(back.frameSequence()).isEqualTo(42L);
    assertThat(back.planId()).isEqualTo("p");
    assertThat(back.timeUs()).isEqualTo(77);
    assertThat(
            ValueCodec.decodeAction(ValueCodec.encodeAction(new float[0], 0, null, null, 1))
                .frameSequence())
        .isNull();
    ValueCodec.Signals s = new ValueCodec.Signals(1.5, Double.NaN, 3, 4, 5);
    assertThat(ValueCodec.decodeSignals(ValueCodec.encodeSignals(s))).isEqualTo(s);
    assertThat(ValueCodec.decodeSignals(null).hasSurprise()).isFalse();
  }
}
