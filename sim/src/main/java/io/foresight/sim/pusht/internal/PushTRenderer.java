package io.foresight.sim.pusht.internal;

import io.foresight.sim.pusht.PushTConfig;

/**
 * Draws Push-T frames: background and walls (cached), the block as two rotated rectangles and the
 * agent disc, each anti-aliased by 4x4 super-sampling and blended over what is there. Coordinates
 * in arena units, converted with the configuration's scale. Allocates nothing per frame.
 */
public final class PushTRenderer {
  private static final int SUPERSAMPLE = 4;

  private final PushTConfig cfg;
  private final int width;
  private final int height;
  private final float scale;
  private final byte[] scene;
  private final int background;
  private final int wall;

  public PushTRenderer(PushTConfig cfg, int background, int wall) {
    this.cfg = cfg;
    this.width = cfg.width();
    this.height = cfg.height();
    this.scale = cfg.scale();
    this.background = background;
    this.wall = wall;
    this.scene = new byte[cfg.frameBytes()];
    drawScene();
  }

  private void drawScene() {
    float t = cfg.wallThickness();
    float w = PushTConfig.ARENA_WIDTH;
    float h = cfg.arenaHeight();
    float inv = 1f / SUPERSAMPLE;
    for (int row = 0; row < height; row++) {
      for (int col = 0; col < width; col++) {
        int hits = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
          float uy = (row + (sy + 0.5f) * inv) / scale;
          for (int sx = 0; sx < SUPERSAMPLE; sx++) {
            float ux = (col + (sx + 0.5f) * inv) / scale;
            if (ux < t || uy < t || ux > w - t || uy > h - t) {
              hits++;
            }
          }
        }
        int o = (row * width + col) * 3;
        put(scene, o, background);
        if (hits > 0) {
          blendPixel(scene, o, wall, hits / (float) (SUPERSAMPLE * SUPERSAMPLE));
        }
      }
    }
  }

  /** Copies the background and walls into {@code rgb}. */
  public void scene(byte[] rgb) {
    System.arraycopy(scene, 0, rgb, 0, scene.length);
  }

  /** Draws the T with its centre of mass at (x, y) units, turned by {@code angle} radians. */
  public void block(byte[] rgb, double x, double y, double angle, int color) {
    float r = cfg.blockRadius();
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    float c = cfg.centroidFromTop();
    float halfBar = cfg.barLength() / 2;
    float halfT = cfg.thickness() / 2;
    float barTop = -c;
    float barBottom = cfg.thickness() - c;
    float stemBottom = cfg.thickness() + cfg.stemLength() - c;
    int x0 = Math.max(0, (int) Math.floor((x - r) * scale));
    int x1 = Math.min(width - 1, (int) Math.floor((x + r) * scale));
    int y0 = Math.max(0, (int) Math.floor((y - r) * scale));
    int y1 = Math.min(height - 1, (int) Math.floor((y + r) * scale));
    float inv = 1f / SUPERSAMPLE;
    for (int row = y0; row <= y1; row++) {
      for (int col = x0; col <= x1; col++) {
        int hits = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
          double dy = (row + (sy + 0.5f) * inv) / scale - y;
          for (int sx = 0; sx < SUPERSAMPLE; sx++) {
            double dx = (col + (sx + 0.5f) * inv) / scale - x;
            // Into the block's own frame: rotate by -angle.
            double lx = cos * dx + sin * dy;
            double ly = -sin * dx + cos * dy;
            boolean inBar = lx >= -halfBar && lx <= halfBar && ly >= barTop && ly <= barBottom;
            boolean inStem = lx >= -halfT && lx <= halfT && ly > barBottom && ly <= stemBottom;
            if (inBar || inStem) {
              hits++;
            }
          }
        }
        if (hits > 0) {
          blendPixel(
              rgb, (row * width + col) * 3, color, hits / (float) (SUPERSAMPLE * SUPERSAMPLE));
        }
      }
    }
  }

  /** Draws a disc of radius {@code rad} units centred at (cx, cy) units. */
  public void disc(byte[] rgb, double cx, double cy, double rad, int color) {
    double px = cx * scale;
    double py = cy * scale;
    double pr = rad * scale;
    int x0 = Math.max(0, (int) Math.floor(px - pr));
    int x1 = Math.min(width - 1, (int) Math.floor(px + pr));
    int y0 = Math.max(0, (int) Math.floor(py - pr));
    int y1 = Math.min(height - 1, (int) Math.floor(py + pr));
    double r2 = pr * pr;
    float inv = 1f / SUPERSAMPLE;
    for (int row = y0; row <= y1; row++) {
      for (int col = x0; col <= x1; col++) {
        int hits = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
          double dy = row + (sy + 0.5f) * inv - py;
          for (int sx = 0; sx < SUPERSAMPLE; sx++) {
            double dx = col + (sx + 0.5f) * inv - px;
            if (dx * dx + dy * dy <= r2) {
              hits++;
            }
          }
        }
        if (hits > 0) {
          blendPixel(
              rgb, (row * width + col) * 3, color, hits / (float) (SUPERSAMPLE * SUPERSAMPLE));
        }
      }
    }
  }

  private static void put(byte[] rgb, int o, int color) {
    rgb[o] = (byte) (color >>> 16);
    rgb[o + 1] = (byte) (color >>> 8);
    rgb[o + 2] = (byte) color;
  }

  private static void blendPixel(byte[] rgb, int o, int color, float c) {
    rgb[o] = blend(rgb[o], (color >>> 16) & 0xff, c);
    rgb[o + 1] = blend(rgb[o + 1], (color >>> 8) & 0xff, c);
    rgb[o + 2] = blend(rgb[o + 2], color & 0xff, c);
  }

  private static byte blend(byte under, int over, float c) {
    return (byte) Math.round((under & 0xff) * (1f - c) + over * c);
  }
}
