package io.foresight.sim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class WorldConfigTest {
  @Test
  void shouldRefuseADoorTooNarrowForTheAgent() {
    assertThatThrownBy(() -> WorldConfig.builder().doorHeight(6).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent can never pass");
  }

  @Test
  void shouldRefuseViolationsWithoutKinds() {
    assertThatThrownBy(
            () -> WorldConfig.builder().violationRate(0.1).violationKinds(Set.of()).build())
        .hasMessageContaining("at least one violation kind");
  }

  @Test
  void shouldRefuseAViolationRateOutsideZeroToOne() {
    assertThatThrownBy(() -> WorldConfig.builder().violationRate(1.5).build())
        .hasMessageContaining("[0, 1]");
  }

  @Test
  void shouldRoundTripThroughItsBuilder() {
    WorldConfig c = WorldConfig.builder().balls(2).violationRate(0.1).size(96, 80).build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
