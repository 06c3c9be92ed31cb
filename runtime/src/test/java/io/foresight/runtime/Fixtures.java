package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Test resources: the encoders' test encoder and a subset of their parity fixtures (made by
 * encoders/src/test/python/make_test_encoder.py; copied, not regenerated), and the parity check.
 * The encoders' tests use them through this module's test jar.
 */
public final class Fixtures {
  /** How far a preprocessed tensor may be from preprocess.py's, per value. */
  public static final float PARITY_TOLERANCE = 1e-4f;

  private Fixtures() {}

  /** The folder of the test encoder (model-card.json, encoder.onnx). */
  public static Path testModelDir() {
    return resourceFolder(Fixtures.class, "test-encoder", "model-card.json");
  }

  /**
   * The folder {@code /dir} of test resources next to {@code anchor}, holding {@code file}. Other
   * modules' tests read it through the owning module's test jar; ONNX Runtime needs files, so then
   * the folder is the one that jar was built from ({@code target/test-classes} next to it).
   */
  public static Path resourceFolder(Class<?> anchor, String dir, String file) {
    try {
      java.net.URL url = anchor.getResource("/" + dir + "/" + file);
      if (url.getProtocol().equals("jar")) {
        String jar = url.getPath().substring(0, url.getPath().indexOf("!/"));
        return Path.of(new java.net.URI(jar)).resolveSibling("test-classes/" + dir);
      }
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The test encoder's model card. */
  public static ModelCard testCard() {
    return ModelCard.load(testModelDir());
  }

  /** The bytes of a test resource. */
  public static byte[] bytes(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Little-endian float32 values of a resource. */
  public static float[] floats(String resource) {
    byte[] b = bytes(resource);
    float[] f = new float[b.length / 4];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  /** A model input of that size and order, normalised with mean 0.5 and std 0.25. */
  static ModelCard.Input input(int channels, int height, int width, String order) {
    float[] mean = new float[channels];
    float[] std = new float[channels];
    Arrays.fill(mean, 0.5f);
    Arrays.fill(std, 0.25f);
    return new ModelCard.Input("frames", height, width, channels, order, 255f, mean, std);
  }

  /** The {@code size} floats that {@code write} puts at the start of a direct buffer. */
  public static float[] written(int size, Consumer<FloatBuffer> write) {
    FloatBuffer out = Tensors.directFloats(size);
    write.accept(out);
    float[] f = new float[size];
    out.get(0, f);
    return f;
  }

  /** Asserts that {@code actual} is within {@link #PARITY_TOLERANCE} of a float32 resource. */
  public static void assertParity(float[] actual, String expectedResource) {
    float[] expected = floats(expectedResource);
    assertThat(actual).hasSameSizeAs(expected);
    float max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    assertThat(max).as("max abs diff against " + expectedResource).isLessThan(PARITY_TOLERANCE);
  }
}
