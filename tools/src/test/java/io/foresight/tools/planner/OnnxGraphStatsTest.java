package io.foresight.tools.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxGraphStatsTest {

  static Path toy(String file) throws URISyntaxException {
    return io.foresight.planner.ToyModel.dir().resolve(file);
  }

  @Test
  void shouldCountTheMatmulFlopsOfAnExportedMlp() throws Exception {
    // Toy predictor: Gemm 10->16, 16->16, 16->8 (weights stored transposed by the exporter).
    OnnxGraphStats.MatmulWork w = OnnxGraphStats.matmulWork(toy("predictor.onnx"));

    assertThat(w.flopsPerRow()).isEqualTo(2L * (10 * 16 + 16 * 16 + 16 * 8));
    assertThat(w.weightShapes()).hasSize(3);
  }

  @Test
  void shouldWriteAMatmulModelThatOnnxRuntimeRuns() throws Exception {
    byte[] model = OnnxGraphStats.matmulModel(4, 3);
    float[] a = {1, 0, 0, 0, 0, 1, 0, 0};
    try (OrtSession s = io.foresight.runtime.ModelSessions.openInMemory(model, 1);
        OnnxTensor t =
            OnnxTensor.createTensor(
                OrtEnvironment.getEnvironment(), java.nio.FloatBuffer.wrap(a), new long[] {2, 4});
        OrtSession.Result r = s.run(Map.of("A", t))) {
      float[][] c = (float[][]) r.get(0).getValue();
      assertThat(c).hasDimensions(2, 3);
      // Rows of A pick rows 0 and 1 of B, the weights drawn from SplittableRandom(3) in [-0.05,
      // 0.05): C must be exactly those rows.
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
      float[][] b = new float[4][3];
      for (float[] row : b) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) ((rnd.nextDouble() - 0.5) * 0.1);
        }
      }
      for (int j = 0; j < 3; j++) {
        assertThat(c[0][j]).as("C[0][%d]", j).isCloseTo(b[0][j], within(1e-7f));
        assertThat(c[1][j]).as("C[1][%d]", j).isCloseTo(b[1][j], within(1e-7f));
      }
      assertThat(c[0][0]).isNotEqualTo(c[1][0]);
    }
  }
}
