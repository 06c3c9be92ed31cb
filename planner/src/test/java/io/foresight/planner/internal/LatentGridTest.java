package io.foresight.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatentGridTest {

  @Test
  void shouldFindExactlyTheLatentsWithinTheRadius() {
    SplittableRandom r = new SplittableRandom(9);
    int dim = 32;
    int count = 5_000;
    float[] data = new float[count * dim];
    // A few clusters, so the radius catches some and the cubes hold many more.
    for (int i = 0; i < count; i++) {
      int c = i % 7;
      for (int j = 0; j < dim; j++) {
        data[i * dim + j] = c * (j % 3 == 0 ? 0.3f : 0f) + (float) (r.nextGaussian() * 0.15);
      }
    }
    float radius = 0.6f;
    LatentGrid grid = new LatentGrid(data, count, dim, radius);
    for (int i = 0; i < count; i++) {
      grid.add(i, data, i * dim);
    }
    for (int q = 0; q < 50; q++) {
      int at = r.nextInt(count) * dim;
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (Math.sqrt(Distances.squaredL2(data, i * dim, data, at, dim)) <= radius) {
          expected.add(i);
        }
      }

      int[] found = grid.within(data, data, at, radius);

      assertThat(found).containsExactlyInAnyOrder(expected.stream().mapToInt(x -> x).toArray());
    }
  }

  @Test
  void shouldAnswerForLatentsAddedAfterAQuery() {
    int dim = 4;
    float[] data = new float[3 * dim];
    data[dim] = 0.1f; // latent 1 next to latent 0
    data[2 * dim] = 0.05f; // latent 2 too, added after the first query
    LatentGrid grid = new LatentGrid(data, 3, dim, 0.5f);
    grid.add(0, data, 0);
    grid.add(1, data, dim);
    assertThat(grid.within(data, data, 0, 0.5f)).containsExactly(0, 1);

    grid.add(2, data, 2 * dim);

    assertThat(grid.within(data, data, 0, 0.5f)).containsExactlyInAnyOrder(0, 1, 2);
    List<Integer> candidates = new ArrayList<>();
    grid.candidates(data, 0, 0.5f, candidates::add);
    assertThat(candidates).containsExactlyInAnyOrder(0, 1, 2);
  }
}
