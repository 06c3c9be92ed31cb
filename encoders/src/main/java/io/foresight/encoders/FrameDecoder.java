package io.foresight.encoders;

import io.foresight.encoders.FrameDecodeException.Reason;
import io.foresight.encoders.internal.ImageReading;
import io.foresight.runtime.ImagePreprocessor;
import io.foresight.runtime.ModelRuntimeException;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Turns camera frames (RGB8, BGR8, GRAY8, JPEG, PNG) into the encoder's input: NCHW float32 at the
 * model card's size, channel order and normalisation, written straight into one slot of a batch
 * buffer.
 *
 * <p>Decoding (raw layouts, JPEG and PNG, the frame limits, a reason for every refusal) is done
 * here; the model card's preprocessing (luma or repetition between grey and colour, bilinear
 * resizing, normalisation) is the runtime's {@link ImagePreprocessor}, the one copy that the
 * planner's goal and graph encoding use too. Raw frames already at the model's size take its
 * table-lookup fast path.
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
  private final ImagePreprocessor preprocessor;
  private final int frameSize;
  private final int maxSide;
  private final long maxPixels;

  private byte[] copy = new byte[0];
  private byte[] rgbScratch = new byte[0];
  private int[] rowScratch = new int[0];

  private final ImageReading images = new ImageReading();

  private FrameDecoder(ModelCard.Input input, int maxSide, long maxPixels) {
    try {
      this.preprocessor = ImagePreprocessor.forInput(input);
    } catch (ModelRuntimeException e) {
      throw new EncoderException(e.getMessage(), e);
    }
    this.frameSize = preprocessor.frameSize();
    this.maxSide = maxSide;
    this.maxPixels = maxPixels;
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
    return preprocessor.input();
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
      case RGB8 -> decodeRaw(width, height, 3, data, offset, length, 0, 1, 2, batch, slot);
      case BGR8 -> decodeRaw(width, height, 3, data, offset, length, 2, 1, 0, batch, slot);
      case GRAY8 -> decodeRaw(width, height, 1, data, offset, length, 0, 0, 0, batch, slot);
      case JPEG, PNG ->
          decodeCompressed(encoding, width, height, data, offset, length, batch, slot);
      default ->
          throw new FrameDecodeException(
              Reason.UNSUPPORTED_ENCODING,
              "frame encoding " + encoding + " is not supported by this decoder");
    }
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
    preprocessor.checkSlot(batch, slot);
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
      int w,
      int h,
      int srcChannels,
      byte[] data,
      int off,
      int len,
      int r,
      int g,
      int b,
      FloatBuffer batch,
      int slot) {
    checkRaw(w, h, srcChannels, len);
    preprocessor.pixels(
        data, off, w, h, srcChannels, w * srcChannels, r, g, b, srcChannels == 1, batch, slot);
  }

  private void decodeCompressed(
      FrameEncoding encoding,
      int declaredW,
      int declaredH,
      byte[] data,
      int off,
      int len,
      FloatBuffer batch,
      int slot) {
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
      if (px.pixelStride() > ImagePreprocessor.MAX_PIXEL_STRIDE) {
        throw new FrameDecodeException(
            Reason.UNSUPPORTED_ENCODING,
            "pixels of " + px.pixelStride() + " bytes are not supported");
      }
      preprocessor.pixels(
          px.data(),
          px.offset(),
          w,
          h,
          px.pixelStride(),
          px.rowStride(),
          px.r(),
          px.g(),
          px.b(),
          px.gray(),
          batch,
          slot);
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
      preprocessor.pixels(rgbScratch, 0, w, h, 1, w, 0, 0, 0, true, batch, slot);
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
      preprocessor.pixels(rgbScratch, 0, w, h, 3, w * 3, 0, 1, 2, false, batch, slot);
    }
  }
}
