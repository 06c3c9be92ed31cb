package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.memory.MemoryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String SHA =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

  @Test
  void shouldEncodeTimelineKeyAsPinnedGoldenBytes() {
    byte[] key = KeyLayout.timeline("r1", KeyLayout.sha(SHA), 1_700_000_000_000_000L, 42);
    assertThat(HEX.formatHex(key))
        .isEqualTo(
            "72310001"
                + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
                + "80060a24181e4000"
                + "800000000000002a");
  }

  @Test
  void shouldEscapeZeroBytesInStreamIdsAsPinnedGoldenBytes() {
    assertThat(HEX.formatHex(KeyLayout.streamPrefix("a\0b"))).isEqualTo("6100ff620001");
    assertThat(HEX.formatHex(KeyLayout.streamPrefix(""))).isEqualTo("0001");
    assertThat(HEX.formatHex(KeyLayout.action("r1", -1, 7)))
        .isEqualTo("723100017fffffffffffffff8000000000000007");
    assertThat(HEX.formatHex(KeyLayout.signal("r1", 3))).isEqualTo("723100018000000000000003");
  }

  @Test
  void shouldOrderKeysLikeTheirTuples() {
    byte[] sha = KeyLayout.sha(SHA);
    List<byte[]> keys = new ArrayList<>();
    String[] streams = {"", "a", "a\0", "a\0b", "ab", "b", "é"};
    long[] times = {Long.MIN_VALUE, -5, -1, 0, 1, 1000, Long.MAX_VALUE};
    for (String s : streams) {
      for (long t : times) {
        for (long q : new long[] {-1, 0, 1}) {
          keys.add(KeyLayout.timeline(s, sha, t, q));
        }
      }
    }
    List<byte[]> sorted = new ArrayList<>(keys);
    sorted.sort(Arrays::compareUnsigned);
    assertThat(sorted).containsExactlyElementsOf(keys);
  }

  @Test
  void shouldKeepEveryStreamInsideItsPrefixRange() {
    byte[] sha = KeyLayout.sha(SHA);
    byte[] prefix = KeyLayout.modelPrefix("a", sha);
    byte[] end = KeyLayout.prefixEnd(prefix);
    byte[] inside = KeyLayout.timeline("a", sha, Long.MAX_VALUE, Long.MAX_VALUE);
    assertThat(Arrays.compareUnsigned(inside, prefix)).isPositive();
    assertThat(Arrays.compareUnsigned(inside, end)).isNegative();
    for (String other : new String[] {"a\0", "ab", "", "`"}) {
      byte[] k = KeyLayout.timeline(other, sha, 0, 0);
      boolean in = Arrays.compareUnsigned(k, prefix) >= 0 && Arrays.compareUnsigned(k, end) < 0;
      assertThat(in).as("stream %s inside the range of 'a'", other).isFalse();
    }
  }

  @Test
  void shouldBoundTimeRangesWithTheFromKeyInclusiveAndTheToKeyExclusive() {
    byte[] sha = KeyLayout.sha(SHA);
    byte[] prefix = KeyLayout.modelPrefix("s", sha);
    byte[] from = KeyLayout.timelineFrom(prefix, 100);
    byte[] to = KeyLayout.timelineFrom(prefix, 200);
    assertThat(Arrays.compareUnsigned(KeyLayout.timeline("s", sha, 100, Long.MIN_VALUE), from))
        .isGreaterThanOrEqualTo(0);
    assertThat(Arrays.compareUnsigned(KeyLayout.timeline("s", sha, 99, Long.MAX_VALUE), from))
        .isNegative();
    assertThat(Arrays.compareUnsigned(KeyLayout.timeline("s", sha, 199, Long.MAX_VALUE), to))
        .isNegative();
    assertThat(Arrays.compareUnsigned(KeyLayout.timeline("s", sha, 200, Long.MIN_VALUE), to))
        .isPositive();
  }

  @Test
  void shouldDecodeWhatItEncodes() {
    byte[] key = KeyLayout.timeline("robot\0é", KeyLayout.sha(SHA), -12, 99);
    assertThat(KeyLayout.decodeTimeline(key))
        .isEqualTo(new KeyLayout.TimelineKey("robot\0é", SHA, -12, 99));
    assertThat(KeyLayout.stream(key)).isEqualTo("robot\0é");
    assertThat(KeyLayout.timelineTime(key)).isEqualTo(-12);
    assertThat(KeyLayout.timelineSequence(key)).isEqualTo(99);
  }

  @Test
  void shouldRefuseAModelHashThatIsNot64HexDigits() {
    assertThatThrownBy(() -> KeyLayout.sha("abc"))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("64 hex digits");
    assertThatThrownBy(() -> KeyLayout.sha("z".repeat(64)))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("64 hex digits");
  }

  @Test
  void shouldRefuseACorruptKey() {
    assertThatThrownBy(() -> KeyLayout.decodeTimeline(new byte[] {1, 2, 3}))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("terminator");
  }
}
