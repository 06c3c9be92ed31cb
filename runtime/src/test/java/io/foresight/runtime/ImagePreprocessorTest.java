package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** The model-card preprocessing against the tensors of encoders/src/test/python/preprocess.py. */
class ImagePreprocessorTest {
  private static final float PARITY_TOLERANCE = 1e-4f;

  private final ImagePreprocessor pre = ImagePreprocessor.forInput(Fixtures.testCard().input());

  private static float[] rgb8(ImagePreprocessor p, byte[] px, int w, int h) {
    FloatBuffer out = Tensors.directFloats(p.frameSize());
    p.rgb8(px, w, h, out, 0);
    float[] f = new float[p.frameSize()];
    out.get(0, f);
    return f;
  }

  private static void assertParity(float[] actual, String expectedResource) {
    float[] expected = Fixtures.floats(expectedResource);
    assertThat(actual).hasSameSizeAs(expected);
    float max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    assertThat(max).as("max abs diff against " + expectedResource).isLessThan(PARITY_TOLERANCE);
  }

  @Test
  void shouldMatchPythonForRgb8AtModelSize() {
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    assertParity(rgb8(pre, px, 64, 64), "/parity/rgb_64x64.rgb-model.f32");
  }

  @Test
  void shouldMatchPythonWhenResizingRgb8() {
    byte[] px = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");
    assertParity(rgb8(pre, px, 96, 72), "/parity/rgb_96x72.rgb-model.f32");
  }

  @Test
  void shouldRepeatGrayPixelsIntoEveryChannelOfAColourModel() {
    byte[] px = Fixtures.bytes("/parity/rgb_96x72.gray.bin");
    FloatBuffer out = Tensors.directFloats(pre.frameSize());
    pre.pixels(px, 0, 96, 72, 1, 96, 0, 0, 0, true, out, 0);
    float[] f = new float[pre.frameSize()];
    out.get(0, f);
    assertParity(f, "/parity/rgb_96x72.gray-input.rgb-model.f32");
  }

  @Test
  void shouldConvertColourToLumaForAGrayModel() {
    ModelCard.Input gray =
        new ModelCard.Input(
            "frames", 32, 32, 1, "GRAY", 255f, new float[] {0.45f}, new float[] {0.2f});
    byte[] px = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");
    assertParity(
        rgb8(ImagePreprocessor.forInput(gray), px, 96, 72), "/parity/rgb_96x72.gray-model.f32");
  }

  @Test
  void shouldWriteOnlyItsOwnSlot() {
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    int n = pre.frameSize();
    FloatBuffer out = Tensors.directFloats(3 * n);
    for (int i = 0; i < 3 * n; i++) {
      out.put(i, -7f);
    }
    pre.rgb8(px, 64, 64, out, 1);
    assertThat(out.get(0)).isEqualTo(-7f);
    assertThat(out.get(2 * n)).isEqualTo(-7f);
    assertThat(out.get(n)).isNotEqualTo(-7f);
    assertThat(out.position()).isZero();
  }

  @Test
  void shouldNotAllocatePerFrame() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    byte[] same = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    byte[] other = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");
    FloatBuffer out = Tensors.directFloats(pre.frameSize());
    for (int i = 0; i < 200; i++) {
      pre.rgb8(same, 64, 64, out, 0);
      pre.rgb8(other, 96, 72, out, 0);
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1000; i++) {
      pre.rgb8(same, 64, 64, out, 0);
      pre.rgb8(other, 96, 72, out, 0);
    }
    assertThat((mx.getCurrentThreadAllocatedBytes() - before) / 2000).isLessThan(64);
  }

  @Test
  void shouldRefuseWrongSizesSlotsAndInputs() {
    FloatBuffer out = Tensors.directFloats(pre.frameSize());
    assertThatThrownBy(() -> pre.rgb8(new byte[10], 64, 64, out, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 12288 bytes but has 10");
    assertThatThrownBy(() -> pre.rgb8(new byte[64 * 64 * 3], 64, 64, out, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot 1 does not fit");
    assertThatThrownBy(() -> ImagePreprocessor.forInput(Fixtures.input(4, 8, 8, "RGBA")))
        .isInstanceOf(ModelRuntimeException.class)
        .hasMessageContaining("supports 3 channels RGB or BGR, or 1 channel GRAY");
  }
}
