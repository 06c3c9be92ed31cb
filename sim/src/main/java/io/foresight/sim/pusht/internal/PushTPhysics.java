package io.foresight.sim.pusht.internal;

import io.foresight.sim.pusht.PushTConfig;
import java.util.ArrayList;
import java.util.List;
import org.dyn4j.collision.CategoryFilter;
import org.dyn4j.collision.narrowphase.Gjk;
import org.dyn4j.collision.narrowphase.Separation;
import org.dyn4j.dynamics.Body;
import org.dyn4j.dynamics.BodyFixture;
import org.dyn4j.geometry.Circle;
import org.dyn4j.geometry.Convex;
import org.dyn4j.geometry.Geometry;
import org.dyn4j.geometry.MassType;
import org.dyn4j.geometry.Rectangle;
import org.dyn4j.geometry.Transform;
import org.dyn4j.geometry.Vector2;
import org.dyn4j.world.World;

/**
 * The Push-T world's rigid-body physics on dyn4j, in arena units and seconds: a dynamic agent disc
 * whose velocity is commanded, a dynamic T-shaped block (two rectangles fixed together) with mass,
 * contact friction and damping, and four static walls. No gravity (the scene is seen from above);
 * the block's damping stands for its friction with the floor.
 *
 * <p>The agent is a heavy dynamic body, not a kinematic one, so that walls stop it. Its velocity is
 * set to the command before every sub-step; contacts then push the block (and are stopped by the
 * walls). Every episode builds a fresh dyn4j world, so nothing (warm-start caches, sleeping state)
 * carries over between episodes and a seed always gives the same run.
 */
public final class PushTPhysics {
  private static final long AGENT = 1;
  private static final long BLOCK = 2;
  private static final long WALL = 4;
  private static final long ALL = AGENT | BLOCK | WALL;

  private final PushTConfig cfg;
  private final double dt;
  private final Gjk gjk = new Gjk();
  private final Rectangle bar;
  private final Rectangle stem;
  private final Circle agentShape;
  private final List<Rectangle> wallShapes = new ArrayList<>();
  private World<Body> world;
  private Body agent;
  private Body block;
  private BodyFixture agentFixture;

  public PushTPhysics(PushTConfig cfg) {
    this.cfg = cfg;
    this.dt = cfg.stepSeconds() / cfg.substeps();
    bar = newBar();
    stem = newStem();
    agentShape = Geometry.createCircle(cfg.agentRadius());
    wallShapes.addAll(newWalls());
  }

  /** The four walls; they reach well outside the image so that nothing can tunnel past them. */
  private List<Rectangle> newWalls() {
    float w = PushTConfig.ARENA_WIDTH;
    float h = cfg.arenaHeight();
    float t = cfg.wallThickness();
    float out = 20;
    return List.of(
        rect(-out, -out, w + out, t),
        rect(-out, h - t, w + out, h + out),
        rect(-out, -out, t, h + out),
        rect(w - t, -out, w + out, h + out));
  }

  /** The T's bar in the block's frame (origin at the centre of mass, y down). */
  private Rectangle newBar() {
    Rectangle r = Geometry.createRectangle(cfg.barLength(), cfg.thickness());
    r.translate(0, cfg.thickness() / 2 - cfg.centroidFromTop());
    return r;
  }

  /** The T's stem in the block's frame. */
  private Rectangle newStem() {
    Rectangle r = Geometry.createRectangle(cfg.thickness(), cfg.stemLength());
    r.translate(0, cfg.thickness() + cfg.stemLength() / 2 - cfg.centroidFromTop());
    return r;
  }

  private static Rectangle rect(double x0, double y0, double x1, double y1) {
    Rectangle r = Geometry.createRectangle(x1 - x0, y1 - y0);
    r.translate((x0 + x1) / 2, (y0 + y1) / 2);
    return r;
  }

  /** Starts an episode: the agent at (ax, ay), the block at (bx, by, angle), all at rest. */
  public void reset(double ax, double ay, double bx, double by, double angle) {
    world = new World<>();
    world.setGravity(World.ZERO_GRAVITY);
    // dyn4j calls the fixed time step its "step frequency" and takes it in seconds.
    world.getSettings().setStepFrequency(dt);
    world.getSettings().setAtRestDetectionEnabled(false);

    Body walls = new Body();
    for (Rectangle r : newWalls()) {
      BodyFixture f = walls.addFixture(r);
      f.setFriction(cfg.friction());
      f.setRestitution(0);
      f.setFilter(new CategoryFilter(WALL, ALL));
    }
    walls.setMass(MassType.INFINITE);
    world.addBody(walls);

    block = new Body();
    double density = cfg.blockMass() / cfg.blockArea();
    for (Rectangle r : new Rectangle[] {newBar(), newStem()}) {
      BodyFixture f = block.addFixture(r, density, cfg.friction(), 0);
      f.setFilter(new CategoryFilter(BLOCK, ALL));
    }
    block.setMass(MassType.NORMAL);
    block.setLinearDamping(cfg.linearDamping());
    block.setAngularDamping(cfg.angularDamping());
    world.addBody(block);

    agent = new Body();
    double agentDensity = cfg.agentMass() / (Math.PI * cfg.agentRadius() * cfg.agentRadius());
    agentFixture =
        agent.addFixture(Geometry.createCircle(cfg.agentRadius()), agentDensity, cfg.friction(), 0);
    agentFixture.setFilter(new CategoryFilter(AGENT, ALL));
    agent.setMass(MassType.FIXED_ANGULAR_VELOCITY);
    world.addBody(agent);

    setAgent(ax, ay);
    setBlock(bx, by, angle);
  }

  /**
   * Advances one step: before each of the fixed sub-steps the agent's velocity is set to (vx, vy)
   * units per second; contacts and the block's sliding are dyn4j's.
   */
  public void step(double vx, double vy) {
    for (int i = 0; i < cfg.substeps(); i++) {
      agent.setLinearVelocity(vx, vy);
      agent.setAngularVelocity(0);
      world.step(1);
    }
  }

  /** Puts the agent at (x, y), at rest. */
  public void setAgent(double x, double y) {
    agent.getTransform().setTranslation(x, y);
    agent.getTransform().setRotation(0);
    agent.setLinearVelocity(0, 0);
    agent.setAngularVelocity(0);
  }

  /** Puts the block at (x, y, angle), at rest (used by reset and the injected violations). */
  public void setBlock(double x, double y, double angle) {
    Transform t = block.getTransform();
    t.setRotation(angle);
    t.setTranslation(x, y);
    block.setLinearVelocity(0, 0);
    block.setAngularVelocity(0);
  }

  /** Whether the agent and the block collide (false while a pass-through violation runs). */
  public void setAgentBlockCollision(boolean collide) {
    agentFixture.setFilter(new CategoryFilter(AGENT, collide ? ALL : ALL & ~BLOCK));
  }

  public double agentX() {
    return agent.getTransform().getTranslationX();
  }

  public double agentY() {
    return agent.getTransform().getTranslationY();
  }

  public double blockX() {
    return block.getTransform().getTranslationX();
  }

  public double blockY() {
    return block.getTransform().getTranslationY();
  }

  /** The block's angle in radians, in (-pi, pi]. */
  public double blockAngle() {
    return block.getTransform().getRotationAngle();
  }

  /** Whether dyn4j holds a contact between the agent and the block after the last sub-step. */
  public boolean agentTouchesBlock() {
    return world.isInContact(agent, block);
  }

  /** The gap in units between the agent and the block (0 when they touch or overlap). */
  public double agentBlockGap() {
    return gap(agentShape, agent.getTransform(), blockTransform(blockX(), blockY(), blockAngle()));
  }

  /** Whether the agent disc overlaps the block (only a pass-through violation makes it so). */
  public boolean agentOverlapsBlock() {
    Transform bt = blockTransform(blockX(), blockY(), blockAngle());
    Transform at = agent.getTransform();
    return gjk.detect(agentShape, at, bar, bt) || gjk.detect(agentShape, at, stem, bt);
  }

  /**
   * Whether a block at (x, y, angle) would be clear of the walls and, if {@code clearOfAgent}, at
   * least {@code margin} units from the agent.
   */
  public boolean blockFits(double x, double y, double angle, boolean clearOfAgent, double margin) {
    Transform bt = blockTransform(x, y, angle);
    Transform id = new Transform();
    for (Rectangle w : wallShapes) {
      if (gjk.detect(bar, bt, w, id) || gjk.detect(stem, bt, w, id)) {
        return false;
      }
    }
    return !clearOfAgent || gap(agentShape, agent.getTransform(), bt) >= margin;
  }

  /** Whether the agent at (x, y) would be clear of the walls and {@code margin} from the block. */
  public boolean agentFits(double x, double y, double margin) {
    Transform at = new Transform();
    at.setTranslation(x, y);
    Transform id = new Transform();
    for (Rectangle w : wallShapes) {
      if (gjk.detect(agentShape, at, w, id)) {
        return false;
      }
    }
    return gap(agentShape, at, blockTransform(blockX(), blockY(), blockAngle())) >= margin;
  }

  /**
   * The point where a ray from (x, y) along (dx, dy) first meets the block, as the distance along
   * the ray, or -1 if it misses (dyn4j's ray cast against the block's two rectangles).
   */
  public double raycastBlock(double x, double y, double dx, double dy) {
    org.dyn4j.geometry.Ray ray = new org.dyn4j.geometry.Ray(new Vector2(x, y), new Vector2(dx, dy));
    org.dyn4j.collision.narrowphase.Raycast hit = new org.dyn4j.collision.narrowphase.Raycast();
    Transform bt = blockTransform(blockX(), blockY(), blockAngle());
    double best = -1;
    for (Convex c : new Convex[] {bar, stem}) {
      hit.clear();
      if (gjk.raycast(ray, 0, c, bt, hit) && (best < 0 || hit.getDistance() < best)) {
        best = hit.getDistance();
      }
    }
    return best;
  }

  private double gap(Convex shape, Transform t, Transform bt) {
    double best = Double.MAX_VALUE;
    Separation s = new Separation();
    for (Convex c : new Convex[] {bar, stem}) {
      s.clear();
      if (!gjk.distance(shape, t, c, bt, s)) {
        return 0;
      }
      best = Math.min(best, s.getDistance());
    }
    return best;
  }

  private static Transform blockTransform(double x, double y, double angle) {
    Transform t = new Transform();
    t.setRotation(angle);
    t.setTranslation(x, y);
    return t;
  }
}
