package io.foresight.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.ModelCard;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.world.WorldConfig;
import io.foresight.tools.eval.EvalBuilder;
import io.foresight.tools.eval.cli.Checks;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code foresight demo --check}: the report's figures against the documented targets. */
class DemoCheckTest {

  private static DemoCommand demo(String... args) {
    DemoCommand d = new DemoCommand();
    new CommandLine(d).parseArgs(args);
    return d;
  }

  private static Map<String, Object> report(
      double success, double p95, int injected, int detected, int dead) {
    Map<String, Object> r = new HashMap<>();
    r.put("goals", Map.of("success_rate", success));
    r.put("latency_ms_frame_to_plan", Map.of("p95", p95));
    r.put("surprise", Map.of("violations_injected", injected, "violations_detected", detected));
    r.put("dead_letters", Map.of("count", dead));
    return r;
  }

  @Test
  void shouldPassAReportThatMeetsTheDocumentedTargets() {
    assertThat(demo("--check").check(report(1.0, 90, 27, 27, 5), 5)).isZero();
  }

  @Test
  void shouldFailWhenGoalsAreMissed() {
    assertThat(demo("--check").check(report(0.9, 90, 27, 27, 5), 5))
        .isEqualTo(Checks.TARGETS_MISSED);
  }

  @Test
  void shouldFailOnTheDocumentedLatencyTargetUnlessTheThresholdIsGiven() {
    // docs/benchmarks.md: frame -> plan p95 114 ms against a target of 100 ms (not met)
    assertThat(demo("--check").check(report(1.0, 114, 27, 27, 5), 5))
        .isEqualTo(Checks.TARGETS_MISSED);
    assertThat(demo("--check", "--max-plan-p95-ms", "500").check(report(1.0, 114, 27, 27, 5), 5))
        .isZero();
  }

  @Test
  void shouldFailWhenABadRecordHasNoDeadLetterOrAGoodOneHasOne() {
    assertThat(demo("--check").check(report(1.0, 90, 27, 27, 4), 5))
        .isEqualTo(Checks.TARGETS_MISSED);
    assertThat(demo("--check").check(report(1.0, 90, 27, 27, 6), 5))
        .isEqualTo(Checks.TARGETS_MISSED);
  }

  @Test
  void shouldFailWhenTooFewViolationsAreDetected() {
    assertThat(demo("--check").check(report(1.0, 90, 27, 20, 5), 5))
        .isEqualTo(Checks.TARGETS_MISSED);
  }

  @Test
  void shouldSkipTheViolationCheckWhenNoneWereInjected() {
    assertThat(demo("--check").check(report(1.0, 90, 0, 0, 5), 5)).isZero();
  }

  @Test
  void shouldFailWhenNoGoalWasAttempted() {
    Map<String, Object> r = report(1.0, 90, 27, 27, 5);
    Map<String, Object> goals = new HashMap<>();
    goals.put("success_rate", null);
    r.put("goals", goals);
    assertThat(demo("--check").check(r, 5)).isEqualTo(Checks.TARGETS_MISSED);
  }

  @Test
  void shouldRunPushTRobotsOnTheShippedPushTModelWithTheSuccessCriterion() {
    DemoCommand d = demo("--world", "pusht", "--violation-rate", "0.05");
    Path model = EvalBuilder.shippedDir("pusht");
    assertThat(d.worldSpec(ModelCard.load(model)))
        .isInstanceOfSatisfying(
            PushTConfig.class, p -> assertThat(p.violationRate()).isEqualTo(0.05));
    Map<String, String> job = d.jobOptions(model, true);
    assertThat(job)
        .containsEntry("encoder.model.dir", model.toAbsolutePath().toString())
        .containsEntry("planner.model.dir", model.toAbsolutePath().toString());
  }

  @Test
  void shouldLetSetOverrideTheModelTheWorldChooses() {
    DemoCommand d = demo("--world", "pusht", "--set", "planner.model.dir=/elsewhere");
    assertThat(d.jobOptions(EvalBuilder.shippedDir("pusht"), true))
        .containsEntry("planner.model.dir", "/elsewhere")
        .containsKey("encoder.model.dir");
  }

  @Test
  void shouldKeepTheTwoRoomsJobOptionsAsTheyWere() {
    DemoCommand d = demo("--set", "planner.samples=256");
    assertThat(d.worldSpec(ModelCard.load(ModelCard.shippedDir()))).isInstanceOf(WorldConfig.class);
    assertThat(d.jobOptions(ModelCard.shippedDir(), false))
        .containsExactlyEntriesOf(Map.of("planner.samples", "256"));
  }

  @Test
  void shouldRefuseAWorldThatIsNotTheModelCards() {
    Path pushT = EvalBuilder.shippedDir("pusht");
    assertThatThrownBy(() -> demo("--model-dir", pushT.toString()).worldSpec(ModelCard.load(pushT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a pusht model")
        .hasMessageContaining("not tworooms")
        .hasMessageContaining("--world pusht");
    assertThatThrownBy(
            () -> demo("--world", "pusht").worldSpec(ModelCard.load(ModelCard.shippedDir())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a tworooms model")
        .hasMessageContaining("not pusht");
  }

  @Test
  void shouldExitWithAUsageErrorBeforeStartingAnythingWhenTheWorldIsNotTheCards(
      @org.junit.jupiter.api.io.TempDir Path dir) {
    Path work = dir.resolve("work");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    int rc;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      rc =
          new CommandLine(new DemoCommand())
              .execute(
                  "--world",
                  "pusht",
                  "--model-dir",
                  ModelCard.shippedDir().toString(),
                  "--work-dir",
                  work.toString(),
                  "--report-dir",
                  dir.resolve("report").toString());
    } finally {
      System.setErr(saved);
    }
    assertThat(rc).isEqualTo(DemoCommand.USAGE_ERROR);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("foresight demo: the model two-rooms-jepa")
        .contains("not pusht");
    assertThat(work).doesNotExist();
  }
}
