package io.foresight.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.encoders.EncoderOptions;
import io.foresight.planner.PlannerOptions;
import org.junit.jupiter.api.Test;

class ModelCostProbeTest {
  @Test
  void shouldMeasureTheShippedModelsCostAndThePredictionsBesideIt() {
    PlannerOptions planner = PlannerOptions.defaults();
    StreamsReport.ModelCost cost = ModelCostProbe.measure(EncoderOptions.defaults(), planner);

    assertThat(cost.encoderUsPerFrame()).isPositive();
    assertThat(cost.predictorUsPerPlan()).isPositive();
    assertThat(cost.predictHorizon()).isEqualTo(planner.get(PlannerOptions.PREDICT_HORIZON));
    assertThat(cost.predictionsUsPerFrame()).isPositive();
    // A frame's predictions (one sequence, horizon + 1 steps) are a fraction of a plan's search
    // (its iterations' populations over the horizon), and stay out of the limit.
    assertThat(cost.predictionsUsPerFrame()).isLessThan(cost.predictorUsPerPlan());
    assertThat(cost.modelUsPerFrame())
        .isCloseTo(
            cost.encoderUsPerFrame() + cost.predictorUsPerPlan(),
            org.assertj.core.api.Assertions.within(0.02));
  }
}
