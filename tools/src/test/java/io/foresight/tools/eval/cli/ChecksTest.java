package io.foresight.tools.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChecksTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldExitZeroWhenEveryFigureMeetsItsTarget() {
    int rc = new Checks(out).atMost("error", 0.05, 0.1).atLeast("r2", 0.995, 0.99).exitCode();

    assertThat(rc).isZero();
    assertThat(printed()).contains("check ok: error = 0.05").contains("checks: all 2 passed");
  }

  @Test
  void shouldExitWithTargetsMissedAndNameTheFigureThatMissed() {
    int rc = new Checks(out).atMost("error", 0.05, 0.1).atLeast("r2", 0.9, 0.99).exitCode();

    assertThat(rc).isEqualTo(Checks.TARGETS_MISSED);
    assertThat(printed())
        .contains("check FAILED: r2 = 0.9 (target >= 0.99)")
        .contains("checks: 1 of 2 FAILED");
  }

  @Test
  void shouldFailAMissingOrNanFigure() {
    Checks c = new Checks(out).atLeast("missing", null, 0.5).atMost("nan", Double.NaN, 1);

    assertThat(c.exitCode()).isEqualTo(Checks.TARGETS_MISSED);
    assertThat(c.failed()).hasSize(2);
  }

  @Test
  void shouldReadNestedFiguresByDottedPath() {
    Map<String, Object> goals = new HashMap<>();
    goals.put("success_rate", 0.97);
    Map<String, Object> report = Map.of("goals", goals);

    assertThat(Checks.at(report, "goals.success_rate")).isEqualTo(0.97);
    assertThat(Checks.at(report, "goals.nothing")).isNull();
    assertThat(Checks.at(report, "goals.success_rate.deeper")).isNull();
  }

  @Test
  void shouldMakeEvalPredictionExitNonZeroWhenItsTargetIsMissed() {
    // A short run on the shipped model: its error ratio (about 0.08) cannot meet a target of 0.
    int rc =
        new CommandLine(new EvalPredictionCommand())
            .execute(
                "--episodes",
                "2",
                "--steps",
                "12",
                "--check",
                "--max-error-ratio",
                "0",
                "--min-probe-r2",
                "-1e9");

    assertThat(rc).isEqualTo(Checks.TARGETS_MISSED);
  }

  @Test
  void shouldMakeEvalSurpriseExitZeroWithoutCheckWhateverItMeasures() {
    int rc =
        new CommandLine(new EvalSurpriseCommand())
            .execute("--episodes", "2", "--steps", "12", "--min-auroc", "2");

    assertThat(rc).isZero();
  }

  @Test
  void shouldMakeEvalSurpriseExitNonZeroWhenItsTargetIsMissed() {
    int rc =
        new CommandLine(new EvalSurpriseCommand())
            .execute("--episodes", "2", "--steps", "12", "--check", "--min-auroc", "2");

    assertThat(rc).isEqualTo(Checks.TARGETS_MISSED);
  }
}
