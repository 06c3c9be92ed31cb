package io.foresight.tools.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.planner.ToyModel;
import io.foresight.schemas.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foresight models validate} on the shipped model, a toy of another shape, and broken
 * copies.
 */
class ModelsCommandTest {
  @TempDir Path dir;

  private static Path copy(Path from, Path to) {
    return io.foresight.runtime.ModelVariants.copy(from, to);
  }

  private static Check check(List<ModelsCommand.Check> checks, String name) {
    return checks.stream()
        .filter(c -> c.check().equals(name))
        .findFirst()
        .map(c -> new Check(c.passed(), c.detail()))
        .orElseThrow(() -> new AssertionError("no check '" + name + "' in " + checks));
  }

  private record Check(boolean passed, String detail) {}

  @Test
  void shouldPassTheShippedModelWithItsGoldenVectors() {
    List<ModelsCommand.Check> checks = ModelsCommand.validate(ModelCard.shippedDir());
    assertThat(checks).allMatch(ModelsCommand.Check::passed, "passed");
    assertThat(check(checks, "golden vectors").detail()).contains("samples");
  }

  @Test
  void shouldPassAModelOfAnotherShape() {
    List<ModelsCommand.Check> checks = ModelsCommand.validate(ToyModel.gray48Dir());
    assertThat(checks).allMatch(ModelsCommand.Check::passed, "passed");
    assertThat(check(checks, "predictor contract").detail()).contains("action 3");
  }

  @Test
  void shouldRefuseAFileThatIsNotTheOneTheCardNames() throws IOException {
    Path m = copy(ToyModel.gray48Dir(), dir.resolve("m"));
    Files.write(
        m.resolve("predictor.onnx"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    List<ModelsCommand.Check> checks = ModelsCommand.validate(m);
    assertThat(check(checks, "file hashes").passed()).isFalse();
    assertThat(check(checks, "file hashes").detail()).contains("predictor.onnx").contains("sha256");
    assertThat(checks).hasSize(2);
  }

  @Test
  void shouldRefuseAMissingFileAndACardThatDisagreesWithTheModel() throws IOException {
    Path missing = copy(ToyModel.gray48Dir(), dir.resolve("missing"));
    Files.delete(missing.resolve("encoder.onnx"));
    assertThat(ModelsCommand.validate(missing)).anyMatch(c -> !c.passed());

    Path wrong = copy(ToyModel.gray48Dir(), dir.resolve("wrong"));
    Path card = wrong.resolve("model-card.json");
    Files.writeString(card, Files.readString(card).replaceFirst("\"dim\": 3", "\"dim\": 2"));
    List<ModelsCommand.Check> checks = ModelsCommand.validate(wrong);
    assertThat(check(checks, "predictor contract").passed()).isFalse();
    assertThat(check(checks, "predictor contract").detail()).contains("actions");
  }

  @Test
  void shouldRefuseToDeployAModelWithAMissingFileBeforeReachingKafka() throws IOException {
    Path missing = copy(ToyModel.dir(), dir.resolve("missing-deploy"));
    Files.delete(missing.resolve("predictor.onnx"));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    int exit;
    try {
      // Port 1: nothing listens there; a refused model must not even try to publish.
      exit =
          new picocli.CommandLine(new ModelsCommand())
              .execute("deploy", missing.toString(), "--bootstrap", "127.0.0.1:1");
    } finally {
      System.setErr(old);
    }
    assertThat(exit).isEqualTo(3);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("nothing was published");
  }
}
