package io.foresight.encoders;

import io.foresight.schemas.ModelCard;
import java.nio.file.Path;

/**
 * Test resources: the test encoder and the parity fixtures made by make_test_encoder.py, read
 * through the runtime's test fixtures (the same files), plus the encoders' own model inputs.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The folder of the test encoder (model-card.json, encoder.onnx). */
  public static Path testModelDir() {
    return io.foresight.runtime.Fixtures.testModelDir();
  }

  public static ModelCard testCard() {
    return io.foresight.runtime.Fixtures.testCard();
  }

  public static byte[] bytes(String resource) {
    return io.foresight.runtime.Fixtures.bytes(resource);
  }

  /** Little-endian float32 values of a resource. */
  public static float[] floats(String resource) {
    return io.foresight.runtime.Fixtures.floats(resource);
  }

  /** A model input like the test card's with another size, order and normalisation. */
  public static ModelCard.Input input(
      int channels, int height, int width, String order, float[] mean, float[] std) {
    return new ModelCard.Input("frames", height, width, channels, order, 255f, mean, std);
  }

  public static ModelCard.Input rgb64() {
    return testCard().input();
  }
}
