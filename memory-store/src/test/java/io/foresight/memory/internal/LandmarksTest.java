package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LandmarksTest {
  @Test
  void shouldPickOneLandmarkInEachWellSeparatedCluster() {
    Random r = new Random(1);
    float[][] centres = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};
    List<float[]> points = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      float[] c = centres[i % 4];
      points.add(
          new float[] {
            c[0] + (float) r.nextGaussian() * 0.3f, c[1] + (float) r.nextGaussian() * 0.3f
          });
    }
    int[] chosen = Landmarks.farthestPoints(points, 4);
    assertThat(chosen).hasSize(4);
    Set<Integer> clusters = new HashSet<>();
    for (int i : chosen) {
      clusters.add(i % 4);
    }
    assertThat(clusters).containsExactlyInAnyOrder(0, 1, 2, 3);
    float[][] marks = new float[4][];
    for (int i = 0; i < 4; i++) {
      marks[i] = points.get(chosen[i]);
    }
    for (int i = 0; i < points.size(); i++) {
      assertThat(chosen[Landmarks.nearest(marks, points.get(i))] % 4).isEqualTo(i % 4);
    }
  }

  @Test
  void shouldStopWhenEveryPointIsALandmark() {
    List<float[]> points = List.of(new float[] {1, 1}, new float[] {1, 1}, new float[] {2, 2});
    assertThat(Landmarks.farthestPoints(points, 10)).hasSize(2);
    assertThat(Landmarks.farthestPoints(List.of(), 3)).isEmpty();
  }
}
