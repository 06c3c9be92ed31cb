package io.foresight.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresight.schemas.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The contract of the shipped Push-T model ({@code models/push-t}): its card describes its own
 * shapes (latent size, action size, input), the files match the card, the runtime reproduces the
 * golden vectors PyTorch wrote, and the evaluations run on it in the Push-T world.
 */
class PushTModelCardTest {
  private static final Path DIR = EvalBuilder.shippedDir("pusht");

  @Test
  void shouldShipACardWithItsOwnShapesAndFilesThatMatchIt() throws Exception {
    ModelCard card = ModelCard.load(DIR).verifyFiles();

    assertThat(card.name()).isEqualTo("push-t-jepa");
    assertThat(card.json().path("world").asText()).isEqualTo("pusht");
    assertThat(card.input().channelOrder()).isEqualTo("RGB");
    assertThat(card.input().name()).isEqualTo("frames");
    assertThat(card.input().width()).isEqualTo(64);
    assertThat(card.input().height()).isEqualTo(64);
    assertThat(card.latentShape()).hasSize(1);
    assertThat(card.action().dim()).isEqualTo(2);
    assertThat(card.action().low()).containsExactly(-1f, -1f);
    assertThat(card.action().high()).containsExactly(1f, 1f);
    assertThat(card.fileInfo("encoder").inputs()).containsExactly("frames");
    assertThat(card.fileInfo("encoder").outputs()).containsExactly("latents");
    assertThat(card.fileInfo("predictor").inputs()).containsExactly("latents", "actions");
    assertThat(card.fileInfo("predictor").outputs()).containsExactly("next_latents");
    for (String role : new String[] {"encoder", "predictor"}) {
      assertThat(Files.size(card.file(role))).as(role + " size").isLessThan(10L << 20);
    }
    JsonNode golden = card.json().path("golden");
    JsonNode meta =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(DIR.resolve(golden.asText()).toFile());
    assertThat(meta.path("files").path("latents").path("shape").get(1).asInt())
        .as("golden latents have the card's latent size")
        .isEqualTo(card.latentSize());
    JsonNode training = card.json().path("training");
    assertThat(training.path("data").path("manifest").path("format").asText())
        .isEqualTo("foresight-push-t-npy/1");
    assertThat(training.path("iterations").asInt()).isPositive();
    assertThat(training.path("wall_s").asDouble()).isPositive();
    assertThat(training.path("hardware").asText()).isNotBlank();
    assertThat(training.path("seed").isNumber()).isTrue();
    assertThat(training.path("parts").size()).as("a resumable run's parts").isPositive();
    assertThat(card.json().path("metrics").path("how").asText()).contains("--world pusht");
    assertThat(card.json().path("collapse_prevention").path("method").asText()).isNotBlank();
  }

  @Test
  void shouldReproduceTheGoldenVectorsInTheRuntime() {
    GoldenParity.Report r = GoldenParity.check(DIR, "cpu");

    assertThat(r.count()).isGreaterThanOrEqualTo(4);
    assertThat(r.encoderMaxAbsDiff()).isLessThan(1e-4);
    assertThat(r.predictorMaxAbsDiff()).isLessThan(1e-4);
    assertThat(r.passed()).isTrue();
  }

  @Test
  void shouldBeEvaluatedInThePushTWorldWithTheBlockProbe() {
    PredictionReport r =
        PredictionEval.builder()
            .world("pusht")
            .episodes(8)
            .steps(20)
            .seed(4242)
            .horizons(1, 5)
            .build()
            .run();

    assertThat(r.world()).isEqualTo("pusht");
    assertThat(r.model()).startsWith("push-t-jepa");
    assertThat(r.latentStd()).hasSize(ModelCard.load(DIR).latentSize());
    assertThat(r.toMap())
        .containsKeys(
            "error_ratio_h1",
            "error_ratio_h5",
            "block_probe_r2",
            "block_probe_r2_x",
            "block_probe_r2_y",
            "block_probe_r2_angle",
            "block_probe_rmse_deg");
    // measured on these 8 episodes: 0.196 (h1), 0.127 (h5), agent probe R2 0.982, block x, y
    // 0.93, 0.82, latent std min 0.55; on 200 x 100 frames 0.367, 0.325, 0.9998, 0.981, 0.983
    // (docs/benchmarks.md "Push-T"). A first model: better than copy-last, not yet the targets.
    assertThat(r.errorRatio().get(1)).as("error_ratio_h1").isLessThan(0.5);
    assertThat(r.errorRatio().get(5)).as("error_ratio_h5").isLessThan(0.5);
    assertThat(r.probeR2()).as("agent probe_r2").isGreaterThan(0.95);
    assertThat(r.blockProbe().get("block_probe_r2_x")).as("block x").isGreaterThan(0.8);
    assertThat(r.blockProbe().get("block_probe_r2_y")).as("block y").isGreaterThan(0.7);
    assertThat(r.latentStdMin()).as("latent_std_min (no collapse)").isGreaterThan(0.3);
  }
}
