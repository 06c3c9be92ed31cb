package io.foresight.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryOptionsTest {
  @Test
  void shouldHaveDocumentedDefaults() {
    MemoryOptions o = MemoryOptions.defaults();
    assertThat(o.httpPort()).isEqualTo(8090);
    assertThat(o.bootstrap()).isEqualTo("localhost:9092");
    assertThat(o.processingGuarantee()).isEqualTo(MemoryOptions.ProcessingGuarantee.AT_LEAST_ONCE);
    assertThat(o.retentionMaxAge()).isEqualTo(Duration.ZERO);
    assertThat(o.retentionMaxCount()).isZero();
    assertThat(o.latentsTopic()).isEqualTo("foresight.latents");
    assertThat(o.indexExactThreshold()).isEqualTo(20_000);
    assertThat(MemoryOptions.keys())
        .allMatch(k -> k.key().startsWith("memory.") || k.key().equals("kafka.bootstrap.servers"));
  }

  @Test
  void shouldReadKeysFromAMapAndTheEnvironment() {
    MemoryOptions o =
        MemoryOptions.fromMap(
            Map.of(
                "memory.retention.max.age", "7d",
                "memory.processing.guarantee", "exactly_once_v2",
                "memory.http.port", "0",
                "memory.kafka.session.timeout.ms", "6000",
                "unrelated.key", "x"));
    assertThat(o.retentionMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(o.processingGuarantee())
        .isEqualTo(MemoryOptions.ProcessingGuarantee.EXACTLY_ONCE_V2);
    assertThat(o.httpPort()).isZero();
    assertThat(o.kafkaOverrides()).containsEntry("session.timeout.ms", "6000");
    MemoryOptions env =
        MemoryOptions.fromEnvironment(
            Map.of("MEMORY_HTTP_PORT", "9000", "MEMORY_RETENTION_MAX_COUNT", "500"));
    assertThat(env.httpPort()).isEqualTo(9000);
    assertThat(env.retentionMaxCount()).isEqualTo(500);
    assertThat(MemoryOptions.RETENTION_MAX_COUNT.envName()).isEqualTo("MEMORY_RETENTION_MAX_COUNT");
  }

  @Test
  void shouldStillReadTheKebabCaseKeysAndTheOldBootstrapKey() {
    MemoryOptions o =
        MemoryOptions.fromMap(
            Map.of(
                "memory.retention.max-age", "7d",
                "memory.processing-guarantee", "exactly_once_v2",
                "memory.bootstrap", "old:9092"));
    assertThat(o.retentionMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(o.processingGuarantee())
        .isEqualTo(MemoryOptions.ProcessingGuarantee.EXACTLY_ONCE_V2);
    assertThat(o.bootstrap()).isEqualTo("old:9092");
    assertThat(MemoryOptions.fromEnvironment(Map.of("MEMORY_BOOTSTRAP", "env:1")).bootstrap())
        .isEqualTo("env:1");
  }

  @Test
  void shouldParseDurationsInEveryDocumentedForm() {
    assertThat(age("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(age("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(age("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(age("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(age("PT1S")).isEqualTo(Duration.ofSeconds(1));
    assertThat(age("0")).isEqualTo(Duration.ZERO);
  }

  private static Duration age(String text) {
    return MemoryOptions.fromMap(Map.of("memory.retention.max.age", text)).retentionMaxAge();
  }

  @Test
  void shouldRefuseBadValuesWithTheKeyAndWhatIsExpected() {
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.retention.max.age", "soon")))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("memory.retention.max.age")
        .hasMessageContaining("MEMORY_RETENTION_MAX_AGE")
        .hasMessageContaining("expected duration");
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.http.port", "70000")))
        .hasMessageContaining("bad value '70000' for memory.http.port")
        .hasMessageContaining("expected int in 0..65535");
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.processing.guarantee", "twice")))
        .hasMessageContaining("at_least_once|exactly_once_v2");
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.retention.maxage", "1d")))
        .hasMessageContaining("unknown option 'memory.retention.maxage'")
        .hasMessageContaining("memory.retention.max.age");
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.model.dims", "abc=64")))
        .hasMessageContaining("memory.model.dims");
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.index.ef.construction", "4")))
        .hasMessageContaining("memory.index.ef.construction (4) must be >= memory.index.m (16)");
  }

  @Test
  void shouldBatchFetchesByDefault() {
    MemoryOptions o = MemoryOptions.defaults();
    assertThat(o.fetchMinBytes()).isEqualTo(65_536);
    assertThat(o.fetchMaxWait()).isEqualTo(Duration.ofMillis(100));
    java.util.Properties p =
        MemoryService.streamsConfig(o, new org.apache.kafka.streams.state.HostInfo("h", 1));
    assertThat(p).containsEntry("main.consumer.fetch.min.bytes", 65_536);
    assertThat(p).containsEntry("main.consumer.fetch.max.wait.ms", 100);
    MemoryOptions off =
        MemoryOptions.fromMap(
            Map.of("memory.fetch.min.bytes", "1", "memory.fetch.max.wait", "500ms"));
    assertThat(off.fetchMinBytes()).isEqualTo(1);
    assertThat(off.fetchMaxWait()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void shouldRefuseFetchSettingsOutOfRange() {
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.fetch.min.bytes", "0")))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("memory.fetch.min.bytes")
        .hasMessageContaining("expected int in 1..16777216");
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.fetch.max.wait", "0")))
        .hasMessageContaining("memory.fetch.max.wait")
        .hasMessageContaining("expected duration in 1ms..30s");
    assertThatThrownBy(() -> MemoryOptions.fromMap(Map.of("memory.fetch.max.wait", "1m")))
        .hasMessageContaining("memory.fetch.max.wait")
        .hasMessageContaining("expected duration in 1ms..30s");
  }

  @Test
  void shouldAdvertiseTheHostNameWhenBoundToEveryAddress() throws Exception {
    // loopback would make every instance look the same to its peers
    assertThat(
            MemoryOptions.builder()
                .set(MemoryOptions.HTTP_HOST, "0.0.0.0")
                .build()
                .advertisedHost())
        .isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
    assertThat(
            MemoryOptions.builder()
                .set(MemoryOptions.HTTP_HOST, "0.0.0.0")
                .set(MemoryOptions.HTTP_ADVERTISED_HOST, "memory-1")
                .build()
                .advertisedHost())
        .isEqualTo("memory-1");
    assertThat(
            MemoryOptions.fromMap(Map.of("memory.model.dims", "AB".repeat(32) + "=64")).modelDims())
        .containsEntry("ab".repeat(32), 64);
  }
}
