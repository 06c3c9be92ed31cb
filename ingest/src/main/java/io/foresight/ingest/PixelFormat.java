package io.foresight.ingest;

import io.foresight.schemas.avro.FrameEncoding;
import java.util.Locale;

/** Pixel formats of raw frames read from a stream, named as ffmpeg names them. */
public enum PixelFormat {
  /** 3 bytes per pixel, R G B (ffmpeg {@code -pix_fmt rgb24}). */
  RGB24(FrameEncoding.RGB8, 3),
  /** 3 bytes per pixel, B G R (ffmpeg {@code -pix_fmt bgr24}). */
  BGR24(FrameEncoding.BGR8, 3),
  /** 1 byte per pixel (ffmpeg {@code -pix_fmt gray}). */
  GRAY(FrameEncoding.GRAY8, 1);

  private final FrameEncoding encoding;
  private final int bytesPerPixel;

  PixelFormat(FrameEncoding encoding, int bytesPerPixel) {
    this.encoding = encoding;
    this.bytesPerPixel = bytesPerPixel;
  }

  public FrameEncoding encoding() {
    return encoding;
  }

  public int bytesPerPixel() {
    return bytesPerPixel;
  }

  /** Parses {@code rgb24}, {@code bgr24} or {@code gray}. */
  public static PixelFormat parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown pixel format '" + text + "'; use rgb24, bgr24 or gray", e);
    }
  }
}
