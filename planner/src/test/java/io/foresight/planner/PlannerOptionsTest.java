package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerOptionsTest {

  @Test
  void shouldReadPlannerKeysAndIgnoreOthers() {
    PlannerOptions o =
        PlannerOptions.fromMap(
            Map.of(
                "planner.samples", "256", "planner.algorithm", "mppi", "encoder.batch.size", "9"));

    assertThat(o.intValue(PlannerOptions.SAMPLES)).isEqualTo(256);
    assertThat(o.text(PlannerOptions.ALGORITHM)).isEqualTo("mppi");
    assertThat(o.newPlanner(ToyDynamics.echo())).isInstanceOf(MppiPlanner.class);
  }

  @Test
  void shouldNameAnUnknownKeyAndListTheKnownOnes() {
    assertThatThrownBy(() -> PlannerOptions.fromMap(Map.of("planner.sample", "3")))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("unknown option 'planner.sample'")
        .hasMessageContaining("planner.samples");
  }

  @Test
  void shouldNameTheKeyOfABadValue() {
    assertThatThrownBy(() -> PlannerOptions.fromMap(Map.of("planner.cost.norm", "L3")))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("bad value 'L3' for planner.cost.norm (expected L1|L2)");
    assertThatThrownBy(() -> PlannerOptions.fromMap(Map.of("planner.horizon", "0")))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("planner.horizon")
        .hasMessageContaining("must be >= 1");
  }

  @Test
  void shouldReadTheEnvironmentForm() {
    PlannerOptions o =
        PlannerOptions.fromEnvironment(Map.of("PLANNER_BUDGET_MS", "7", "PATH", "/bin"));

    assertThat(o.longValue(PlannerOptions.BUDGET_MS)).isEqualTo(7L);
    assertThat(PlannerOptions.BUDGET_MS.envName()).isEqualTo("PLANNER_BUDGET_MS");
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
}
