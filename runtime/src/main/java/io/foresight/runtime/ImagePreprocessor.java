package io.foresight.runtime;

import io.foresight.schemas.ModelCard;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * The model card's preprocessing, the one copy in Foresight: 8-bit pixels into the encoder's input,
 * NCHW float32 at the card's size, channel order and normalisation, written straight into one slot
 * of a batch buffer. The encoders' {@code FrameDecoder} feeds it decoded camera frames, the planner
 * (goal images, graph building) feeds it rendered RGB8 frames, so both produce the same tensor.
 *
 * <p>The steps match {@code encoders/src/test/python/preprocess.py}: a colour frame goes to a
 * one-channel model through BT.601 luma ({@code 0.299 R + 0.587 G + 0.114 B}), a grey frame to a
 * colour model by repetition; frames of another size are resized with bilinear interpolation
 * (half-pixel centres, clamped edges, no antialiasing: PyTorch's {@code
 * interpolate(mode="bilinear", align_corners=False)}); each value becomes {@code (pixel / scale -
 * mean[c]) / std[c]}, computed in double once per pixel value. Frames already at the model's size
 * take a table-lookup fast path.
 *
 * <p>A preprocessor reuses its scratch arrays and is therefore not thread-safe: use one per thread.
 * It allocates nothing per frame once it has seen a frame size.
 *
 * <pre>{@code
 * ImagePreprocessor pre = ImagePreprocessor.forInput(card.input());
 * FloatBuffer batch = Tensors.directFloats(8 * pre.frameSize());
 * pre.rgb8(rgb, 64, 64, batch, 0);
 * }</pre>
 */
public final class ImagePreprocessor {
  /** The most bytes per source pixel {@link #pixels} takes (RGBA). */
  public static final int MAX_PIXEL_STRIDE = 4;

  private final ModelCard.Input input;
  private final int channels;
  private final int height;
  private final int width;
  private final int planeSize;
  private final int frameSize;
  private final boolean grayModel;

  /** For a colour model: which colour (0 = R, 1 = G, 2 = B) each model channel holds. */
  private final int[] modelColour;

  /** value = pixel * mul[c] + add[c], i.e. (pixel / scale - mean[c]) / std[c]. */
  private final float[] mul;

  private final float[] add;
  private final float[][] lut;
  private final int[] srcOffset;

  private final float[] planar;
  private float[] luma = new float[0];

  private int tablesSrcWidth = -1;
  private int tablesSrcHeight = -1;
  private int tablesPixelStride = -1;
  private int[] xByte0;
  private int[] xByte1;
  private int[] x0;
  private int[] x1;
  private float[] fx;
  private int[] y0;
  private int[] y1;
  private float[] fy;

  private ImagePreprocessor(ModelCard.Input input) {
    if (input.height() < 1 || input.width() < 1) {
      throw new ModelRuntimeException(
          "model input size " + input.width() + "x" + input.height() + " is not positive");
    }
    String order =
        input.channelOrder() == null ? "" : input.channelOrder().toUpperCase(Locale.ROOT);
    if (input.channels() == 1
        && (order.equals("GRAY") || order.equals("GREY") || order.isEmpty())) {
      grayModel = true;
      modelColour = new int[] {-1};
    } else if (input.channels() == 3 && order.equals("RGB")) {
      grayModel = false;
      modelColour = new int[] {0, 1, 2};
    } else if (input.channels() == 3 && order.equals("BGR")) {
      grayModel = false;
      modelColour = new int[] {2, 1, 0};
    } else {
      throw new ModelRuntimeException(
          "model input has "
              + input.channels()
              + " channels in order '"
              + input.channelOrder()
              + "'; the model-card preprocessing supports 3 channels RGB or BGR, or 1 channel GRAY"
              + " (fix the model card's input.channels / input.channel_order)");
    }
    if (input.mean().length != input.channels() || input.std().length != input.channels()) {
      throw new ModelRuntimeException(
          "model card input mean/std must have one value per channel (" + input.channels() + ")");
    }
    this.input = input;
    this.channels = input.channels();
    this.height = input.height();
    this.width = input.width();
    this.planeSize = height * width;
    this.frameSize = channels * planeSize;
    this.mul = new float[channels];
    this.add = new float[channels];
    this.srcOffset = new int[channels];
    this.lut = new float[channels][256];
    for (int c = 0; c < channels; c++) {
      if (input.std()[c] == 0f || input.scale() == 0f) {
        throw new ModelRuntimeException("model card input std and scale must not be zero");
      }
      mul[c] = (float) (1.0 / ((double) input.scale() * input.std()[c]));
      add[c] = (float) (-(double) input.mean()[c] / input.std()[c]);
      for (int p = 0; p < 256; p++) {
        lut[c][p] = (float) ((p / (double) input.scale() - input.mean()[c]) / input.std()[c]);
      }
    }
    this.planar = new float[frameSize];
  }

  /**
   * A preprocessor for a model card's input.
   *
   * @throws ModelRuntimeException for an input it cannot produce (channels, order, mean/std)
   */
  public static ImagePreprocessor forInput(ModelCard.Input input) {
    return new ImagePreprocessor(input);
  }

  /** The model input this preprocessor produces. */
  public ModelCard.Input input() {
    return input;
  }

  /** Floats per frame: channels x height x width. */
  public int frameSize() {
    return frameSize;
  }

  /**
   * One RGB8 frame ({@code width * height * 3} bytes, row-major, interleaved) into slot {@code
   * slot} of {@code batch}.
   */
  public void rgb8(byte[] rgb, int width, int height, FloatBuffer batch, int slot) {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "RGB8 frame of "
              + width
              + "x"
              + height
              + " needs "
              + width * height * 3
              + " bytes but has "
              + rgb.length);
    }
    pixels(rgb, 0, width, height, 3, width * 3, 0, 1, 2, false, batch, slot);
  }

  /**
   * Interleaved 8-bit pixels into slot {@code slot} of {@code batch} (floats {@code slot *
   * frameSize()} to {@code (slot + 1) * frameSize() - 1}, absolute; the buffer's position is not
   * changed).
   *
   * @param px the pixel bytes
   * @param off where the first pixel starts
   * @param w the frame's width
   * @param h the frame's height
   * @param pixelStride bytes per pixel, 1 to {@link #MAX_PIXEL_STRIDE}
   * @param rowStride bytes per row
   * @param r byte offset of red within a pixel
   * @param g byte offset of green within a pixel
   * @param b byte offset of blue within a pixel
   * @param graySource whether the pixels are grey (one sample at offset {@code r})
   */
  public void pixels(
      byte[] px,
      int off,
      int w,
      int h,
      int pixelStride,
      int rowStride,
      int r,
      int g,
      int b,
      boolean graySource,
      FloatBuffer batch,
      int slot) {
    checkSlot(batch, slot);
    if (pixelStride > MAX_PIXEL_STRIDE || pixelStride < 1) {
      throw new IllegalArgumentException(
          "pixels of " + pixelStride + " bytes are not supported (1.." + MAX_PIXEL_STRIDE + ")");
    }
    if (w < 1 || h < 1) {
      throw new IllegalArgumentException("frame of " + w + "x" + h + " is empty");
    }
    toPlanar(px, off, w, h, pixelStride, rowStride, r, g, b, graySource);
    batch.put(slot * frameSize, planar, 0, frameSize);
  }

  /** Checks that slot {@code slot} of {@code batch} exists. */
  public void checkSlot(FloatBuffer batch, int slot) {
    if (slot < 0 || (long) (slot + 1) * frameSize > batch.capacity()) {
      throw new IllegalArgumentException(
          "slot "
              + slot
              + " does not fit a buffer of "
              + batch.capacity()
              + " floats ("
              + frameSize
              + " floats per frame)");
    }
  }

  /**
   * The common path: interleaved 8-bit pixels ({@code pixelStride} bytes per pixel, colour {@code
   * r}, {@code g}, {@code b} at those byte offsets within a pixel) into {@link #planar}.
   */
  private void toPlanar(
      byte[] px,
      int off,
      int w,
      int h,
      int pixelStride,
      int rowStride,
      int r,
      int g,
      int b,
      boolean graySource) {
    boolean sameSize = w == width && h == height;
    if (grayModel && !graySource) {
      lumaPlane(px, off, w, h, pixelStride, rowStride, r, g, b);
      if (sameSize) {
        normaliseFloats(luma);
      } else {
        tables(w, h, 1);
        resizeFloats(luma, w);
      }
      return;
    }
    for (int c = 0; c < channels; c++) {
      int colour = graySource || grayModel ? 0 : modelColour[c];
      srcOffset[c] = colour == 0 ? r : colour == 1 ? g : b;
    }
    if (sameSize) {
      if (channels == 3) {
        lookup3(px, off, pixelStride, rowStride);
      } else {
        lookup1(px, off + srcOffset[0], pixelStride, rowStride);
      }
    } else {
      tables(w, h, pixelStride);
      resizeBytes(px, off, rowStride);
    }
  }

  private void lookup3(byte[] px, int off, int pixelStride, int rowStride) {
    float[] l0 = lut[0];
    float[] l1 = lut[1];
    float[] l2 = lut[2];
    int s0 = srcOffset[0];
    int s1 = srcOffset[1];
    int s2 = srcOffset[2];
    float[] out = planar;
    int p1 = planeSize;
    int p2 = 2 * planeSize;
    int o = 0;
    for (int y = 0; y < height; y++) {
      int i = off + y * rowStride;
      for (int x = 0; x < width; x++) {
        out[o] = l0[px[i + s0] & 0xff];
        out[p1 + o] = l1[px[i + s1] & 0xff];
        out[p2 + o] = l2[px[i + s2] & 0xff];
        o++;
        i += pixelStride;
      }
    }
  }

  private void lookup1(byte[] px, int base, int pixelStride, int rowStride) {
    float[] table = lut[0];
    float[] out = planar;
    int o = 0;
    for (int y = 0; y < height; y++) {
      int i = base + y * rowStride;
      for (int x = 0; x < width; x++) {
        out[o++] = table[px[i] & 0xff];
        i += pixelStride;
      }
    }
  }

  private void resizeBytes(byte[] px, int off, int rowStride) {
    float[] out = planar;
    int[] bx0 = xByte0;
    int[] bx1 = xByte1;
    for (int c = 0; c < channels; c++) {
      int base = off + srcOffset[c];
      float a = mul[c];
      float z = add[c];
      int o = c * planeSize;
      for (int y = 0; y < height; y++) {
        int row0 = base + y0[y] * rowStride;
        int row1 = base + y1[y] * rowStride;
        float wy = fy[y];
        float wy0 = 1f - wy;
        for (int x = 0; x < width; x++) {
          int a0 = bx0[x];
          int a1 = bx1[x];
          float wx = fx[x];
          float wx0 = 1f - wx;
          float top = (px[row0 + a0] & 0xff) * wx0 + (px[row0 + a1] & 0xff) * wx;
          float bottom = (px[row1 + a0] & 0xff) * wx0 + (px[row1 + a1] & 0xff) * wx;
          out[o++] = (top * wy0 + bottom * wy) * a + z;
        }
      }
    }
  }

  private void resizeFloats(float[] plane, int srcWidth) {
    float[] out = planar;
    float a = mul[0];
    float z = add[0];
    int o = 0;
    for (int y = 0; y < height; y++) {
      int row0 = y0[y] * srcWidth;
      int row1 = y1[y] * srcWidth;
      float wy = fy[y];
      for (int x = 0; x < width; x++) {
        float wx = fx[x];
        float top = plane[row0 + x0[x]] * (1f - wx) + plane[row0 + x1[x]] * wx;
        float bottom = plane[row1 + x0[x]] * (1f - wx) + plane[row1 + x1[x]] * wx;
        out[o++] = (top * (1f - wy) + bottom * wy) * a + z;
      }
    }
  }

  private void normaliseFloats(float[] plane) {
    float a = mul[0];
    float z = add[0];
    for (int i = 0; i < planeSize; i++) {
      planar[i] = plane[i] * a + z;
    }
  }

  private void lumaPlane(
      byte[] px, int off, int w, int h, int pixelStride, int rowStride, int r, int g, int b) {
    int n = w * h;
    if (luma.length < n) {
      luma = new float[n];
    }
    int o = 0;
    for (int y = 0; y < h; y++) {
      int i = off + y * rowStride;
      for (int x = 0; x < w; x++) {
        luma[o++] =
            0.299f * (px[i + r] & 0xff) + 0.587f * (px[i + g] & 0xff) + 0.114f * (px[i + b] & 0xff);
        i += pixelStride;
      }
    }
  }

  /**
   * Bilinear source indices and weights for a source size (and byte offsets for a pixel stride);
   * cached for the last size seen.
   */
  private void tables(int srcW, int srcH, int pixelStride) {
    if (srcW != tablesSrcWidth || srcH != tablesSrcHeight) {
      x0 = new int[width];
      x1 = new int[width];
      fx = new float[width];
      axis(srcW, width, x0, x1, fx);
      y0 = new int[height];
      y1 = new int[height];
      fy = new float[height];
      axis(srcH, height, y0, y1, fy);
      tablesSrcWidth = srcW;
      tablesSrcHeight = srcH;
      tablesPixelStride = -1;
    }
    if (pixelStride != tablesPixelStride) {
      xByte0 = new int[width];
      xByte1 = new int[width];
      for (int i = 0; i < width; i++) {
        xByte0[i] = x0[i] * pixelStride;
        xByte1[i] = x1[i] * pixelStride;
      }
      tablesPixelStride = pixelStride;
    }
  }

  private static void axis(int src, int dst, int[] i0, int[] i1, float[] f) {
    double scale = (double) src / dst;
    for (int i = 0; i < dst; i++) {
      double s = Math.max((i + 0.5) * scale - 0.5, 0.0);
      int a = Math.min((int) Math.floor(s), src - 1);
      i0[i] = a;
      i1[i] = Math.min(a + 1, src - 1);
      f[i] = (float) (s - a);
    }
  }
}
