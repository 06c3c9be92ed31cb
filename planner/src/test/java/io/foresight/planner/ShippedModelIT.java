package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foresight.runtime.Device;
import io.foresight.runtime.ImageEncoder;
import io.foresight.schemas.ContractException;
import io.foresight.schemas.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The planner on the shipped model (models/two-rooms): numerics against its golden vectors. */
class ShippedModelIT {
  private static Path dir;

  @BeforeAll
  static void find() {
    try {
      dir = ModelCard.shippedDir();
    } catch (ContractException e) {
      dir = null;
    }
    assumeTrue(
        dir != null && Files.exists(dir.resolve(ModelCard.FILE_NAME)),
        "no shipped model in models/two-rooms yet");
  }

  @Test
  void shouldPredictTheGoldenNextLatents() throws Exception {
    Npy latents = Npy.read(dir.resolve("golden/latents.npy"));
    Npy actions = Npy.read(dir.resolve("golden/actions.npy"));
    Npy next = Npy.read(dir.resolve("golden/next_latents.npy"));
    int n = latents.shape[0];
    try (WorldModel model = WorldModel.builder(ModelCard.load(dir).verifyFiles()).build()) {
      float[] out = new float[next.floats.length];

      model.step(latents.floats, actions.floats, n, out);

      for (int i = 0; i < out.length; i++) {
        assertThat(out[i]).isCloseTo(next.floats[i], within(1e-4f));
      }
    }
  }

  @Test
  void shouldEncodeTheGoldenFramesLikePyTorch() throws Exception {
    Npy frames = Npy.read(dir.resolve("golden/frames.npy"));
    Npy latents = Npy.read(dir.resolve("golden/latents.npy"));
    int n = frames.shape[0];
    int frameBytes = frames.bytes.length / n;
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(Arrays.copyOfRange(frames.bytes, i * frameBytes, (i + 1) * frameBytes));
    }
    ModelCard card = ModelCard.load(dir);
    try (ImageEncoder enc =
        ImageEncoder.builder(card)
            .session(s -> s.device(Device.CPU).intraOpThreads(1))
            .maxBatch(n)
            .build()) {
      float[] out = new float[latents.floats.length];

      enc.encodeRgb8(list, card.input().width(), card.input().height(), out);

      for (int i = 0; i < out.length; i++) {
        assertThat(out[i]).isCloseTo(latents.floats[i], within(1e-3f));
      }
    }
  }

  @Test
  void shouldPlanWithinItsBudgetOnTheShippedModel() {
    try (WorldModel model = WorldModel.open(dir)) {
      // 1024 samples x 2000 iterations take seconds: only the budget makes this plan short
      Planner p =
          Planners.create(
              PlannerOptions.builder()
                  .set(PlannerOptions.SAMPLES, 1024)
                  .set(PlannerOptions.ITERATIONS, 2000)
                  .build(),
              model);
      float[] a = new float[model.latentDim()];
      float[] b = new float[model.latentDim()];
      Arrays.fill(b, 0.5f);
      Duration budget = Duration.ofMillis(200);
      long start = System.nanoTime();
      PlanResult r = p.plan(PlanRequest.of(a, b).withBudget(budget));
      double wallMs = (System.nanoTime() - start) / 1e6;

      assertThat(r.actions()).hasNumberOfRows(p.horizon());
      assertThat(r.cost()).isFinite();
      // the planner stops before an iteration that would overrun; the slack covers one iteration
      // and a cold JIT on a loaded machine
      assertThat(wallMs).as("wall time of the plan, ms").isLessThan(budget.toMillis() + 2000.0);
      assertThat(r.elapsedMs()).as("elapsed time the planner reports").isLessThanOrEqualTo(wallMs);
      assertThat(r.deadlineHit()).as("the budget cut the search").isTrue();
    }
  }
}
