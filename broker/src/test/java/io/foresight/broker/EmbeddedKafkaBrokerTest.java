package io.foresight.broker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

  @Test
  void shouldRequireADataDirectory() {
    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().build())
        .isInstanceOf(BrokerException.class)
        .hasMessageContaining("dataDir");
  }

  @Test
  void shouldRefuseOutOfRangeAndEqualPorts() {
    assertThatThrownBy(
            () -> EmbeddedKafkaBroker.builder().dataDir(Path.of("x")).port(70000).build())
        .isInstanceOf(BrokerException.class)
        .hasMessageContaining("0..65535");
    assertThatThrownBy(
            () ->
                EmbeddedKafkaBroker.builder()
                    .dataDir(Path.of("x"))
                    .port(9092)
                    .controllerPort(9092)
                    .build())
        .isInstanceOf(BrokerException.class)
        .hasMessageContaining("must differ");
  }

  @Test
  void shouldSayTheBrokerIsNotStarted() {
    assertThatThrownBy(
            () -> EmbeddedKafkaBroker.builder().dataDir(Path.of("x")).build().bootstrapServers())
        .isInstanceOf(BrokerException.class)
        .hasMessageContaining("start()");
  }

  @Test
  void shouldRefuseZeroPartitions() {
    assertThatThrownBy(() -> TopicAdmin.createTopics("127.0.0.1:1", 0))
        .isInstanceOf(BrokerException.class)
        .hasMessageContaining("at least 1");
  }
}
