package io.foresight.tools.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.pipeline.PipelineException;
import io.foresight.schemas.ModelCard;
import io.foresight.tools.eval.internal.Npy;
import io.foresight.tools.eval.internal.RuntimeModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks that the runtime reproduces a model's golden vectors ({@code golden/} beside the model
 * card, written by the training recipe with PyTorch): raw frames through the runtime's frame
 * decoder and ONNX encoder give the golden latents, and the ONNX predictor gives the golden next
 * latents, within the golden file's tolerance.
 *
 * <pre>{@code
 * GoldenParity.Report r = GoldenParity.check(ModelCard.shippedDir(), "cpu");
 * assert r.passed();
 * }</pre>
 */
public final class GoldenParity {
  private GoldenParity() {}

  /**
   * The parity figures.
   *
   * @param count golden samples
   * @param encoderMaxAbsDiff largest absolute difference of a latent value
   * @param predictorMaxAbsDiff largest absolute difference of a next-latent value
   * @param tolerance the largest difference allowed
   */
  public record Report(
      int count, double encoderMaxAbsDiff, double predictorMaxAbsDiff, double tolerance) {
    /** True when both differences are within the tolerance. */
    public boolean passed() {
      return encoderMaxAbsDiff < tolerance && predictorMaxAbsDiff < tolerance;
    }

    /** JSON-ready key/values. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("eval", "parity");
      m.put("count", count);
      m.put("encoder_max_abs_diff", encoderMaxAbsDiff);
      m.put("predictor_max_abs_diff", predictorMaxAbsDiff);
      m.put("tolerance", tolerance);
      m.put("passed", passed());
      return m;
    }
  }

  /** Verifies the model files' hashes, then runs the golden inputs through the runtime. */
  public static Report check(Path modelDir, String device) {
    ModelCard card = ModelCard.load(modelDir).verifyFiles();
    Path golden = modelDir.resolve("golden");
    JsonNode meta;
    try {
      meta = new ObjectMapper().readTree(golden.resolve("golden.json").toFile());
    } catch (IOException e) {
      throw new PipelineException(
          "Error reading " + golden.resolve("golden.json") + " (golden vectors): " + e, e);
    }
    double tolerance = meta.path("tolerance_max_abs").asDouble(1e-4);
    Npy frames = Npy.read(golden.resolve(meta.path("files").path("frames").path("path").asText()));
    float[] latents =
        Npy.read(golden.resolve(meta.path("files").path("latents").path("path").asText())).floats();
    float[] actions =
        Npy.read(golden.resolve(meta.path("files").path("actions").path("path").asText())).floats();
    float[] next =
        Npy.read(golden.resolve(meta.path("files").path("next_latents").path("path").asText()))
            .floats();
    int[] shape = frames.shape();
    if (shape.length != 4 || shape[3] != 3) {
      throw new PipelineException(
          "golden frames must be uint8 [N,H,W,3], got shape " + java.util.Arrays.toString(shape));
    }
    int n = shape[0];
    int d = card.latentSize();
    if (latents.length != n * d || next.length != n * d || actions.length != n * 2) {
      throw new PipelineException(
          "golden vectors in " + golden + " do not match the card's latent size " + d);
    }
    try (RuntimeModel model = RuntimeModel.open(modelDir, device, 0)) {
      float[] z = new float[n * d];
      model.encode(frames.bytes(), 0, n, shape[2], shape[1], z, 0);
      float[] z2 = new float[n * d];
      model.predict(latents, actions, n, z2);
      return new Report(n, maxAbsDiff(z, latents), maxAbsDiff(z2, next), tolerance);
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
