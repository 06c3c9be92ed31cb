package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerOptionsTest {

  @Test
  void shouldReadPlannerKeysAndIgnoreOthers() {
    PlannerOptions o =
        PlannerOptions.fromMap(
            Map.of(
                "planner.samples", "256", "planner.algorithm", "mppi", "encoder.batch.size", "9"));

    assertThat(o.get(PlannerOptions.SAMPLES)).isEqualTo(256);
    assertThat(o.get(PlannerOptions.ALGORITHM)).isEqualTo("mppi");
    assertThat(Planners.create(o, ToyDynamics.echo())).isInstanceOf(MppiPlanner.class);
  }

  @Test
  void shouldNameAnUnknownKeyAndTheClosestKnownOne() {
    assertThatThrownBy(() -> PlannerOptions.fromMap(Map.of("planner.sample", "3")))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("unknown option 'planner.sample'")
        .hasMessageContaining("planner.samples");
  }

  @Test
  void shouldNameTheKeyOfABadValue() {
    assertThatThrownBy(() -> PlannerOptions.fromMap(Map.of("planner.cost.norm", "L3")))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining(
            "bad value 'L3' for planner.cost.norm (env PLANNER_COST_NORM): expected L1|L2");
    assertThatThrownBy(() -> PlannerOptions.fromMap(Map.of("planner.horizon", "0")))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("planner.horizon")
        .hasMessageContaining("expected int >= 1");
    assertThatThrownBy(() -> PlannerOptions.fromMap(Map.of("planner.device", "tpu")))
        .hasMessageContaining("expected auto|cpu|cuda|cuda:N");
  }

  @Test
  void shouldReadTheEnvironmentFormAndTheOldMillisecondVariable() {
    PlannerOptions o =
        PlannerOptions.fromEnvironment(Map.of("PLANNER_BUDGET", "7ms", "PATH", "/bin"));

    assertThat(o.get(PlannerOptions.BUDGET)).isEqualTo(Duration.ofMillis(7));
    assertThat(PlannerOptions.BUDGET.envName()).isEqualTo("PLANNER_BUDGET");
    assertThat(
            PlannerOptions.fromEnvironment(Map.of("PLANNER_BUDGET_MS", "9"))
                .get(PlannerOptions.BUDGET))
        .isEqualTo(Duration.ofMillis(9));
  }

  @Test
  void shouldRoundTripThroughItsMapForm() {
    PlannerOptions o = PlannerOptions.builder().set("planner.cem.elites", "12").build();

    assertThat(PlannerOptions.fromMap(o.toMap())).isEqualTo(o);
    assertThat(o.toMap()).hasSize(PlannerOptions.keys().size());
  }

  @Test
  void shouldBuildTheCostItNames() {
    PlannerOptions o =
        PlannerOptions.fromMap(
            Map.of("planner.cost.norm", "l1", "planner.cost.aggregation", "sum"));

    assertThat(o.cost()).isEqualTo(new Cost(Cost.Norm.L1, Cost.Aggregation.SUM));
  }

  @Test
  void shouldDeclareTheDeviceLikeTheEncoder() {
    assertThat(PlannerOptions.DEVICE.type()).isSameAs(io.foresight.schemas.config.ValueType.DEVICE);
    assertThat(PlannerOptions.DEVICE.type().text()).isEqualTo("auto|cpu|cuda|cuda:N");
    assertThat(PlannerOptions.defaults().get(PlannerOptions.DEVICE)).isEqualTo("cpu");
    assertThat(PlannerOptions.fromMap(Map.of("planner.device", "AUTO")).get(PlannerOptions.DEVICE))
        .isEqualTo("auto");
  }
}
