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
    return Path.of(OnnxGraphStatsTest.class.getResource("/toy-model/" + file).toURI());
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
      // Rows of A pick rows 0 and 1 of B: small pseudo-random values, all different.
      assertThat(c[0][0]).isNotEqualTo(c[1][0]);
      assertThat(Math.abs(c[0][0])).isLessThanOrEqualTo(0.05f);
      assertThat(c[1][2]).isCloseTo(c[1][2], within(0f));
    }
  }
}
