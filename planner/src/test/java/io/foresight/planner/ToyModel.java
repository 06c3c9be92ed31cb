package io.foresight.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** The toy world model in test resources (made by src/test/python/make_toy_model.py). */
public final class ToyModel {
  private ToyModel() {}

  /** The toy model's folder (also when read through this module's test jar). */
  public static Path dir() {
    return io.foresight.runtime.Fixtures.resourceFolder(
        ToyModel.class, "toy-model", "model-card.json");
  }

  /**
   * A toy of another shape (48x48 grey frames, 16-d latents, 3-d actions), for tests that check
   * nothing assumes the shipped model's shapes.
   */
  public static Path gray48Dir() {
    return io.foresight.runtime.Fixtures.resourceFolder(
        ToyModel.class, "toy-model-gray48", "model-card.json");
  }

  /** A random latent of the toy model: 8 standard Gaussian floats. */
  public static float[] randomLatent(Random rnd) {
    float[] z = new float[8];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) rnd.nextGaussian();
    }
    return z;
  }

  public static JsonNode golden() {
    try {
      return new ObjectMapper().readTree(dir().resolve("golden.json").toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }
}
