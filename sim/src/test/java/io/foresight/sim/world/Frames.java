package io.foresight.sim.world;

/** Pixel helpers for tests: where the agent is in an RGB8 frame. */
final class Frames {
  private Frames() {}

  /**
   * How much of the agent colour a pixel holds (0..1), from how far red exceeds green; the
   * background, wall and ball colours all have red <= green.
   */
  static double agentWeight(byte[] rgb, int width, int x, int y) {
    int o = (y * width + x) * 3;
    int r = rgb[o] & 0xff;
    int g = rgb[o + 1] & 0xff;
    int excess = r - g;
    int full = ((TwoRoomsWorld.AGENT_RGB >> 16) & 0xff) - ((TwoRoomsWorld.AGENT_RGB >> 8) & 0xff);
    return Math.max(0, excess) / (double) full;
  }

  /** Total agent weight (about the disc's area in pixels). */
  static double agentMass(byte[] rgb, int width, int height) {
    double m = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        m += agentWeight(rgb, width, x, y);
      }
    }
    return m;
  }

  /** Weighted centroid of the agent colour, in pixel coordinates (pixel centres at +0.5). */
  static double[] agentCentroid(byte[] rgb, int width, int height) {
    double m = 0;
    double sx = 0;
    double sy = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double w = agentWeight(rgb, width, x, y);
        m += w;
        sx += w * (x + 0.5);
        sy += w * (y + 0.5);
      }
    }
    return m == 0 ? null : new double[] {sx / m, sy / m};
  }
}
