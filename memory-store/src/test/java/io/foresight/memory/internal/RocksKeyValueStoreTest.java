package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksKeyValueStoreTest {
  private static Bytes b(String s) {
    return Bytes.wrap(s.getBytes());
  }

  private static List<String> keys(KeyValueIterator<Bytes, byte[]> it) {
    List<String> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(new String(kv.key.get())));
    }
    return out;
  }

  @Test
  void shouldPutGetDeleteAndScanRangesWithInclusiveBounds(@TempDir Path dir) {
    try (RocksKeyValueStore s = new RocksKeyValueStore("t").openAt(dir.toFile())) {
      for (String k : List.of("a", "b", "ba", "c", "d")) {
        s.put(b(k), k.getBytes());
      }
      assertThat(new String(s.get(b("ba")))).isEqualTo("ba");
      assertThat(keys(s.range(b("b"), b("c")))).containsExactly("b", "ba", "c");
      assertThat(keys(s.reverseRange(b("b"), b("c")))).containsExactly("c", "ba", "b");
      assertThat(keys(s.reverseRange(b("a"), b("bb")))).containsExactly("ba", "b", "a");
      assertThat(keys(s.all())).containsExactly("a", "b", "ba", "c", "d");
      assertThat(keys(s.reverseAll())).containsExactly("d", "c", "ba", "b", "a");
      assertThat(keys(s.prefixScan("b", Serdes.String().serializer()))).containsExactly("b", "ba");
      assertThat(s.delete(b("b"))).isEqualTo("b".getBytes());
      s.put(b("c"), null);
      assertThat(keys(s.all())).containsExactly("a", "ba", "d");
      s.putAll(List.of(KeyValue.pair(b("e"), new byte[] {1}), KeyValue.pair(b("a"), null)));
      assertThat(keys(s.all())).containsExactly("ba", "d", "e");
      assertThat(s.putIfAbsent(b("d"), new byte[] {9})).isEqualTo("d".getBytes());
      assertThat(s.persistent()).isTrue();
    }
  }

  @Test
  void shouldRestoreBatchesFromTheChangelogIncludingTombstones(@TempDir Path dir) {
    try (RocksKeyValueStore s = new RocksKeyValueStore("t").openAt(dir.toFile())) {
      s.put(b("x"), new byte[] {1});
      s.restoreAll(
          List.of(
              KeyValue.pair("y".getBytes(), new byte[] {2}), KeyValue.pair("x".getBytes(), null)));
      assertThat(keys(s.all())).containsExactly("y");
    }
  }

  @Test
  void shouldKeepDataAcrossReopenAndCloseIteratorsWithTheStore(@TempDir Path dir) {
    RocksKeyValueStore s = new RocksKeyValueStore("t").openAt(dir.toFile());
    s.put(b("k"), new byte[] {7});
    s.put(b("l"), new byte[] {8});
    s.flush();
    KeyValueIterator<Bytes, byte[]> open = s.all();
    open.next();
    s.close();
    assertThat(s.isOpen()).isFalse();
    assertThatThrownBy(open::next).isInstanceOf(InvalidStateStoreException.class);
    assertThatThrownBy(() -> s.get(b("k"))).isInstanceOf(InvalidStateStoreException.class);
    try (RocksKeyValueStore again = new RocksKeyValueStore("t").openAt(dir.toFile())) {
      assertThat(again.get(b("k"))).containsExactly(7);
    }
  }
}
