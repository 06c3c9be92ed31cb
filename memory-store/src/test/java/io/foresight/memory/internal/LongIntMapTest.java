package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongIntMapTest {
  @Test
  void shouldBehaveLikeAHashMapUnderRandomPutsAndRemoves() {
    LongIntMap m = new LongIntMap();
    Map<Long, Integer> ref = new HashMap<>();
    Random r = new Random(3);
    for (int i = 0; i < 200_000; i++) {
      long k = r.nextInt(5000) - 2500L;
      if (r.nextInt(3) == 0) {
        assertThat(m.remove(k)).isEqualTo(ref.containsKey(k) ? ref.remove(k) : -1);
      } else {
        int v = r.nextInt(1000);
        Integer old = ref.put(k, v);
        assertThat(m.put(k, v)).isEqualTo(old == null ? -1 : old);
      }
    }
    assertThat(m.size()).isEqualTo(ref.size());
    for (long k = -2600; k < 2600; k++) {
      assertThat(m.get(k)).isEqualTo(ref.getOrDefault(k, -1));
    }
  }
}
