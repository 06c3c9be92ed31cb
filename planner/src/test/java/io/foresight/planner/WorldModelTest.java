package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresight.schemas.ModelCard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorldModelTest {
  private static WorldModel model;
  private static JsonNode golden;

  @BeforeAll
  static void open() {
    model = WorldModel.builder(ModelCard.load(ToyModel.dir())).maxBatch(64).maxHorizon(8).build();
    golden = ToyModel.golden();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void shouldReadShapesAndBoundsFromTheCard() {
    assertThat(model.latentDim()).isEqualTo(8);
    assertThat(model.actionDim()).isEqualTo(2);
    assertThat(model.actionLow()).containsExactly(-1f, -1f);
    assertThat(model.provider().actual()).isEqualTo(io.foresight.runtime.Device.CPU);
  }

  @Test
  void shouldMatchPyTorchForOneBatchedStep() {
    float[] out = new float[3 * 8];

    model.step(
        ToyModel.floats(golden.get("latents")), ToyModel.floats(golden.get("actions")), 3, out);

    float[] expected = ToyModel.floats(golden.get("next_latents"));
    for (int i = 0; i < out.length; i++) {
      assertThat(out[i]).isCloseTo(expected[i], within(1e-5f));
    }
  }

  @Test
  void shouldMatchPyTorchForAMultiStepRollout() {
    float[] start = java.util.Arrays.copyOf(ToyModel.floats(golden.get("latents")), 8);
    float[][] actions = new float[4][];
    for (int t = 0; t < 4; t++) {
      actions[t] = ToyModel.floats(golden.get("rollout_actions").get(t));
    }

    float[][] rows = model.predict(start, actions);

    float[] expected = ToyModel.floats(golden.get("rollout"));
    for (int t = 0; t < 4; t++) {
      for (int i = 0; i < 8; i++) {
        assertThat(rows[t][i]).isCloseTo(expected[t * 8 + i], within(1e-5f));
      }
    }
  }

  @Test
  void shouldRollOutEverySequenceOfABatchIndependently() {
    // The same 3-step sequence at batch positions 0 and 5 of a batch of 7 gives the same latents
    // as a batch of one, whatever the other rows hold.
    float[] start = java.util.Arrays.copyOf(ToyModel.floats(golden.get("latents")), 8);
    int batch = 7;
    int h = 3;
    float[] actions = new float[h * batch * 2];
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < actions.length; i++) {
      actions[i] = rnd.nextFloat() * 2 - 1;
    }
    float[][] seq = new float[h][2];
    for (int t = 0; t < h; t++) {
      seq[t] = new float[] {0.3f * t, -0.2f};
      System.arraycopy(seq[t], 0, actions, (t * batch) * 2, 2);
      System.arraycopy(seq[t], 0, actions, (t * batch + 5) * 2, 2);
    }
    float[] out = new float[h * batch * 8];

    model.rollout(start, batch, h, actions, out);
    float[][] single = model.predict(start, seq);

    for (int t = 0; t < h; t++) {
      for (int i = 0; i < 8; i++) {
        assertThat(out[(t * batch) * 8 + i]).isCloseTo(single[t][i], within(1e-5f));
        assertThat(out[(t * batch + 5) * 8 + i]).isCloseTo(single[t][i], within(1e-5f));
      }
    }
  }

  @Test
  void shouldRollEachGroupOutFromItsOwnStartInOneBatch() {
    float[] all = ToyModel.floats(golden.get("latents"));
    float[] starts = java.util.Arrays.copyOf(all, 16);
    int per = 3;
    int h = 3;
    float[] actions = new float[h * 2 * per * 2];
    java.util.Random rnd = new java.util.Random(5);
    for (int i = 0; i < actions.length; i++) {
      actions[i] = rnd.nextFloat() * 2 - 1;
    }
    float[] out = new float[h * 2 * per * 8];

    model.rolloutGroups(starts, 2, 2 * per, h, actions, out);

    for (int g = 0; g < 2; g++) {
      float[] start = java.util.Arrays.copyOfRange(starts, g * 8, g * 8 + 8);
      float[] own = new float[h * per * 2];
      for (int t = 0; t < h; t++) {
        System.arraycopy(actions, (t * 2 * per + g * per) * 2, own, t * per * 2, per * 2);
      }
      float[] alone = new float[h * per * 8];
      model.rollout(start, per, h, own, alone);
      for (int t = 0; t < h; t++) {
        for (int i = 0; i < per * 8; i++) {
          assertThat(out[(t * 2 * per + g * per) * 8 + i])
              .isCloseTo(alone[t * per * 8 + i], within(1e-5f));
        }
      }
    }
  }

  @Test
  void shouldRefuseABatchLargerThanItsBuffers() {
    assertThatThrownBy(() -> model.rollout(new float[8], 65, 1, new float[130], new float[520]))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("batch 65 is outside [1, 64]");
  }

  @Test
  void shouldPlanWithTheOnnxModel() {
    Planner cem = CemPlanner.builder(model).samples(64).horizon(4).cost(Cost.L2_TERMINAL).build();
    float[] start = java.util.Arrays.copyOf(ToyModel.floats(golden.get("latents")), 8);
    float[][] target = new float[][] {{0.5f, 0.5f}, {0.5f, 0.5f}, {0.5f, 0.5f}, {0.5f, 0.5f}};
    float[] goal = model.predict(start, target)[3];

    PlanResult r = cem.plan(PlanRequest.of(start, goal));

    assertThat(r.cost()).isLessThan(Cost.L2_TERMINAL.distance(start, goal));
  }
}
