package io.foresight.encoders;

import io.foresight.encoders.FrameDecodeException.Reason;
import io.foresight.encoders.internal.ImageReading;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * Turns camera frames (RGB8, BGR8, GRAY8, JPEG, PNG) into the encoder's input: NCHW float32 at the
 * model card's size, channel order and normalisation, written straight into one slot of a batch
 * buffer.
 *
 * <p>The steps match {@code encoders/src/test/python/preprocess.py}: a colour frame goes to a
 * one-channel model through BT.601 luma ({@code 0.299 R + 0.587 G + 0.114 B}), a grey frame to a
 * colour model by repetition; frames of another size are resized with bilinear interpolation
 * (half-pixel centres, clamped edges, no antialiasing: PyTorch's {@code
 * interpolate(mode="bilinear", align_corners=False)}); each value becomes {@code (pixel / scale -
 * mean[c]) / std[c]}. Raw frames already at the model's size take a table-lookup fast path.
 *
 * <p>A decoder reuses its scratch arrays and image readers and is therefore not thread-safe: use
 * one per thread (one per Flink subtask). It allocates nothing per raw frame; JPEG and PNG frames
 * are decoded by {@code javax.imageio}, which allocates the decoded image.
 *
 * <pre>{@code
 * FrameDecoder decoder = FrameDecoder.forInput(card.input());
 * FloatBuffer batch = Tensors.directFloats(32 * decoder.frameSize());
 * decoder.decode(frame, batch, 0); // throws FrameDecodeException with a reason for bad frames
 * }</pre>
 */
public final class FrameDecoder {
  private static final int MAX_SOURCE_CHANNELS = 4;

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
  private final int maxSide;
  private final long maxPixels;

  private final float[] planar;
  private float[] luma = new float[0];
  private byte[] copy = new byte[0];
  private byte[] rgbScratch = new byte[0];
  private int[] rowScratch = new int[0];

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

  private final ImageReading images = new ImageReading();

  private FrameDecoder(ModelCard.Input input, int maxSide, long maxPixels) {
    if (input.height() < 1 || input.width() < 1) {
      throw new EncoderException(
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
      throw new EncoderException(
          "model input has "
              + input.channels()
              + " channels in order '"
              + input.channelOrder()
              + "'; the frame decoder supports 3 channels RGB or BGR, or 1 channel GRAY (fix the"
              + " model card's input.channels / input.channel_order)");
    }
    if (input.mean().length != input.channels() || input.std().length != input.channels()) {
      throw new EncoderException(
          "model card input mean/std must have one value per channel (" + input.channels() + ")");
    }
    this.input = input;
    this.channels = input.channels();
    this.height = input.height();
    this.width = input.width();
    this.planeSize = height * width;
    this.frameSize = channels * planeSize;
    this.maxSide = maxSide;
    this.maxPixels = maxPixels;
    this.mul = new float[channels];
    this.add = new float[channels];
    this.srcOffset = new int[channels];
    this.lut = new float[channels][256];
    for (int c = 0; c < channels; c++) {
      if (input.std()[c] == 0f || input.scale() == 0f) {
        throw new EncoderException("model card input std and scale must not be zero");
      }
      mul[c] = (float) (1.0 / ((double) input.scale() * input.std()[c]));
      add[c] = (float) (-(double) input.mean()[c] / input.std()[c]);
      for (int p = 0; p < 256; p++) {
        lut[c][p] = (float) ((p / (double) input.scale() - input.mean()[c]) / input.std()[c]);
      }
    }
    this.planar = new float[frameSize];
  }

  /** A decoder for a model input with the default frame limits. */
  public static FrameDecoder forInput(ModelCard.Input input) {
    return forInput(input, EncoderOptions.defaults());
  }

  /** A decoder for a model input with the frame limits of {@code options}. */
  public static FrameDecoder forInput(ModelCard.Input input, EncoderOptions options) {
    return new FrameDecoder(input, options.maxFrameSide(), options.maxFramePixels());
  }

  /** The model input this decoder produces. */
  public ModelCard.Input input() {
    return input;
  }

  /** Floats per decoded frame: channels x height x width. */
  public int frameSize() {
    return frameSize;
  }

  /**
   * Decodes a frame into slot {@code slot} of {@code batch} (floats {@code slot * frameSize()} to
   * {@code (slot + 1) * frameSize() - 1}, absolute; the buffer's position is not changed).
   *
   * @throws FrameDecodeException for a frame that cannot be decoded; the slot is then unspecified
   */
  public void decode(CameraFrame frame, FloatBuffer batch, int slot) {
    ByteBuffer data = frame.getData();
    decode(frame.getEncoding(), frame.getWidth(), frame.getHeight(), data, batch, slot);
  }

  /** Decodes frame bytes given as a buffer (from its position to its limit). */
  public void decode(
      FrameEncoding encoding, int width, int height, ByteBuffer data, FloatBuffer batch, int slot) {
    if (data == null) {
      throw new FrameDecodeException(Reason.SIZE_MISMATCH, "frame has no data");
    }
    if (data.hasArray()) {
      decode(
          encoding,
          width,
          height,
          data.array(),
          data.arrayOffset() + data.position(),
          data.remaining(),
          batch,
          slot);
    } else {
      int n = data.remaining();
      if (copy.length < n) {
        copy = new byte[n];
      }
      data.duplicate().get(copy, 0, n);
      decode(encoding, width, height, copy, 0, n, batch, slot);
    }
  }

  /** Decodes frame bytes {@code data[offset, offset + length)}. */
  public void decode(
      FrameEncoding encoding,
      int width,
      int height,
      byte[] data,
      int offset,
      int length,
      FloatBuffer batch,
      int slot) {
    checkSlot(batch, slot);
    if (data == null) {
      throw new FrameDecodeException(Reason.SIZE_MISMATCH, "frame has no data");
    }
    if (offset < 0 || length < 0 || (long) offset + length > data.length) {
      throw new IllegalArgumentException(
          "bytes ["
              + offset
              + ", "
              + offset
              + "+"
              + length
              + ") outside an array of "
              + data.length);
    }
    checkHeader(encoding, width, height, length);
    switch (encoding) {
      case RGB8 -> decodeRaw(width, height, 3, data, offset, length, 0, 1, 2);
      case BGR8 -> decodeRaw(width, height, 3, data, offset, length, 2, 1, 0);
      case GRAY8 -> decodeRaw(width, height, 1, data, offset, length, 0, 0, 0);
      case JPEG, PNG -> decodeCompressed(encoding, width, height, data, offset, length);
      default ->
          throw new FrameDecodeException(
              Reason.UNSUPPORTED_ENCODING,
              "frame encoding " + encoding + " is not supported by this decoder");
    }
    batch.put(slot * frameSize, planar, 0, frameSize);
  }

  /**
   * The checks that need only a frame's header and its byte count, without decoding: a known
   * encoding, dimensions within the limits, and for raw frames exactly {@code width x height x
   * channels} bytes ({@code length} -1 = no data). A frame that passes can still fail to decode (a
   * truncated JPEG). Cheap enough for a task thread that hands the decoding to another.
   *
   * @throws FrameDecodeException with the reason, as {@link #decode} would
   */
  public void checkHeader(FrameEncoding encoding, int width, int height, int length) {
    if (length < 0) {
      throw new FrameDecodeException(Reason.SIZE_MISMATCH, "frame has no data");
    }
    if (encoding == null) {
      throw new FrameDecodeException(
          Reason.UNSUPPORTED_ENCODING,
          "frame has no encoding; expected one of RGB8, BGR8, GRAY8, JPEG, PNG");
    }
    switch (encoding) {
      case RGB8, BGR8 -> checkRaw(width, height, 3, length);
      case GRAY8 -> checkRaw(width, height, 1, length);
      case JPEG, PNG -> {
        if (width < 0 || height < 0) {
          throw new FrameDecodeException(
              Reason.BAD_DIMENSIONS,
              encoding
                  + " frame declares width "
                  + width
                  + " and height "
                  + height
                  + "; use the image's size or 0 for unknown");
        }
      }
      default ->
          throw new FrameDecodeException(
              Reason.UNSUPPORTED_ENCODING,
              "frame encoding " + encoding + " is not supported by this decoder");
    }
  }

  private void checkRaw(int w, int h, int srcChannels, int len) {
    checkDimensions("frame", w, h);
    long expected = (long) w * h * srcChannels;
    if (expected != len) {
      throw new FrameDecodeException(
          Reason.SIZE_MISMATCH,
          "raw frame of "
              + w
              + "x"
              + h
              + "x"
              + srcChannels
              + " needs "
              + expected
              + " bytes but has "
              + len);
    }
  }

  private void checkSlot(FloatBuffer batch, int slot) {
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

  private void checkDimensions(String what, int w, int h) {
    if (w <= 0 || h <= 0) {
      throw new FrameDecodeException(
          Reason.BAD_DIMENSIONS,
          what + " has width " + w + " and height " + h + "; both must be positive");
    }
    if (w > maxSide || h > maxSide || (long) w * h > maxPixels) {
      throw new FrameDecodeException(
          Reason.BAD_DIMENSIONS,
          what
              + " is "
              + w
              + "x"
              + h
              + ", over the limit of "
              + maxSide
              + " pixels per side and "
              + maxPixels
              + " pixels (encoder.frame.max.side, encoder.frame.max.pixels)");
    }
  }

  private void decodeRaw(
      int w, int h, int srcChannels, byte[] data, int off, int len, int r, int g, int b) {
    checkRaw(w, h, srcChannels, len);
    fromPixels(data, off, w, h, srcChannels, w * srcChannels, r, g, b, srcChannels == 1);
  }

  private void decodeCompressed(
      FrameEncoding encoding, int declaredW, int declaredH, byte[] data, int off, int len) {
    BufferedImage img =
        images.read(encoding == FrameEncoding.JPEG, data, off, len, this::checkDimensions);
    int w = img.getWidth();
    int h = img.getHeight();
    if ((declaredW > 0 && declaredW != w) || (declaredH > 0 && declaredH != h)) {
      throw new FrameDecodeException(
          Reason.SIZE_MISMATCH,
          encoding
              + " frame declares "
              + declaredW
              + "x"
              + declaredH
              + " but the image is "
              + w
              + "x"
              + h);
    }
    ImageReading.Pixels px = ImageReading.interleavedBytes(img);
    if (px != null) {
      fromPixels(
          px.data(),
          px.offset(),
          w,
          h,
          px.pixelStride(),
          px.rowStride(),
          px.r(),
          px.g(),
          px.b(),
          px.gray());
      return;
    }
    // Other layouts (palette, 16-bit, packed ints): through sRGB ints, row by row.
    if (rowScratch.length < w) {
      rowScratch = new int[w];
    }
    int need = w * h * 3;
    if (rgbScratch.length < need) {
      rgbScratch = new byte[need];
    }
    boolean gray = ImageReading.isGray(img);
    if (gray) {
      ImageReading.graySamples(img, rgbScratch, rowScratch);
      fromPixels(rgbScratch, 0, w, h, 1, w, 0, 0, 0, true);
    } else {
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, rowScratch, 0, w);
        int o = y * w * 3;
        for (int x = 0; x < w; x++) {
          int argb = rowScratch[x];
          rgbScratch[o++] = (byte) (argb >>> 16);
          rgbScratch[o++] = (byte) (argb >>> 8);
          rgbScratch[o++] = (byte) argb;
        }
      }
      fromPixels(rgbScratch, 0, w, h, 3, w * 3, 0, 1, 2, false);
    }
  }

  /**
   * The common path: interleaved 8-bit pixels ({@code pixelStride} bytes per pixel, colour {@code
   * r}, {@code g}, {@code b} at those byte offsets within a pixel) into {@link #planar}.
   */
  private void fromPixels(
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
    if (pixelStride > MAX_SOURCE_CHANNELS || pixelStride < 1) {
      throw new FrameDecodeException(
          Reason.UNSUPPORTED_ENCODING, "pixels of " + pixelStride + " bytes are not supported");
    }
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
