package io.foresight.tools.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.planner.LandmarkGraph;
import io.foresight.planner.PlannerOptions;
import io.foresight.schemas.ModelCard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanningEvaluationTest {

  @Test
  void shouldRunClosedLoopEpisodesAndReportTheFigures(@TempDir Path tmp) throws Exception {
    Path dir = io.foresight.planner.ToyModel.dir();
    PlannerOptions o =
        PlannerOptions.builder()
            .set(PlannerOptions.MODEL_DIR, Optional.of(dir))
            .set(PlannerOptions.THREADS, 1)
            .set(PlannerOptions.SAMPLES, 16)
            .set(PlannerOptions.HORIZON, 3)
            .build();
    Path graph = tmp.resolve("g.bin");
    List<String> log = new ArrayList<>();

    Map<String, Object> r =
        PlanningEvaluation.run(
            new PlanningEvaluation.Settings(2, 3, 5, 4f, o, true, null, 4, 10, 0.5f, 1f, graph, 2),
            log::add);

    assertThat(r)
        .containsKeys(
            "success_rate",
            "success_rate_same_room",
            "success_rate_other_room",
            "mean_steps_to_goal",
            "plan_ms_p50",
            "plan_ms_p99");
    assertThat(r.get("planner")).isEqualTo("cem+subgoals");
    assertThat((double) r.get("success_rate")).isBetween(0.0, 1.0);
    assertThat(r.get("plans")).isEqualTo(10);
    assertThat(LandmarkGraph.load(graph).size()).isPositive();
    assertThat(log).isNotEmpty();
  }

  @Test
  void shouldReachEveryGoalWithTheShippedModelAndGraph() throws Exception {
    PlannerOptions o = PlannerOptions.builder().set(PlannerOptions.THREADS, 1).build();
    Path graph = ModelCard.shippedDir().resolve("landmarks.bin");
    List<String> log = new ArrayList<>();

    Map<String, Object> r =
        PlanningEvaluation.run(
            new PlanningEvaluation.Settings(
                6, 1, 100, 4f, o, true, graph, 3000, 40, 1.0f, 1.5f, null, 20),
            log::add);

    // docs/benchmarks.md: success 1.00 on 100 episodes of seed 1 (same room and other room); the
    // first six of them must all succeed
    assertThat((double) r.get("success_rate")).as("success rate; log: %s", log).isEqualTo(1.0);
    assertThat(r.get("planner")).isEqualTo("cem+subgoals");
  }
}
