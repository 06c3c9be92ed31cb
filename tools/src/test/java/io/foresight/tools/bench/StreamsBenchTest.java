package io.foresight.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.schemas.Topics;
import io.foresight.sim.robot.FleetReport;
import io.foresight.sim.robot.RobotStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StreamsBenchTest {
  private static final StreamsReport.ModelCost COST =
      new StreamsReport.ModelCost(
          "models/two-rooms", 32, 100, "cem", 128, 5, 3, 1920, 900, 5, 40, 1000);

  /** The probe after a step, on a slower machine than {@link #COST} before it. */
  private static final StreamsReport.ModelCost COST_AFTER =
      new StreamsReport.ModelCost(
          "models/two-rooms", 32, 120, "cem", 128, 5, 3, 1920, 1100, 5, 60, 1220);

  private static final StreamsReport.StepModelCost STEP_COST =
      StreamsReport.StepModelCost.of(COST, COST_AFTER);

  /** A robots' report: {@code frames} frames, p99 {@code p99Ms}, fresh and goals as given. */
  static FleetReport robots(int n, long frames, long p99Ms, double fresh, long reached, long out) {
    Histogram h = RobotStats.newLatencyHistogram();
    for (int i = 0; i < 100; i++) {
      h.recordValue(i < 95 ? 20_000 : p99Ms * 1000); // p50 and p95 20 ms, p99 p99Ms
    }
    List<FleetReport.Robot> per = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      per.add(
          new FleetReport.Robot("n" + n + "-robot-" + i, frames / n, frames / n - 1, 0, 0, 0, 0));
    }
    return new FleetReport(
        n,
        10,
        n,
        10.0,
        100,
        frames,
        frames - n,
        0,
        30,
        100,
        Math.round(fresh * 100),
        fresh,
        frames / 2,
        0,
        7,
        frames / 2,
        0,
        FleetReport.Goals.of(reached, out, n),
        FleetReport.Latency.of(h),
        null,
        per,
        4.0);
  }

  static OutputCheck.Result exact(long frames) {
    return new OutputCheck.Result(
        new StreamsReport.Exactness(Topics.LATENTS, frames, frames, 0, 0, 0, true),
        new StreamsReport.Exactness(Topics.PREDICTIONS, frames, frames, 0, 0, 0, true));
  }

  @Test
  void shouldLeaveTheHarnessThreadsOutOfTheJob() {
    // 8 CPU s of the stack's JVM: 2 the broker's, 0.5 the harness's (measuring, reading the
    // robots' output), so 5.5 the job's.
    StreamsBench.Cpu cpu =
        new StreamsBench.Cpu(10, 400, 4, 8, 2, 2, 1, 2, 0.5, 17, 1.5, 1.5, 2, 0.5);
    assertThat(cpu.job()).isEqualTo(5.5);
    StreamsReport.Step s =
        StreamsBench.step(
            4, "n4-robot", robots(4, 400, 60, 0.97, 19, 1), exact(400), null, cpu, STEP_COST, 0);
    assertThat(s.cpuSecondsPerFrame().harness()).isEqualTo(0.00125);
    assertThat(s.cpuSecondsPerFrame().job()).isEqualTo(0.01375);
    assertThat(s.cpuSecondsPerFrame().harnessCpuS()).isEqualTo(0.5);
  }

  @Test
  void shouldComputeRatesCpuPerFrameAndCpuOverModelCost() {
    FleetReport r = robots(4, 400, 60, 0.97, 19, 1);
    StreamsReport.Step s =
        StreamsBench.step(
            4,
            "n4-robot",
            r,
            exact(400),
            null,
            new StreamsBench.Cpu(10, 400, 4, 8, 2, 2, 1, 2, 0.5, 17, 1.5, 1.5, 2, 0),
            STEP_COST,
            0);
    assertThat(s.framesPerS()).isEqualTo(40.0);
    assertThat(s.latentsPerS()).isEqualTo(40.0);
    assertThat(s.plansPerS()).isEqualTo(20.0);
    assertThat(s.plansSkipped()).isEqualTo(7);
    assertThat(s.goals().attempted()).isEqualTo(20);
    assertThat(s.goals().successRate()).isEqualTo(0.95);
    assertThat(s.cpuSecondsPerFrame().stack()).isEqualTo(0.02);
    assertThat(s.cpuSecondsPerFrame().robots()).isEqualTo(0.01);
    assertThat(s.cpuSecondsPerFrame().memoryStore()).isEqualTo(0.005);
    assertThat(s.cpuSecondsPerFrame().job()).isEqualTo(0.015);
    assertThat(s.cpuSecondsPerFrame().broker()).isEqualTo(0.005);
    // The machine over the 10 s window: 17 busy, 1.5 stolen and 1.5 idle CPU seconds.
    // Of the job's 6 CPU s, its planner threads took 2: 200 plans over the robots' 10 s, all in
    // the 10 s window, so 10 ms per plan against the predictor's 1000 us, and the other 4 s are
    // 10 ms per frame against the encoder's 110 us.
    // Of the rest's 10,000 us per frame, 110 are the encoder's and (40 + 60) / 2 = 50 the
    // predictions' (the probes' means): 9,840 us outside the model.
    assertThat(s.jobSplit())
        .isEqualTo(new StreamsReport.JobSplit(10_000.0, 10.0, 10_000.0, 90.91, 9_840.0));
    assertThat(s.cpuSecondsPerFrame().machineCores())
        .isEqualTo(new StreamsReport.MachineCores(1.7, 0.15, 0.15));
    assertThat(StreamsBench.summary(s)).contains("machine cores: busy 1.70, steal 0.15, idle 0.15");
    // The job: 6 CPU s over 400 frames = 15 ms per frame, against the model's work per frame from
    // the means of the probes before and after the step: the encoder's (100 + 120) / 2 = 110 us
    // and half a search (200 plans for 400 frames) of (900 + 1100) / 2 = 1000 us = 610 us.
    assertThat(s.modelCost().encoderUsPerFrame()).isEqualTo(110.0);
    assertThat(s.modelCost().predictorUsPerPlan()).isEqualTo(1000.0);
    assertThat(s.cpuPerFrameVsModel()).isCloseTo(24.59, within(1e-9));
    assertThat(s.frameToPlanMs().p99()).isBetween(59.9, 60.1);
  }

  @Test
  void shouldPickTheLargestNThatMeetsEveryCriterionAsTheKnee() {
    StreamsReport.Step ok8 = step(8, 60, 0.99, 20, 0);
    StreamsReport.Step ok16 = step(16, 95, 0.96, 40, 1);
    StreamsReport.Step slow32 = step(32, 180, 0.99, 60, 0);
    StreamsReport.Step stale64 = step(64, 50, 0.90, 60, 0);
    assertThat(Knee.of(List.of(ok8, ok16, slow32, stale64))).isEqualTo(16);
    assertThat(Knee.of(List.of(slow32, stale64))).isNull();
    assertThat(Knee.qualifies(step(8, 60, 0.99, 18, 2))).isFalse(); // 0.9 success
  }

  @Test
  void shouldNotQualifyAStepWithoutLatencySamplesOrEndedGoals() {
    StreamsReport.Step noGoals = step(8, 60, 0.99, 0, 0);
    assertThat(noGoals.goals().successRate()).isNull();
    assertThat(Knee.qualifies(noGoals)).isFalse();
  }

  @Test
  void shouldWriteEveryFieldTheSmokeCheckReadsInSnakeCase() throws Exception {
    StreamsReport.Step s = step(4, 60, 0.97, 19, 1);
    StreamsReport report =
        new StreamsReport(
            "foresight bench streams",
            "2026-12-01T00:00:00Z",
            Map.of("cores", 2),
            Map.of("robots", List.of(4)),
            Knee.of(List.of(s)),
            Knee.CRITERIA,
            COST,
            Map.of("stack", "this JVM"),
            new StreamsReport.StackWarmup(16, 3, 150.5, 0.02, true, 0.05),
            List.of(s));
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("knee_robots").asInt()).isEqualTo(4);
    assertThat(json.get("model_cost").fieldNames())
        .toIterable()
        .contains(
            "encoder_us_per_frame",
            "predictor_us_per_plan",
            "samples",
            "horizon",
            "iterations",
            "predict_horizon",
            "predictions_us_per_frame",
            "model_us_per_frame");
    JsonNode step = json.get("steps").get(0);
    assertThat(step.fieldNames())
        .toIterable()
        .contains(
            "robots",
            "frames_per_s",
            "latents_per_s",
            "plans_per_s",
            "fresh_step_fraction",
            "frame_to_plan_ms",
            "plan_stages_ms",
            "goals",
            "plans_skipped",
            "latents_exact",
            "predictions_exact",
            "cpu_seconds_per_frame",
            "cpu_per_frame_vs_model",
            "model_cost");
    assertThat(step.get("model_cost").fieldNames())
        .toIterable()
        .contains(
            "encoder_us_before",
            "encoder_us_after",
            "predictor_us_before",
            "predictor_us_after",
            "encoder_us_per_frame",
            "predictor_us_per_plan",
            "predictions_us_per_frame");
    assertThat(step.get("job_split").fieldNames())
        .toIterable()
        .contains(
            "planners_us_per_plan",
            "planners_vs_predictor",
            "rest_us_per_frame",
            "rest_vs_encoder",
            "rest_outside_model_us_per_frame");
    assertThat(step.get("frame_to_plan_ms").fieldNames())
        .toIterable()
        .contains("p50", "p95", "p99");
    assertThat(step.get("plan_stages_ms").fieldNames())
        .toIterable()
        .contains(
            "capture_to_world_model",
            "queued",
            "search",
            "capture_to_emit",
            "new_goal_capture_to_emit");
    assertThat(step.get("goals").fieldNames())
        .toIterable()
        .contains("attempted", "reached", "success_rate");
    assertThat(step.get("latents_exact").fieldNames())
        .toIterable()
        .contains("expected", "distinct", "duplicates", "missing", "exact");
    assertThat(step.get("cpu_seconds_per_frame").fieldNames())
        .toIterable()
        .contains("robots", "stack", "job", "broker", "harness", "memory_store");
  }

  private static StreamsReport.Step step(int n, long p99, double fresh, long reached, long out) {
    FleetReport r = robots(n, n * 100L, p99, fresh, reached, out);
    return StreamsBench.step(
        n,
        "n" + n + "-robot",
        r,
        exact(n * 100L),
        new PlanStages.Tally(java.util.Set.of(), 0).result(),
        new StreamsBench.Cpu(10, n * 100L, 1, 5, 1, 1, 0, 0, 0, 10, 0, 10, 1, 0),
        STEP_COST,
        0);
  }
}
