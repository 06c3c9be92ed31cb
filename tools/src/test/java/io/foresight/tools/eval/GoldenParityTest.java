package io.foresight.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.schemas.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GoldenParityTest {

  @Test
  void shouldReproduceGoldenVectorsWithOnnxRuntime() {
    GoldenParity.Report r = GoldenParity.check(ModelCard.shippedDir(), "cpu");

    assertThat(r.count()).isGreaterThanOrEqualTo(4);
    assertThat(r.encoderMaxAbsDiff()).isLessThan(1e-4);
    assertThat(r.predictorMaxAbsDiff()).isLessThan(1e-4);
    assertThat(r.passed()).isTrue();
  }

  @Test
  void shouldShipSmallModelFilesThatMatchTheirCard() throws Exception {
    ModelCard card = ModelCard.load(ModelCard.shippedDir()).verifyFiles();

    assertThat(card.name()).isEqualTo("two-rooms-jepa");
    assertThat(card.input().channelOrder()).isEqualTo("RGB");
    assertThat(card.input().name()).isEqualTo("frames");
    assertThat(card.action().dim()).isEqualTo(2);
    assertThat(card.fileInfo("encoder").outputs()).containsExactly("latents");
    assertThat(card.fileInfo("predictor").inputs()).containsExactly("latents", "actions");
    assertThat(card.fileInfo("predictor").outputs()).containsExactly("next_latents");
    for (String role : new String[] {"encoder", "predictor"}) {
      Path f = card.file(role);
      assertThat(Files.size(f)).as(role + " size").isLessThan(10L << 20);
    }
    assertThat(card.json().path("collapse_prevention").path("method").asText()).isNotBlank();
  }
}
