package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks every operator of the job runs on an announced model, and its checkpointed line. */
class DeploymentTest {
  @TempDir Path dir;

  private Path model() {
    return ModelVariants.copy(Fixtures.testModelDir(), dir.resolve("m"));
  }

  private static Deployment of(Path model, String encoderSha) {
    return new Deployment("d-7", model.toString(), "test", "2", encoderSha, null, 5, 0, 3);
  }

  private static String sha(Path model) {
    return ModelCard.sha256(ModelCard.load(model).file("encoder"));
  }

  @Test
  void shouldPassTheModelItAnnounces() {
    Path m = model();
    assertThat(of(m, sha(m)).verify().name()).isEqualTo(ModelCard.load(m).name());
  }

  @Test
  void shouldRefuseADirectoryThatIsNotThere() {
    assertThatThrownBy(() -> of(dir.resolve("nowhere"), "00").verify())
        .isInstanceOf(ModelRuntimeException.class)
        .hasMessageContaining("nowhere")
        .hasMessageContaining("does not exist on this task manager");
  }

  @Test
  void shouldRefuseAFileWhoseHashIsNotTheCards() throws Exception {
    Path m = model();
    String before = sha(m);
    Files.write(m.resolve("encoder.onnx"), new byte[] {9}, StandardOpenOption.APPEND);
    assertThatThrownBy(() -> of(m, before).verify())
        .hasMessageContaining("encoder.onnx")
        .hasMessageContaining("sha256");
  }

  @Test
  void shouldRefuseAMissingFile() throws Exception {
    Path m = model();
    String before = sha(m);
    Files.delete(m.resolve("encoder.onnx"));
    assertThatThrownBy(() -> of(m, before).verify())
        .hasMessageContaining("encoder.onnx")
        .hasMessageContaining("the file is missing");
  }

  @Test
  void shouldRefuseADirectoryThatChangedAfterTheDeploy() {
    Path m = model();
    assertThatThrownBy(() -> of(m, "ab".repeat(32)).verify())
        .hasMessageContaining("announced encoder sha256 " + "ab".repeat(32))
        .hasMessageContaining("deploy it again");
  }

  @Test
  void shouldRefuseAnAnnouncedPredictorThatIsNotThere() {
    Path m = model();
    Deployment d = new Deployment("d", m.toString(), "t", "1", sha(m), "cd".repeat(32), 0, 0, 0);
    assertThatThrownBy(d::verify).hasMessageContaining("predictor");
  }

  @Test
  void shouldGiveEachSubtaskItsOwnLineAndANewSubtaskTheNewest() {
    Deployment a = of(Path.of("/m/a"), "aa");
    Deployment b = new Deployment("d-8", "/m/b", "test", "3", "bb", "cc", 6, 0, 4);
    List<String> lines = List.of(DeploymentState.encode(0, 4, a), DeploymentState.encode(1, 9, b));
    assertThat(DeploymentState.choose(lines, 0)).contains(a);
    assertThat(DeploymentState.choose(lines, 1)).contains(b);
    assertThat(DeploymentState.choose(lines, 2)).as("added by rescaling").contains(b);
    assertThat(DeploymentState.choose(List.of(), 0)).isEmpty();
  }
}
