package io.foresight.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.planner.Dynamics;
import io.foresight.planner.PlannerException;
import io.foresight.planner.RowDynamics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionBatchTest {
  /** z' = z + a, two floats each. */
  private static class Drift extends RowDynamics {
    int calls;

    Drift() {
      super(2, 2);
    }

    @Override
    protected void next(float[] z, int zo, float[] a, int ao, float[] out, int oo) {
      out[oo] = z[zo] + a[ao];
      out[oo + 1] = z[zo + 1] + a[ao + 1];
    }

    @Override
    public void rolloutGroups(
        float[] starts, int groups, int batch, int horizon, float[] actions, float[] out) {
      calls++;
      super.rolloutGroups(starts, groups, batch, horizon, actions, out);
    }
  }

  private record Out(String stream, String tag, float[][] future) {}

  private static float[][] hold(float x, float y, int horizon) {
    float[][] a = new float[horizon][];
    for (int t = 0; t < horizon; t++) {
      a[t] = new float[] {x, y};
    }
    return a;
  }

  @Test
  void shouldRollEveryLatentOutUnderItsOwnActionsInOneCallInTheOrderAdded() throws Exception {
    Drift model = new Drift();
    PredictionBatch<String> batch = new PredictionBatch<>(4, 3);
    assertThat(batch.add(model, "a", new float[] {0, 0}, hold(1, 0, 3), "ta", 5)).isFalse();
    assertThat(batch.add(model, "b", new float[] {10, 10}, hold(0, -1, 3), "tb", 7)).isFalse();
    assertThat(batch.holds("a")).isTrue();
    assertThat(batch.firstAddedMs()).isEqualTo(5);
    List<Out> out = new ArrayList<>();

    batch.run((s, tag, f) -> out.add(new Out(s, tag, f)));

    assertThat(model.calls).isEqualTo(1);
    assertThat(out).extracting(Out::stream).containsExactly("a", "b");
    assertThat(out.get(0).tag()).isEqualTo("ta");
    assertThat(out.get(0).future()).isDeepEqualTo(new float[][] {{1, 0}, {2, 0}, {3, 0}});
    assertThat(out.get(1).future()).isDeepEqualTo(new float[][] {{10, 9}, {10, 8}, {10, 7}});
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.holds("a")).isFalse();
    assertThat(batch.model()).isNull();
  }

  @Test
  void shouldSayWhenItIsFull() {
    PredictionBatch<String> batch = new PredictionBatch<>(2, 1);
    Drift model = new Drift();
    assertThat(batch.add(model, "a", new float[2], hold(0, 0, 1), "t", 0)).isFalse();
    assertThat(batch.add(model, "b", new float[2], hold(0, 0, 1), "t", 0)).isTrue();
    assertThatThrownBy(() -> batch.add(model, "c", new float[2], hold(0, 0, 1), "t", 0))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("full");
  }

  @Test
  void shouldRefuseASecondLatentOfAStreamAnotherModelAndWrongShapes() {
    PredictionBatch<String> batch = new PredictionBatch<>(4, 2);
    Drift model = new Drift();
    batch.add(model, "a", new float[2], hold(0, 0, 2), "t", 0);

    assertThatThrownBy(() -> batch.add(model, "a", new float[2], hold(0, 0, 2), "t", 0))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("stream a already");
    assertThatThrownBy(() -> batch.add(new Drift(), "b", new float[2], hold(0, 0, 2), "t", 0))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("another model");
    assertThatThrownBy(() -> batch.add(model, "c", new float[3], hold(0, 0, 2), "t", 0))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("latent of 2 floats and 2 actions");
    assertThatThrownBy(() -> batch.add(model, "d", new float[2], new float[][] {{0}, {0}}, "t", 0))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("the model takes 2");
    assertThat(batch.size()).isEqualTo(1);
    assertThat(batch.holds("c")).isFalse();
    assertThat(batch.holds("d")).isFalse();
  }

  @Test
  void shouldRefuseAModelWhoseBatchesAreTooSmall() {
    Dynamics small =
        new Drift() {
          @Override
          public int maxBatch() {
            return 1;
          }
        };
    PredictionBatch<String> batch = new PredictionBatch<>(4, 2);
    assertThatThrownBy(() -> batch.add(small, "a", new float[2], hold(0, 0, 2), "t", 0))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("batches of 1")
        .hasMessageContaining("need 4");
  }

  @Test
  void shouldBeEmptyAfterARunWhoseEmitterThrew() {
    PredictionBatch<String> batch = new PredictionBatch<>(4, 1);
    Drift model = new Drift();
    batch.add(model, "a", new float[2], hold(0, 0, 1), "t", 0);
    batch.add(model, "b", new float[2], hold(0, 0, 1), "t", 0);

    assertThatThrownBy(
            () ->
                batch.run(
                    (s, tag, f) -> {
                      throw new IllegalStateException("sink down");
                    }))
        .hasMessage("sink down");
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.add(model, "a", new float[2], hold(0, 0, 1), "t", 0)).isFalse();
  }
}
