package io.foresight.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.pipeline.PipelineException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the deploy-under-load figure that need no stack. */
class DeployUnderLoadTest {
  @Test
  void shouldTakeTheNearestRankPercentile() {
    List<Double> s = List.of(0.5, 1.0, 1.5, 2.0);
    assertThat(DeployUnderLoad.rank(s, 0.50)).isEqualTo(1.0);
    assertThat(DeployUnderLoad.rank(s, 0.99)).isEqualTo(2.0);
    assertThat(DeployUnderLoad.rank(List.of(), 0.5)).isNull();
  }

  @Test
  void shouldRefuseADeployAfterTheRobotsStop() {
    DeployUnderLoad d = new DeployUnderLoad(null, 30, Path.of("m"), Path.of("w"));
    assertThatThrownBy(() -> d.check(30))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("--deploy-at 30.0 is not within --duration 30");
  }

  @Test
  void shouldRefuseANegativeTime() {
    assertThatThrownBy(() -> new DeployUnderLoad(null, -1, Path.of("m"), Path.of("w")))
        .hasMessageContaining("--deploy-at must be >= 0");
  }
}
