package io.foresight.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.sim.pusht.BlockPose;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.pusht.PushTWorld;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's small parts: the probe's fit, the door in a frame, the console's device line. */
class DemoPartsTest {

  @Test
  void shouldRecoverAnExactLinearMapWithTheRidgeFit() {
    Random rng = new Random(3);
    int d = 5;
    double[][] w = {{1, -2, 0.5, 3, 0}, {0, 1, 1, -1, 2}};
    double[] b = {32, 20};
    List<float[]> z = new ArrayList<>();
    List<float[]> y = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      float[] zi = new float[d];
      for (int k = 0; k < d; k++) {
        zi[k] = (float) rng.nextGaussian();
      }
      float[] yi = new float[2];
      for (int o = 0; o < 2; o++) {
        double v = b[o];
        for (int k = 0; k < d; k++) {
          v += w[o][k] * zi[k];
        }
        yi[o] = (float) v;
      }
      z.add(zi);
      y.add(yi);
    }
    double[][] fit = ProbeFit.ridge(z, y, d);
    for (int o = 0; o < 2; o++) {
      for (int k = 0; k < d; k++) {
        assertThat(fit[o][k]).isCloseTo(w[o][k], org.assertj.core.data.Offset.offset(0.01));
      }
      assertThat(fit[o][d]).isCloseTo(b[o], org.assertj.core.data.Offset.offset(0.01));
    }
  }

  @Test
  void shouldDecodeALatentWithTheProbeAndRefuseAWrongLength() {
    LatentProbe p =
        new LatentProbe(
            2,
            new double[][] {{1, 0}, {0, 2}},
            new double[] {10, 20},
            1,
            new double[2],
            new double[2],
            "test");
    assertThat(p.decode(new float[] {1, 1})).containsExactly(11, 22);
    assertThatThrownBy(() -> p.decode(new float[] {1, 1, 1}))
        .hasMessageContaining("latent of 3 values for a probe of 2");
  }

  @Test
  void shouldWriteAndReadTheProbe(@TempDir Path dir) {
    LatentProbe p =
        new LatentProbe(
            2,
            new double[][] {{1, 0}, {0, 2}},
            new double[] {10, 20},
            0.99,
            new double[] {1, 1},
            new double[] {0.5, 0.5},
            "test");
    p.write(dir);
    LatentProbe back = LatentProbe.load(dir);
    assertThat(back.decode(new float[] {2, 3})).containsExactly(12, 26);
    assertThat(back.r2()).isEqualTo(0.99);
    assertThat(LatentProbe.load(dir.resolve("none"))).isNull();
  }

  @Test
  void shouldFindTheDoorInATwoRoomsFrame() {
    WorldConfig cfg = WorldConfig.DEFAULT;
    TwoRoomsWorld world = new TwoRoomsWorld(cfg, 5);
    byte[] rgb = new byte[cfg.frameBytes()];
    world.render(rgb);
    OutputObserver.Door door = OutputObserver.door(rgb, cfg.width(), cfg.height());
    assertThat(door).isEqualTo(new OutputObserver.Door(world.doorTop(), world.doorBottom()));
    assertThat(OutputObserver.door(new byte[cfg.frameBytes()], cfg.width(), cfg.height())).isNull();
  }

  @Test
  void shouldSayInOneShortLineWhereTheModelsRunAndWhy() {
    Path log = Path.of("run/demo/logs/foresight.log");
    String native_ =
        "the CUDA execution provider could not start on GPU 0 after 4695 ms: OrtException: Error"
            + " code - ORT_FAIL - message: Failed to load library libonnxruntime_providers_cuda.so"
            + " with error: libcublasLt.so.12: cannot open shared object file: No such file or"
            + " directory";
    String line =
        DeviceLine.summarize(
            List.of(
                "12:00:00.000 INFO  [t] o.f.r.i.SessionFactory - Model /m/encoder.onnx: running on"
                    + " the CPU (requested auto; "
                    + native_
                    + "); set encoder.device=cpu to skip the attempt, see docs/encoders.md",
                "12:00:01.000 INFO  [t] o.f.r.i.SessionFactory - Model /m/predictor.onnx: execution"
                    + " provider CPU (requested auto, intra-op threads 1, inter-op threads"
                    + " default, spinning false)"),
            log);
    assertThat(line)
        .isEqualTo(
            "CPU: encoder.onnx (requested auto: CUDA did not start), predictor.onnx (requested"
                + " auto); details in the log")
        .doesNotContain("libcublasLt");
    assertThat(DeviceLine.summarize(List.of(), log)).startsWith("unknown");
  }

  @Test
  void shouldDrawTheTAroundItsCentreOfMassTurnedClockwise() {
    PushTConfig c = PushTConfig.DEFAULT;
    double[][] upright = PushTPictures.outline(c, 32, 30, 0);
    // the polygon's centroid is the pose's position (the block's centre of mass)
    double a = 0;
    double cx = 0;
    double cy = 0;
    for (int i = 0; i < upright.length; i++) {
      double[] p = upright[i];
      double[] q = upright[(i + 1) % upright.length];
      double cross = p[0] * q[1] - q[0] * p[1];
      a += cross / 2;
      cx += (p[0] + q[0]) * cross;
      cy += (p[1] + q[1]) * cross;
    }
    assertThat(Math.abs(a)).isCloseTo(c.blockArea(), org.assertj.core.data.Offset.offset(1e-3));
    assertThat(cx / (6 * a)).isCloseTo(32, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(cy / (6 * a)).isCloseTo(30, org.assertj.core.data.Offset.offset(1e-3));
    // the bar on top; a quarter turn clockwise puts it on the right (x right, y down)
    assertThat(upright[0][1])
        .isCloseTo(30 - c.centroidFromTop(), org.assertj.core.data.Offset.offset(1e-3));
    double[][] turned = PushTPictures.outline(c, 32, 30, (float) (Math.PI / 2));
    assertThat(turned[0][0])
        .isCloseTo(32 + c.centroidFromTop(), org.assertj.core.data.Offset.offset(1e-3));
  }

  @Test
  void shouldReadTheBlockPoseOfAPushTFrameAndNothingFromOtherFrames() {
    PushTWorld world = new PushTWorld(PushTConfig.DEFAULT, 3);
    BlockPose b = world.block();
    OutputObserver.Block seen =
        OutputObserver.block(7, world.groundTruth().get(PushTWorld.BLOCK_KEY));
    assertThat(seen.sequence()).isEqualTo(7);
    assertThat(seen.x()).isCloseTo(b.x(), org.assertj.core.data.Offset.offset(1e-3));
    assertThat(seen.y()).isCloseTo(b.y(), org.assertj.core.data.Offset.offset(1e-3));
    assertThat(seen.angle()).isCloseTo(b.angle(), org.assertj.core.data.Offset.offset(1e-3));
    assertThat(OutputObserver.block(1, null)).isNull();
    assertThat(OutputObserver.block(1, "1,2")).isNull();
    assertThat(OutputObserver.block(1, "a,b,c")).isNull();
  }

  @Test
  void shouldWriteAndReadAPushTProbeWithItsBlockPart(@TempDir Path dir) {
    LatentProbe p =
        new LatentProbe(
            2,
            new double[][] {{1, 0}, {0, 2}},
            new double[] {10, 20},
            0.99,
            new double[] {1, 1},
            new double[] {0.5, 0.5},
            "test",
            new LatentProbe.BlockProbe(
                new double[][] {{0, 1}, {1, 0}},
                new double[] {1, 2},
                0.98,
                new double[] {0.97, 0.99},
                new double[] {1.5, 1.0}),
            "abc");
    p.write(dir);
    LatentProbe back = LatentProbe.load(dir);
    assertThat(back.decodeBlock(new float[] {2, 3})).containsExactly(4, 4);
    assertThat(back.block().r2()).isEqualTo(0.98);
    assertThat(back.encoderSha256()).isEqualTo("abc");
  }

  @Test
  void shouldReadTheShippedTwoRoomsProbeWithoutABlockPart() throws Exception {
    Path shipped = io.foresight.schemas.ModelCard.shippedDir();
    LatentProbe p = LatentProbe.load(shipped);
    assertThat(p.block()).isNull();
    assertThat(p.encoderSha256()).isNull();
    assertThatThrownBy(() -> p.decodeBlock(new float[p.latentDim()]))
        .hasMessageContaining("no block part");
    // written again, it is the same file: the optional parts are left out, not written as null
    Path copy = Files.createTempDirectory("probe");
    p.write(copy);
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(copy.resolve(LatentProbe.FILE_NAME).toFile()))
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(shipped.resolve(LatentProbe.FILE_NAME).toFile()));
  }

  @Test
  void shouldRefuseAProbeFittedOnAnotherEncoder(@TempDir Path dir) throws Exception {
    Path pushT = io.foresight.tools.eval.EvalBuilder.shippedDir("pusht");
    Files.copy(pushT.resolve("model-card.json"), dir.resolve("model-card.json"));
    new LatentProbe(
            2,
            new double[][] {{1, 0}, {0, 2}},
            new double[] {10, 20},
            0.99,
            new double[] {1, 1},
            new double[] {0.5, 0.5},
            "test",
            null,
            "0000")
        .write(dir);
    assertThatThrownBy(() -> Imagination.open(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fitted on the latents of another encoder")
        .hasMessageContaining("refit it with models/recipe/fit_probe.sh");
  }

  @Test
  void shouldFitAPushTProbeOfTheAgentAndTheBlockForTheShippedEncoder() {
    Path pushT = io.foresight.tools.eval.EvalBuilder.shippedDir("pusht");
    LatentProbe p = ProbeFit.fitPushT(pushT, 80, 15, 5);
    assertThat(p.r2()).isGreaterThan(0.99);
    assertThat(p.block()).isNotNull();
    assertThat(p.block().r2()).as("block centre R^2 of %s", p).isGreaterThan(0.9);
    assertThat(p.encoderSha256())
        .isEqualTo(io.foresight.schemas.ModelCard.load(pushT).fileInfo("encoder").sha256());
    assertThat(p.fittedOn()).contains("Push-T", "not its angle");
  }

  @Test
  void shouldShipThePushTProbeFittedOnTheShippedPushTEncoder() {
    Path pushT = io.foresight.tools.eval.EvalBuilder.shippedDir("pusht");
    LatentProbe p = LatentProbe.load(pushT);
    assertThat(p).as("models/push-t/probe.json").isNotNull();
    assertThat(p.block()).isNotNull();
    assertThat(p.encoderSha256())
        .as(
            "models/push-t/probe.json was fitted on another encoder than the card's: refit it with"
                + " models/recipe/fit_probe.sh models/push-t --no-card")
        .isEqualTo(io.foresight.schemas.ModelCard.load(pushT).fileInfo("encoder").sha256());
  }
}
