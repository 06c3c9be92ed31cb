package io.foresight.sim.world;

import java.util.random.RandomGenerator;

/** The built-in {@link ExplorationPolicy} implementations. */
final class ExplorationPolicies {
  private ExplorationPolicies() {}

  private static float clamp(double v) {
    return (float) Math.max(-1.0, Math.min(1.0, v));
  }

  /** Random walk with momentum: a target velocity redrawn now and then, smoothed, plus noise. */
  static final class RandomWalk implements ExplorationPolicy {
    private RandomGenerator rng;
    private double ax;
    private double ay;
    private double tx;
    private double ty;
    private float lastX;
    private float lastY;

    @Override
    public void reset(TwoRoomsWorld world, RandomGenerator random) {
      this.rng = random;
      newTarget();
      ax = tx;
      ay = ty;
      lastX = world.agentX();
      lastY = world.agentY();
    }

    private void newTarget() {
      double angle = rng.nextDouble() * 2 * Math.PI;
      double mag = 0.4 + 0.6 * rng.nextDouble();
      tx = Math.cos(angle) * mag;
      ty = Math.sin(angle) * mag;
    }

    @Override
    public void act(TwoRoomsWorld world, float[] action) {
      float moved = (float) Math.hypot(world.agentX() - lastX, world.agentY() - lastY);
      boolean stuck = moved < 0.2f * world.config().maxStep() && Math.hypot(ax, ay) > 0.3;
      if (stuck || rng.nextDouble() < 0.1) {
        newTarget();
      }
      ax = 0.7 * ax + 0.3 * tx + 0.15 * rng.nextGaussian();
      ay = 0.7 * ay + 0.3 * ty + 0.15 * rng.nextGaussian();
      ax = clamp(ax);
      ay = clamp(ay);
      action[0] = (float) ax;
      action[1] = (float) ay;
      lastX = world.agentX();
      lastY = world.agentY();
    }

    @Override
    public String name() {
      return "random";
    }
  }

  /** Waypoints: in front of the door, through it, then a random point in the other room. */
  static final class ThroughDoor implements ExplorationPolicy {
    private static final double NOISE = 0.25;
    private final RandomWalk after = new RandomWalk();
    private RandomGenerator rng;
    private final float[] wx = new float[3];
    private final float[] wy = new float[3];
    private int next;

    @Override
    public void reset(TwoRoomsWorld world, RandomGenerator random) {
      this.rng = random;
      WorldConfig c = world.config();
      float r = c.agentRadius();
      float half = (world.doorBottom() - world.doorTop()) / 2f;
      float slack = Math.max(0f, half - r - 1f);
      float doorY = world.doorTop() + half + (float) ((rng.nextDouble() * 2 - 1) * slack);
      Room room = world.agentRoom();
      float near = room == Room.LEFT ? c.wallLeft() - r - 3 : c.wallRight() + r + 3;
      float far = room == Room.LEFT ? c.wallRight() + r + 3 : c.wallLeft() - r - 3;
      wx[0] = near;
      wy[0] = doorY;
      wx[1] = far;
      wy[1] = doorY;
      Position end = world.randomFreePosition(rng, room.other());
      wx[2] = end.x();
      wy[2] = end.y();
      next = 0;
      after.reset(world, random);
    }

    @Override
    public void act(TwoRoomsWorld world, float[] action) {
      while (next < wx.length
          && Math.hypot(wx[next] - world.agentX(), wy[next] - world.agentY()) < 1.5) {
        next++;
      }
      if (next >= wx.length) {
        after.act(world, action);
        return;
      }
      float step = world.config().maxStep();
      double dx = (wx[next] - world.agentX()) / step;
      double dy = (wy[next] - world.agentY()) / step;
      double n = Math.hypot(dx, dy);
      if (n > 1) {
        dx /= n;
        dy /= n;
      }
      action[0] = clamp(dx + NOISE * rng.nextGaussian());
      action[1] = clamp(dy + NOISE * rng.nextGaussian());
    }

    @Override
    public String name() {
      return "door";
    }
  }

  /** Chooses, per episode, between steering through the door and a random walk. */
  static final class Mixed implements ExplorationPolicy {
    private final double doorFraction;
    private final RandomWalk walk = new RandomWalk();
    private final ThroughDoor door = new ThroughDoor();
    private ExplorationPolicy current;

    Mixed(double doorFraction) {
      if (!(doorFraction >= 0 && doorFraction <= 1)) {
        throw new IllegalArgumentException("doorFraction must be in [0, 1], got " + doorFraction);
      }
      this.doorFraction = doorFraction;
    }

    @Override
    public void reset(TwoRoomsWorld world, RandomGenerator rng) {
      current = rng.nextDouble() < doorFraction ? door : walk;
      current.reset(world, rng);
    }

    @Override
    public void act(TwoRoomsWorld world, float[] action) {
      current.act(world, action);
    }

    @Override
    public String name() {
      return "mixed";
    }
  }
}
