package io.foresight.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestOptionsTest {
  @Test
  void shouldReadKeysFromAMapAndTheEnvironment() {
    IngestOptions a =
        IngestOptions.fromMap(
            Map.of("kafka.bootstrap.servers", "k:9", "robot.goal.tolerance", "2.5", "x.y", "z"));
    assertThat(a.bootstrapServers()).isEqualTo("k:9");
    assertThat(a.goalTolerance()).isEqualTo(2.5f);
    IngestOptions b =
        IngestOptions.fromEnvironment(Map.of("INGEST_COMPRESSION", "zstd", "PATH", "/bin"));
    assertThat(b.compression()).isEqualTo(Compression.ZSTD);
    assertThat(IngestOptions.fromMap(a.toMap())).isEqualTo(a);
  }

  @Test
  void shouldStillReadTheDeprecatedKeys() {
    IngestOptions o =
        IngestOptions.fromMap(Map.of("ingest.bootstrap.servers", "old:9", "ingest.linger.ms", "7"));
    assertThat(o.bootstrapServers()).isEqualTo("old:9");
    assertThat(o.lingerMs()).isEqualTo(7);
    assertThat(
            IngestOptions.fromEnvironment(Map.of("INGEST_BOOTSTRAP_SERVERS", "env:9"))
                .bootstrapServers())
        .isEqualTo("env:9");
    assertThat(IngestOptions.defaults().bootstrapServers()).isEqualTo("localhost:9092");
  }

  @Test
  void shouldNameTheKeyOfABadValue() {
    assertThatThrownBy(() -> IngestOptions.fromMap(Map.of("ingest.linger", "soon")))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("ingest.linger")
        .hasMessageContaining("'soon'");
    assertThatThrownBy(() -> IngestOptions.fromMap(Map.of("ingest.nope", "1")))
        .hasMessageContaining("unknown option 'ingest.nope'");
  }

  @Test
  void shouldListEveryKeyWithADefault() {
    assertThat(IngestOptions.keys()).isNotEmpty();
    Map<String, String> defaults = IngestOptions.defaults().toMap();
    IngestOptions.keys().forEach(k -> assertThat(defaults).containsKey(k.key()));
  }
}
