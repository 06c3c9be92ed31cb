package io.foresight.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The toy world model in test resources (made by src/test/python/make_toy_model.py). */
public final class ToyModel {
  private ToyModel() {}

  /**
   * The toy model's folder. Other modules' tests read it through this module's test jar; ONNX
   * Runtime needs a file, so the folder is the one the jar was built from ({@code
   * target/test-classes} next to it).
   */
  public static Path dir() {
    try {
      java.net.URL card = ToyModel.class.getResource("/toy-model/model-card.json");
      if (card.getProtocol().equals("jar")) {
        String jar = card.getPath().substring(0, card.getPath().indexOf("!/"));
        return Path.of(new java.net.URI(jar)).resolveSibling("test-classes/toy-model");
      }
      return Path.of(card.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
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
