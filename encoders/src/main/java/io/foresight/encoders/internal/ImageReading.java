package io.foresight.encoders.internal;

import io.foresight.encoders.FrameDecodeException;
import io.foresight.encoders.FrameDecodeException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * JPEG and PNG decoding through {@code javax.imageio} with reused readers, in-memory streams (no
 * temp-file cache), a size check before the pixels are decoded, and failures mapped to {@link
 * FrameDecodeException} reasons. Not thread-safe.
 */
public final class ImageReading {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private ImageReader jpeg;
  private ImageReader png;
  private final List<String> warnings = new ArrayList<>();
  private final IIOReadWarningListener warningListener = (source, warning) -> warnings.add(warning);

  /** Checks an image's size before its pixels are decoded. */
  @FunctionalInterface
  public interface SizeCheck {
    /** Throws {@link FrameDecodeException} if the size is not acceptable. */
    void check(String what, int width, int height);
  }

  /**
   * Interleaved 8-bit pixels inside a decoded image.
   *
   * @param data the image's bytes
   * @param offset byte offset of the first pixel
   * @param pixelStride bytes per pixel
   * @param rowStride bytes per row
   * @param r byte offset of red within a pixel (of grey for grey images)
   * @param g byte offset of green
   * @param b byte offset of blue
   * @param gray whether the image has one colour channel
   */
  public record Pixels(
      byte[] data, int offset, int pixelStride, int rowStride, int r, int g, int b, boolean gray) {}

  /** Decodes a JPEG or PNG image. */
  public BufferedImage read(boolean isJpeg, byte[] data, int off, int len, SizeCheck sizeCheck) {
    String format = isJpeg ? "JPEG" : "PNG";
    checkSignature(isJpeg, data, off, len);
    ImageReader reader = isJpeg ? jpegReader() : pngReader();
    warnings.clear();
    try (ImageInputStream in =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(data, off, len))) {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener(warningListener);
      int w = reader.getWidth(0);
      int h = reader.getHeight(0);
      sizeCheck.check(format + " image", w, h);
      BufferedImage img = reader.read(0, reader.getDefaultReadParam());
      if (!warnings.isEmpty()) {
        throw failure(isJpeg, data, off, len, String.join("; ", warnings), null);
      }
      return img;
    } catch (FrameDecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // javax.imageio also throws unchecked exceptions on some malformed streams.
      throw failure(isJpeg, data, off, len, describe(e), e);
    } finally {
      reader.removeAllIIOReadWarningListeners();
      reader.setInput(null);
    }
  }

  /**
   * The interleaved bytes of an image of 8-bit samples in an RGB or grey colour space, or null if
   * the image is laid out otherwise (palette, 16-bit samples, packed ints).
   */
  public static Pixels interleavedBytes(BufferedImage img) {
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    if (cm instanceof IndexColorModel
        || !(raster.getDataBuffer() instanceof DataBufferByte db)
        || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel sm)
        || raster.getSampleModelTranslateX() != 0
        || raster.getSampleModelTranslateY() != 0
        || db.getNumBanks() != 1) {
      return null;
    }
    for (int s : sm.getSampleSize()) {
      if (s != 8) {
        return null;
      }
    }
    int[] bands = sm.getBandOffsets();
    int type = cm.getColorSpace().getType();
    boolean gray = type == ColorSpace.TYPE_GRAY && bands.length >= 1;
    if (!gray && !(type == ColorSpace.TYPE_RGB && bands.length >= 3)) {
      return null;
    }
    return new Pixels(
        db.getData(),
        db.getOffset(),
        sm.getPixelStride(),
        sm.getScanlineStride(),
        bands[0],
        bands[gray ? 0 : 1],
        bands[gray ? 0 : 2],
        gray);
  }

  /** Whether an image has a single colour channel (grey, with or without alpha). */
  public static boolean isGray(BufferedImage img) {
    return !(img.getColorModel() instanceof IndexColorModel)
        && img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  /** The grey samples of a grey image scaled to 8 bits, without colour conversion. */
  public static void graySamples(BufferedImage img, byte[] out, int[] row) {
    Raster raster = img.getRaster();
    int w = img.getWidth();
    int h = img.getHeight();
    int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        out[o + x] = (byte) (row[x] >>> shift);
      }
    }
  }

  private static void checkSignature(boolean isJpeg, byte[] data, int off, int len) {
    if (isJpeg) {
      if (len < 2 || data[off] != (byte) 0xFF || data[off + 1] != (byte) 0xD8) {
        throw new FrameDecodeException(
            Reason.CORRUPT_IMAGE,
            "frame says JPEG but its "
                + len
                + " bytes do not start with the JPEG marker FF D8"
                + (len == 0 ? " (empty)" : ""));
      }
    } else {
      if (len < PNG_SIGNATURE.length) {
        throw new FrameDecodeException(
            len == 0 ? Reason.CORRUPT_IMAGE : Reason.TRUNCATED_IMAGE,
            "frame says PNG but has only " + len + " bytes");
      }
      for (int i = 0; i < PNG_SIGNATURE.length; i++) {
        if (data[off + i] != PNG_SIGNATURE[i]) {
          throw new FrameDecodeException(
              Reason.CORRUPT_IMAGE, "frame says PNG but its bytes lack the PNG signature");
        }
      }
    }
  }

  /**
   * A read that failed is a truncated image when the bytes lack the format's end marker (JPEG: EOI
   * {@code FF D9}, possibly followed by zero padding; PNG: the {@code IEND} chunk), else corrupt.
   */
  private static FrameDecodeException failure(
      boolean isJpeg, byte[] data, int off, int len, String what, Throwable cause) {
    String format = isJpeg ? "JPEG" : "PNG";
    if (!endsWithEndMarker(isJpeg, data, off, len)) {
      return new FrameDecodeException(
          Reason.TRUNCATED_IMAGE,
          format
              + " image of "
              + len
              + " bytes ends early (no "
              + (isJpeg ? "EOI marker FF D9" : "IEND chunk")
              + " at the end): "
              + what,
          cause);
    }
    return new FrameDecodeException(
        Reason.CORRUPT_IMAGE,
        format + " image of " + len + " bytes cannot be read: " + what,
        cause);
  }

  private static boolean endsWithEndMarker(boolean isJpeg, byte[] data, int off, int len) {
    int end = off + len;
    if (isJpeg) {
      while (end > off && data[end - 1] == 0) {
        end--;
      }
      return end - off >= 4 && data[end - 2] == (byte) 0xFF && data[end - 1] == (byte) 0xD9;
    }
    byte[] iend = {'I', 'E', 'N', 'D'};
    if (len < PNG_SIGNATURE.length + 12) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      if (data[end - 8 + i] != iend[i]) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
    Throwable c = e.getCause();
    if (c != null && c != e) {
      sb.append(" (").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
      sb.append(')');
    }
    return sb.toString();
  }

  private ImageReader jpegReader() {
    if (jpeg == null) {
      jpeg = reader("jpeg");
    }
    return jpeg;
  }

  private ImageReader pngReader() {
    if (png == null) {
      png = reader("png");
    }
    return png;
  }

  private static ImageReader reader(String format) {
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
    if (!it.hasNext()) {
      throw new IllegalStateException("this JVM has no javax.imageio reader for " + format);
    }
    return it.next();
  }
}
