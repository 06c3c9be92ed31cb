package io.foresight.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {
  @TempDir Path dir;

  private void writeCard(String encoderSha) throws IOException {
    Files.writeString(dir.resolve("encoder.onnx"), "not really onnx");
    Files.writeString(
        dir.resolve(ModelCard.FILE_NAME),
        """
        {"name": "toy", "version": "2",
         "input": {"name": "frames", "height": 64, "width": 48, "channels": 3,
                   "channel_order": "RGB", "scale": 255.0, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
         "latent": {"shape": [32]},
         "action": {"dim": 2, "low": [-1, -1], "high": [1, 1]},
         "files": {"encoder": {"path": "encoder.onnx", "sha256": "%s",
                               "inputs": ["frames"], "outputs": ["latents"]}}}
        """
            .formatted(encoderSha),
        StandardCharsets.UTF_8);
  }

  @Test
  void shouldReadInputLatentActionAndFiles() throws IOException {
    writeCard("abc");
    ModelCard card = ModelCard.load(dir);
    assertThat(card.name()).isEqualTo("toy");
    assertThat(card.input().width()).isEqualTo(48);
    assertThat(card.input().std()).containsExactly(0.25f, 0.25f, 0.25f);
    assertThat(card.latentSize()).isEqualTo(32);
    assertThat(card.action().high()).containsExactly(1f, 1f);
    assertThat(card.file("encoder")).isEqualTo(dir.toAbsolutePath().resolve("encoder.onnx"));
    assertThat(card.modelRef().getSha256()).isEqualTo("abc");
  }

  @Test
  void shouldVerifyFileHashes() throws IOException {
    writeCard("abc");
    Files.writeString(dir.resolve("encoder.onnx"), "x");
    String sha = ModelCard.sha256(dir.resolve("encoder.onnx"));
    assertThatThrownBy(() -> ModelCard.load(dir).verifyFiles())
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("has sha256 " + sha)
        .hasMessageContaining("the card says abc");
    writeCard(sha);
    Files.writeString(dir.resolve("encoder.onnx"), "x");
    assertThat(ModelCard.load(dir).verifyFiles().name()).isEqualTo("toy");
  }

  @Test
  void shouldSayWhereTheCardWasLookedFor() {
    assertThatThrownBy(() -> ModelCard.load(dir))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("no model card at")
        .hasMessageContaining(ModelCard.FILE_NAME);
  }

  @Test
  void shouldNameTheMissingRole() throws IOException {
    writeCard("abc");
    assertThatThrownBy(() -> ModelCard.load(dir).file("predictor"))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("no file for role 'predictor'");
  }
}
