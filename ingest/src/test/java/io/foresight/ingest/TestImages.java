package io.foresight.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Real PNG and JPEG bytes made with javax.imageio, for tests. */
public final class TestImages {
  private TestImages() {}

  /** A w x h image with a gradient and a marker that depends on {@code seed}. */
  public static byte[] encode(String format, int w, int h, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (x * 255 / Math.max(1, w - 1) + seed * 40) & 0xff;
        int g = (y * 255 / Math.max(1, h - 1)) & 0xff;
        int b = (seed * 97) & 0xff;
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
