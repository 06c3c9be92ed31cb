package io.foresight.sim.pusht.internal;

import io.foresight.sim.pusht.BlockPose;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.pusht.PushTWorld;
import io.foresight.sim.world.WorldPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** The Push-T policies: scripted pushes, a random walk with momentum, and their mix. */
public final class PushTPolicies {
  private PushTPolicies() {}

  /** A policy by name: {@code mixed}, {@code push} or {@code random}. */
  public static WorldPolicy named(PushTWorld world, String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "mixed":
        return new Mixed(world, 0.7, 0.3);
      case "push":
        return new ScriptedPush(world, world::goal, 0.0, "push");
      case "random":
        return new RandomWalk(world);
      default:
        throw new IllegalArgumentException(
            "unknown Push-T policy '" + name + "'; use mixed, push or random");
    }
  }

  private static float clamp(double v) {
    return (float) Math.max(-1.0, Math.min(1.0, v));
  }

  /** A random walk with momentum: a target velocity redrawn now and then, smoothed, plus noise. */
  public static final class RandomWalk implements WorldPolicy {
    private final PushTWorld world;
    private RandomGenerator rng;
    private double ax;
    private double ay;
    private double tx;
    private double ty;
    private float lastX;
    private float lastY;

    public RandomWalk(PushTWorld world) {
      this.world = world;
    }

    @Override
    public void reset(RandomGenerator random) {
      rng = random;
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
    public void act(float[] action) {
      float moved = (float) Math.hypot(world.agentX() - lastX, world.agentY() - lastY);
      float step = world.config().maxStep() * world.config().scale();
      boolean stuck = moved < 0.2f * step && Math.hypot(ax, ay) > 0.3;
      if (stuck || rng.nextDouble() < 0.1) {
        newTarget();
      }
      ax = clamp(0.7 * ax + 0.3 * tx + 0.15 * rng.nextGaussian());
      ay = clamp(0.7 * ay + 0.3 * ty + 0.15 * rng.nextGaussian());
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

  /**
   * Per episode: a scripted push with action noise with probability {@code pushFraction}, else a
   * random walk.
   */
  public static final class Mixed implements WorldPolicy {
    private final double pushFraction;
    private final WorldPolicy push;
    private final WorldPolicy walk;
    private WorldPolicy current;

    public Mixed(PushTWorld world, double pushFraction, double noise) {
      if (!(pushFraction >= 0 && pushFraction <= 1)) {
        throw new IllegalArgumentException("pushFraction must be in [0, 1], got " + pushFraction);
      }
      this.pushFraction = pushFraction;
      this.push = new ScriptedPush(world, world::goal, noise, "push");
      this.walk = new RandomWalk(world);
    }

    @Override
    public void reset(RandomGenerator rng) {
      current = rng.nextDouble() < pushFraction ? push : walk;
      current.reset(rng);
    }

    @Override
    public void act(float[] action) {
      current.act(action);
    }

    @Override
    public String name() {
      return "mixed";
    }
  }

  /**
   * Pushes the block toward a target pose: chooses a point of the block's outline whose push
   * (quasi-statically: the block moves along the push and turns by its lever arm) best reduces the
   * position and angle errors, walks the agent around the block to stand behind that point, then
   * pushes through it; slows down near the goal; re-chooses every few steps. Adds Gaussian noise of
   * standard deviation {@code noise} to every action. Works in arena units internally.
   */
  public static final class ScriptedPush implements WorldPolicy {
    private static final int RECHOOSE_STEPS = 6;
    private static final int APPROACH_STEPS = 12;
    private static final int BAN_STEPS = 40;
    private static final double STICKINESS = 0.6;

    private final PushTWorld world;
    private final Supplier<BlockPose> target;
    private final double noise;
    private final String name;
    private final PushTConfig cfg;
    private final float scale;

    /** Candidate contact points in the block's frame: x, y, outward normal x, y. */
    private final List<double[]> candidates = new ArrayList<>();

    private RandomGenerator rng;
    private int chosen;
    private int sinceChoice;
    private boolean pushing;

    /** While walking around the block: +1 or -1 (the direction), else 0. */
    private int circling;

    /** Times the walk around the block turned back at a wall on the way to the chosen point. */
    private int wallTurns;

    /** Per candidate: the step count until which it is left out (a wall blocks the way). */
    private int[] bannedUntil;

    private int steps;

    public ScriptedPush(PushTWorld world, Supplier<BlockPose> target, double noise, String name) {
      if (!(noise >= 0)) {
        throw new IllegalArgumentException("noise must be >= 0, got " + noise);
      }
      this.world = world;
      this.target = target;
      this.noise = noise;
      this.name = name;
      this.cfg = world.config();
      this.scale = cfg.scale();
      double c = cfg.centroidFromTop();
      double hb = cfg.barLength() / 2;
      double ht = cfg.thickness() / 2;
      double top = -c;
      double barBottom = cfg.thickness() - c;
      double stemBottom = cfg.thickness() + cfg.stemLength() - c;
      double r = cfg.agentRadius();
      // Top edge and stem bottom: free on the outside, sample across.
      for (double f : new double[] {-0.8, -0.4, 0, 0.4, 0.8}) {
        candidates.add(new double[] {f * hb, top, 0, -1});
      }
      candidates.add(new double[] {0, stemBottom, 0, 1});
      // Bar ends.
      candidates.add(new double[] {hb, (top + barBottom) / 2, 1, 0});
      candidates.add(new double[] {-hb, (top + barBottom) / 2, -1, 0});
      // Bar underside, far enough from the stem for the agent to fit.
      double lo = ht + r + 0.3;
      if (lo < hb - 0.3) {
        for (double x : new double[] {lo, (lo + hb) / 2 + 0.5}) {
          double cx = Math.min(x, hb - 0.3);
          candidates.add(new double[] {cx, barBottom, 0, 1});
          candidates.add(new double[] {-cx, barBottom, 0, 1});
        }
      }
      // Stem sides, below the bar's reach.
      double y0 = barBottom + r + 0.3;
      if (y0 < stemBottom - 0.3) {
        for (double y : new double[] {y0, (y0 + stemBottom) / 2, stemBottom - 0.5}) {
          candidates.add(new double[] {ht, y, 1, 0});
          candidates.add(new double[] {-ht, y, -1, 0});
        }
      }
    }

    @Override
    public void reset(RandomGenerator random) {
      rng = random;
      chosen = -1;
      sinceChoice = 0;
      pushing = false;
      circling = 0;
      wallTurns = 0;
      steps = 0;
      bannedUntil = new int[candidates.size()];
    }

    @Override
    public void act(float[] action) {
      steps++;
      BlockPose b = world.block();
      BlockPose g = target.get();
      double bx = b.x() / scale;
      double by = b.y() / scale;
      double ex = (g.x() - b.x()) / scale;
      double ey = (g.y() - b.y()) / scale;
      double dist = Math.hypot(ex, ey);
      // Near a wall the agent cannot get behind the block: first push it away from the wall.
      double room = cfg.blockRadius() + 2 * cfg.agentRadius() + 1.5;
      double t = cfg.wallThickness();
      double[] away = {
        room - (bx - t), -(room - (PushTConfig.ARENA_WIDTH - t - bx)),
        room - (by - t), -(room - (cfg.arenaHeight() - t - by))
      };
      if (dist > cfg.successDistance()) {
        ex += Math.max(0, away[0]) + Math.min(0, away[1]);
        ey += Math.max(0, away[2]) + Math.min(0, away[3]);
        dist = Math.hypot(ex, ey);
      }
      double dth = BlockPose.wrap(g.angle() - b.angle());
      double ax = world.agentX() / scale;
      double ay = world.agentY() / scale;
      double cmdX = 0;
      double cmdY = 0;
      boolean done =
          dist < 0.5 * cfg.successDistance()
              && Math.abs(dth) < 0.5 * Math.toRadians(cfg.successDegrees());
      if (!done) {
        sinceChoice++;
        // Re-choose while pushing every few steps; while walking to a point only if that takes
        // too long (re-choosing on the way makes the agent dither between sides).
        if (chosen < 0 || sinceChoice >= (pushing ? RECHOOSE_STEPS : APPROACH_STEPS)) {
          int best = choose(b, ex, ey, dist, dth, ax, ay);
          if (best != chosen) {
            pushing = false;
            circling = 0;
            wallTurns = 0;
          }
          chosen = best;
          sinceChoice = 0;
        }
        if (chosen >= 0) {
          double[] k = candidates.get(chosen);
          double cos = Math.cos(b.angle());
          double sin = Math.sin(b.angle());
          double px = bx + cos * k[0] - sin * k[1];
          double py = by + sin * k[0] + cos * k[1];
          double mx = cos * k[2] - sin * k[3];
          double my = sin * k[2] + cos * k[3];
          double r = cfg.agentRadius();
          // Lateral offset of the agent from the push line, and its distance behind the point.
          double relX = ax - px;
          double relY = ay - py;
          double behind = relX * mx + relY * my;
          double lateral = Math.abs(-relX * my + relY * mx);
          if (pushing && (lateral > 1.5 || behind > r + 5 || behind < r - 1.5)) {
            pushing = false;
          }
          if (!pushing) {
            double sx = px + mx * (r + 2.5);
            double sy = py + my * (r + 2.5);
            if (Math.hypot(sx - ax, sy - ay) < 1.0) {
              pushing = true;
            } else {
              double[] wp = waypoint(ax, ay, sx, sy, bx, by);
              cmdX = (wp[0] - ax) / cfg.maxStep();
              cmdY = (wp[1] - ay) / cfg.maxStep();
              double n = Math.hypot(cmdX, cmdY);
              if (n > 1) {
                cmdX /= n;
                cmdY /= n;
              }
            }
          }
          if (pushing) {
            // Aim through the contact point, correcting drift off the push line.
            double tx = px - mx * 2.0;
            double ty = py - my * 2.0;
            double dx = tx - ax;
            double dy = ty - ay;
            double n = Math.hypot(dx, dy);
            double speed = Math.max(0.2, Math.min(1.0, 0.15 + 0.25 * dist + 0.6 * Math.abs(dth)));
            cmdX = dx / n * speed;
            cmdY = dy / n * speed;
          }
        }
      }
      if (noise > 0) {
        cmdX += noise * rng.nextGaussian();
        cmdY += noise * rng.nextGaussian();
      }
      action[0] = clamp(cmdX);
      action[1] = clamp(cmdY);
    }

    /** The candidate whose push best reduces the errors, counting the walk to it; -1 if none. */
    private int choose(
        BlockPose b, double ex, double ey, double dist, double dth, double ax, double ay) {
      double bx = b.x() / scale;
      double by = b.y() / scale;
      double cos = Math.cos(b.angle());
      double sin = Math.sin(b.angle());
      double wt = Math.min(1.0, dist / 4.0);
      double wr = Math.min(1.0, Math.abs(dth) / Math.toRadians(25));
      double lever = cfg.blockRadius();
      double r = cfg.agentRadius();
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < candidates.size(); i++) {
        double[] k = candidates.get(i);
        double rx = cos * k[0] - sin * k[1];
        double ry = sin * k[0] + cos * k[1];
        double mx = cos * k[2] - sin * k[3];
        double my = sin * k[2] + cos * k[3];
        double sx = bx + rx + mx * (r + 2.5);
        double sy = by + ry + my * (r + 2.5);
        if (bannedUntil[i] > steps
            || !world.agentFits((float) (sx * scale), (float) (sy * scale), 0.5f * scale)) {
          continue;
        }
        // The push direction is -m; the block moves along it and turns by r x (-m).
        double t = dist > 1e-6 ? (-mx * ex - my * ey) / dist : 0;
        double torque = (rx * -my - ry * -mx) / lever;
        double q = Math.signum(dth) * torque;
        double score = wt * t + wr * q - 0.01 * Math.hypot(sx - ax, sy - ay);
        if (i == chosen) {
          score += STICKINESS;
        }
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      return best;
    }

    /**
     * The next point on the way from the agent to (sx, sy): straight there if the block is not in
     * the way (three rays cast against the block at the agent's centre and edges), else around the
     * block's centre, 35 degrees ahead at a time, keeping the direction chosen (the shorter way,
     * unless a wall is in the way) until the agent is within 25 degrees of the point.
     */
    private double[] waypoint(double ax, double ay, double sx, double sy, double bx, double by) {
      double pa = Math.atan2(ay - by, ax - bx);
      double ps = Math.atan2(sy - by, sx - bx);
      double turn = BlockPose.wrap(ps - pa);
      if (circling != 0 && Math.abs(turn) < Math.toRadians(25)) {
        circling = 0;
      }
      if (circling == 0) {
        if (!blocked(ax, ay, sx, sy)) {
          return new double[] {sx, sy};
        }
        circling = turn >= 0 ? 1 : -1;
      }
      double radius = cfg.blockRadius() + cfg.agentRadius() + 1.0;
      // Inside the circle the agent would drag the block along: get out first, mostly outward.
      boolean inside = Math.hypot(ax - bx, ay - by) < radius - 0.5;
      double ahead = Math.toRadians(inside ? 10 : 35);
      for (int attempt = 0; attempt < 2; attempt++) {
        double a = pa + circling * ahead;
        double wx = bx + radius * Math.cos(a);
        double wy = by + radius * Math.sin(a);
        if (world.agentFits((float) (wx * scale), (float) (wy * scale), 0f)) {
          return new double[] {wx, wy};
        }
        circling = -circling;
        if (++wallTurns >= 2 && chosen >= 0) {
          // Walls on both ways round: leave this point out for a while and choose another.
          bannedUntil[chosen] = steps + BAN_STEPS;
          chosen = -1;
          wallTurns = 0;
          circling = 0;
          return new double[] {ax, ay};
        }
      }
      // Both ways against a wall: back away from the block.
      circling = 0;
      return new double[] {ax + (ax - bx), ay + (ay - by)};
    }

    private boolean blocked(double ax, double ay, double sx, double sy) {
      double dx = sx - ax;
      double dy = sy - ay;
      double len = Math.hypot(dx, dy);
      double ux = dx / len;
      double uy = dy / len;
      double r = cfg.agentRadius();
      for (double off : new double[] {-r * 0.9, 0, r * 0.9}) {
        float ox = (float) ((ax - uy * off) * scale);
        float oy = (float) ((ay + ux * off) * scale);
        float hit = world.raycastBlock(ox, oy, (float) ux, (float) uy);
        if (hit >= 0 && hit / scale < len) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String name() {
      return name;
    }
  }
}
