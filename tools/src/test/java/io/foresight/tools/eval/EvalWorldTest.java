package io.foresight.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.ModelCard;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which world an evaluation runs in: the card's {@code world}, the option, and their agreement. */
class EvalWorldTest {

  private static ModelCard card(Path dir, String worldField, int size) throws Exception {
    Files.writeString(
        dir.resolve(ModelCard.FILE_NAME),
        "{\"name\":\"m\","
            + worldField
            + "\"input\":{\"height\":"
            + size
            + ",\"width\":"
            + size
            + ",\"channels\":3},\"latent\":{\"shape\":[8]},\"action\":{\"dim\":2},"
            + "\"files\":{\"encoder\":{\"path\":\"e.onnx\",\"sha256\":\"0\"}}}");
    return ModelCard.load(dir);
  }

  @Test
  void shouldTakeTheWorldFromTheCardAndDefaultToTwoRooms(@TempDir Path tmp) throws Exception {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Path b = Files.createDirectory(tmp.resolve("b"));
    ModelCard pushT = card(a, "\"world\":\"pusht\",", 96);
    ModelCard plain = card(b, "", 64);

    WorldSpec spec = EvalBuilder.worldFor(pushT, null);
    assertThat(spec).isInstanceOf(PushTConfig.class);
    assertThat(spec.width()).isEqualTo(96);
    assertThat(EvalBuilder.worldFor(pushT, "push-t")).isInstanceOf(PushTConfig.class);
    assertThat(EvalBuilder.worldFor(plain, null)).isInstanceOf(WorldConfig.class);
    assertThat(EvalBuilder.worldOf(plain, "tworooms")).isEqualTo("tworooms");
    assertThat(((PushTConfig) EvalBuilder.withViolations(spec, 0.1)).violationRate())
        .isEqualTo(0.1);
  }

  @Test
  void shouldRefuseAWorldTheModelWasNotMadeFor(@TempDir Path tmp) throws Exception {
    ModelCard plain = card(tmp, "", 64);

    assertThatThrownBy(() -> EvalBuilder.worldFor(plain, "pusht"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a tworooms model")
        .hasMessageContaining("--world tworooms");
    assertThatThrownBy(() -> EvalBuilder.worldOf(plain, "mars"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown world 'mars'");
  }

  @Test
  void shouldFindTheShippedPushTModelNextToTwoRooms() {
    assertThat(EvalBuilder.shippedDir("pusht"))
        .isEqualTo(ModelCard.shippedDir().resolveSibling("push-t"));
    assertThat(EvalBuilder.shippedDir(null)).isEqualTo(ModelCard.shippedDir());
  }
}
