package io.foresight.sim.pusht;

import io.foresight.sim.pusht.internal.PushTPhysics;
import io.foresight.sim.pusht.internal.PushTPolicies;
import io.foresight.sim.pusht.internal.PushTRenderer;
import io.foresight.sim.world.GoalPose;
import io.foresight.sim.world.SimWorld;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldPolicy;
import io.foresight.sim.world.WorldSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A deterministic 2-D Push-T world rendered to RGB8 frames: an agent disc moved by 2-D velocity
 * commands pushes a T-shaped block inside four walls, seen from above; contacts, friction and the
 * block's sliding are done by the dyn4j physics engine at a fixed step. Each episode also draws a
 * goal pose for the block, the target of the scripted pushes and of robots.
 *
 * <p>Action: two values in [-1, 1] (NaN counts as 0), the agent's commanded velocity as a fraction
 * of {@link PushTConfig#maxStep()} units per step, shortened to at most {@code maxStep} (the same
 * convention as {@code TwoRoomsWorld}); walls and the block can stop the agent short of it.
 *
 * <p>Units: the physics runs in arena units (64 across the image); every position this class
 * returns is in pixels of the image ({@code x} right, {@code y} down), angles in radians (see
 * {@link BlockPose}). Frame indices as in {@link SimWorld}: reset gives frame 0, each step the
 * next.
 *
 * <p>Violations (for surprise evaluation; see {@link Violation.Kind#pushT()}) are drawn with
 * probability {@link PushTConfig#violationRate()} per step after the physics step, and labelled at
 * the frame where they are visible. Everything random comes from the seed of {@link #reset(long)}.
 * Not thread-safe.
 *
 * <pre>{@code
 * PushTWorld world = new PushTWorld(PushTConfig.DEFAULT, 42);
 * byte[] rgb = new byte[world.frameBytes()];
 * world.step(1f, 0f);                   // push right at full speed
 * world.render(rgb);                    // frame 1
 * boolean done = world.success();       // block within 2 px and 10 degrees of world.goal()
 * }</pre>
 */
public final class PushTWorld implements SimWorld {
  /** Background colour, 0xRRGGBB. */
  public static final int BACKGROUND_RGB = 0x000000;

  /** Wall colour, 0xRRGGBB. */
  public static final int WALL_RGB = 0xA0A0A0;

  /** Agent colour, 0xRRGGBB (as in Two-Rooms). */
  public static final int AGENT_RGB = 0xFF3030;

  /** Block colour, 0xRRGGBB. */
  public static final int BLOCK_RGB = 0x30A0FF;

  /** Names of the proprioception values, in order (as in Two-Rooms): pixels, pixels per step. */
  public static final List<String> PROPRIO_NAMES = List.of("x", "y", "vx", "vy");

  /** Frame metadata key holding the block's pose "x,y,angle" (pixels, radians; ground truth). */
  public static final String BLOCK_KEY = "sim.block";

  private static final int TRIES = 200;

  /**
   * Goal poses keep this many agent radii between the block and the walls, so that the agent can
   * get all around the block at its goal (one diameter plus a radius of slack).
   */
  private static final double GOAL_MARGIN = 3;

  private final PushTConfig cfg;
  private final float scale;
  private final PushTPhysics physics;
  private final PushTRenderer renderer;
  private final Violation.Kind[] feasibleKinds = new Violation.Kind[Violation.Kind.values().length];
  private final List<Violation> violations = new ArrayList<>();

  private Random rng;
  private Random violationRng;
  private long frame;
  private float vx;
  private float vy;
  private BlockPose goal;
  private Violation current;
  private boolean passPending;
  private double passX;
  private double passY;

  /** A world reset with seed 0. */
  public PushTWorld(PushTConfig config) {
    this(config, 0L);
  }

  /** A world reset with the given seed. */
  public PushTWorld(PushTConfig config, long seed) {
    this.cfg = Objects.requireNonNull(config, "config");
    this.scale = config.scale();
    this.physics = new PushTPhysics(config);
    this.renderer = new PushTRenderer(config, BACKGROUND_RGB, WALL_RGB);
    reset(seed);
  }

  public PushTConfig config() {
    return cfg;
  }

  @Override
  public WorldSpec spec() {
    return cfg;
  }

  /**
   * Starts a new episode: the block at a random pose clear of the walls, a random goal pose with
   * room for the agent all around it (see {@link #randomGoal}), the agent at a random position
   * clear of the block. Produces frame 0.
   */
  @Override
  public void reset(long seed) {
    rng = new Random(seed);
    violationRng = new Random(seed ^ 0x9E3779B97F4A7C15L);
    double[] b = randomPose(rng, 0.5);
    double[] g = randomPose(rng, GOAL_MARGIN * cfg.agentRadius());
    physics.reset(-100, -100, b[0], b[1], b[2]);
    double r = cfg.agentRadius();
    double t = cfg.wallThickness();
    double ax = 0;
    double ay = 0;
    for (int i = 0; i < TRIES; i++) {
      ax = t + r + rng.nextDouble() * (PushTConfig.ARENA_WIDTH - 2 * (t + r));
      ay = t + r + rng.nextDouble() * (cfg.arenaHeight() - 2 * (t + r));
      if (physics.agentFits(ax, ay, 1.0)) {
        break;
      }
    }
    physics.setAgent(ax, ay);
    startEpisode(new BlockPose((float) (g[0] * scale), (float) (g[1] * scale), (float) g[2]));
  }

  /**
   * Starts a new episode with a given agent position, block pose and goal pose (pixels, radians),
   * for fixed evaluation tasks; violations still come from the seed.
   *
   * @throws IllegalArgumentException if the block overlaps a wall or the agent overlaps either
   */
  public void reset(long seed, float agentX, float agentY, BlockPose block, BlockPose goal) {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(goal, "goal");
    rng = new Random(seed);
    violationRng = new Random(seed ^ 0x9E3779B97F4A7C15L);
    String problem = poseProblem(block);
    if (problem != null) {
      throw new IllegalArgumentException("block " + problem);
    }
    physics.reset(-100, -100, block.x() / scale, block.y() / scale, block.angle());
    if (!physics.agentFits(agentX / scale, agentY / scale, 0.0)) {
      throw new IllegalArgumentException(
          "agent position ("
              + agentX
              + ", "
              + agentY
              + ") overlaps a wall or the block; pick one clear of both");
    }
    physics.setAgent(agentX / scale, agentY / scale);
    startEpisode(goal);
  }

  private void startEpisode(BlockPose goal) {
    this.goal = goal;
    frame = 0;
    vx = 0;
    vy = 0;
    current = null;
    passPending = false;
    physics.setAgentBlockCollision(true);
    violations.clear();
  }

  /**
   * A random block pose (units, radians) whose every point is at least {@code clearance} units from
   * the walls.
   */
  private double[] randomPose(RandomGenerator random, double clearance) {
    double m = cfg.wallThickness() + cfg.blockRadius() + clearance;
    double x = m + random.nextDouble() * (PushTConfig.ARENA_WIDTH - 2 * m);
    double y = m + random.nextDouble() * (cfg.arenaHeight() - 2 * m);
    double a = BlockPose.wrap((random.nextDouble() * 2 - 1) * Math.PI);
    return new double[] {x, y, a};
  }

  /**
   * Applies an action and advances one step (see the class comment for the action's meaning), then
   * perhaps injects a violation.
   */
  @Override
  public void step(float ax, float ay) {
    frame++;
    current = null;
    double px = physics.agentX();
    double py = physics.agentY();
    boolean landed = passPending;
    if (passPending) {
      // The second frame of a pass-through: the agent is past the block, which has not moved.
      physics.setAgent(passX, passY);
      physics.setBlock(physics.blockX(), physics.blockY(), physics.blockAngle());
      physics.setAgentBlockCollision(true);
      passPending = false;
    } else {
      double dx = clamp(ax);
      double dy = clamp(ay);
      double len = Math.hypot(dx, dy);
      if (len > 1) {
        dx /= len;
        dy /= len;
      }
      double speed = cfg.maxStep() / cfg.stepSeconds();
      physics.step(dx * speed, dy * speed);
    }
    if (!landed) {
      maybeInjectViolation();
    }
    vx = (float) ((physics.agentX() - px) * scale);
    vy = (float) ((physics.agentY() - py) * scale);
  }

  private static double clamp(float a) {
    if (Float.isNaN(a)) {
      return 0;
    }
    return Math.max(-1f, Math.min(1f, a));
  }

  private void maybeInjectViolation() {
    if (cfg.violationRate() <= 0 || violationRng.nextDouble() >= cfg.violationRate()) {
      return;
    }
    int n = 0;
    for (Violation.Kind k : Violation.Kind.values()) {
      if (cfg.violationKinds().contains(k) && feasible(k)) {
        feasibleKinds[n++] = k;
      }
    }
    if (n > 0) {
      fire(feasibleKinds[violationRng.nextInt(n)]);
    }
  }

  /** A spin needs the agent away from the block, a pass-through needs it close. */
  private boolean feasible(Violation.Kind kind) {
    switch (kind) {
      case BLOCK_TELEPORT:
        return true;
      case BLOCK_SPIN:
        return physics.agentBlockGap() > 1.0;
      case BLOCK_THROUGH_AGENT:
        return physics.agentBlockGap() < 3.0;
      default:
        return false;
    }
  }

  private boolean fire(Violation.Kind kind) {
    BlockPose before = block();
    double bx = physics.blockX();
    double by = physics.blockY();
    double ba = physics.blockAngle();
    switch (kind) {
      case BLOCK_TELEPORT:
        for (int i = 0; i < TRIES; i++) {
          double[] p = randomPose(violationRng, 0.5);
          if (Math.hypot(p[0] - bx, p[1] - by) >= cfg.teleportMinDistance()
              && physics.blockFits(p[0], p[1], p[2], true, 1.0)) {
            physics.setBlock(p[0], p[1], p[2]);
            label(kind, "block teleported from " + text(before) + " to " + text(block()));
            return true;
          }
        }
        return false;
      case BLOCK_SPIN:
        for (int i = 0; i < 20; i++) {
          double deg =
              cfg.spinMinDegrees() + violationRng.nextDouble() * (180 - cfg.spinMinDegrees());
          double a =
              BlockPose.wrap(ba + (violationRng.nextBoolean() ? 1 : -1) * Math.toRadians(deg));
          if (physics.blockFits(bx, by, a, true, 0.5)) {
            physics.setBlock(bx, by, a);
            label(
                kind,
                String.format(
                    Locale.ROOT,
                    "block turned by %.1f degrees without contact, from %s to %s",
                    Math.toDegrees(BlockPose.wrap(a - ba)),
                    text(before),
                    text(block())));
            return true;
          }
        }
        return false;
      case BLOCK_THROUGH_AGENT:
        return passThrough(before, bx, by, ba);
      default:
        throw new IllegalStateException("the Push-T world cannot inject " + kind);
    }
  }

  private boolean passThrough(BlockPose before, double bx, double by, double ba) {
    double ax = physics.agentX();
    double ay = physics.agentY();
    double d = Math.hypot(bx - ax, by - ay);
    if (d < 1e-6) {
      return false;
    }
    double nx = (bx - ax) / d;
    double ny = (by - ay) / d;
    // The far side of the block along the agent's line through its centre of mass.
    double reach = cfg.blockRadius() + cfg.agentRadius() + 1;
    double sx = bx + nx * reach;
    double sy = by + ny * reach;
    double hit = physics.raycastBlock(sx, sy, -nx, -ny);
    if (hit < 0) {
      return false;
    }
    for (int extra = 0; extra < 4; extra++) {
      double far = reach - hit + cfg.agentRadius() + 0.5 + extra;
      double fx = bx + nx * far;
      double fy = by + ny * far;
      if (physics.agentFits(fx, fy, 0.2)) {
        physics.setAgentBlockCollision(false);
        physics.setAgent(bx, by);
        physics.setBlock(bx, by, ba);
        passPending = true;
        passX = fx;
        passY = fy;
        label(
            Violation.Kind.BLOCK_THROUGH_AGENT,
            String.format(
                Locale.ROOT,
                "agent inside the block %s (from (%.2f, %.2f)); next frame at (%.2f, %.2f)",
                text(before),
                ax * scale,
                ay * scale,
                fx * scale,
                fy * scale));
        return true;
      }
    }
    return false;
  }

  private static String text(BlockPose p) {
    return String.format(
        Locale.ROOT, "(%.2f, %.2f, %.1f deg)", p.x(), p.y(), Math.toDegrees(p.angle()));
  }

  private void label(Violation.Kind kind, String detail) {
    current = new Violation(kind, frame, detail);
    violations.add(current);
  }

  /** Renders the current frame: walls, the block, the agent on top. Allocates nothing. */
  @Override
  public void render(byte[] rgb) {
    checkBuffer(rgb);
    renderer.scene(rgb);
    renderer.block(rgb, physics.blockX(), physics.blockY(), physics.blockAngle(), BLOCK_RGB);
    renderer.disc(rgb, physics.agentX(), physics.agentY(), cfg.agentRadius(), AGENT_RGB);
  }

  /** Renders a goal image: the walls and the block at {@code goal}, without the agent. */
  public void renderGoal(BlockPose goal, byte[] rgb) {
    checkBuffer(rgb);
    renderer.scene(rgb);
    renderer.block(rgb, goal.x() / scale, goal.y() / scale, goal.angle(), BLOCK_RGB);
  }

  /** A goal image with the agent drawn at (agentX, agentY) pixels as well. */
  public void renderGoal(BlockPose goal, float agentX, float agentY, byte[] rgb) {
    renderGoal(goal, rgb);
    renderer.disc(rgb, agentX / scale, agentY / scale, cfg.agentRadius(), AGENT_RGB);
  }

  /** {@link #renderGoal(BlockPose, byte[])}: the block at the goal pose, no agent. */
  @Override
  public void renderGoal(GoalPose goal, byte[] rgb) {
    renderGoal(toBlock(goal), rgb);
  }

  private void checkBuffer(byte[] rgb) {
    if (rgb == null || rgb.length != cfg.frameBytes()) {
      throw new IllegalArgumentException(
          "frame buffer must hold height*width*3 = "
              + cfg.frameBytes()
              + " bytes, got "
              + (rgb == null ? "null" : rgb.length));
    }
  }

  @Override
  public long frameIndex() {
    return frame;
  }

  @Override
  public float agentX() {
    return (float) (physics.agentX() * scale);
  }

  @Override
  public float agentY() {
    return (float) (physics.agentY() * scale);
  }

  /** The agent's displacement in the last step (x), pixels per step. */
  public float agentVx() {
    return vx;
  }

  /** The agent's displacement in the last step (y), pixels per step. */
  public float agentVy() {
    return vy;
  }

  /** The block's pose now. */
  public BlockPose block() {
    return new BlockPose(
        (float) (physics.blockX() * scale),
        (float) (physics.blockY() * scale),
        (float) physics.blockAngle());
  }

  /** This episode's goal pose for the block. */
  public BlockPose goal() {
    return goal;
  }

  /** Replaces this episode's goal pose (what the {@code push} policy pushes toward). */
  public void setGoal(BlockPose goal) {
    this.goal = Objects.requireNonNull(goal, "goal");
  }

  /** Whether the block meets the success criterion for this episode's goal. */
  public boolean success() {
    return cfg.success(block(), goal);
  }

  /** Whether the physics engine holds a contact between the agent and the block now. */
  public boolean agentTouchesBlock() {
    return physics.agentTouchesBlock();
  }

  /** The gap between the agent and the block, pixels (0 when touching or overlapping). */
  public float agentBlockGap() {
    return (float) (physics.agentBlockGap() * scale);
  }

  /** Whether the agent overlaps the block (only a pass-through violation makes it so). */
  public boolean agentOverlapsBlock() {
    return physics.agentOverlapsBlock();
  }

  /**
   * The first point where a ray from (x, y) along (dx, dy) (pixels) meets the block, as the
   * distance in pixels along the unit direction, or -1 if it misses.
   */
  public float raycastBlock(float x, float y, float dx, float dy) {
    double n = Math.hypot(dx, dy);
    double d = physics.raycastBlock(x / scale, y / scale, dx / n, dy / n);
    return d < 0 ? -1f : (float) (d * scale);
  }

  /**
   * Whether the agent could stand at (x, y) pixels, clear of the walls and {@code margin} px of the
   * block.
   */
  public boolean agentFits(float x, float y, float margin) {
    return physics.agentFits(x / scale, y / scale, margin / scale);
  }

  @Override
  public List<String> proprioNames() {
    return PROPRIO_NAMES;
  }

  /** Writes x, y, vx, vy of the agent into {@code out[0..3]}. */
  @Override
  public void proprioception(float[] out) {
    out[0] = agentX();
    out[1] = agentY();
    out[2] = vx;
    out[3] = vy;
  }

  /** The block's pose as {@link #BLOCK_KEY}. */
  @Override
  public Map<String, String> groundTruth() {
    BlockPose b = block();
    return Map.of(BLOCK_KEY, String.format(Locale.ROOT, "%.3f,%.3f,%.4f", b.x(), b.y(), b.angle()));
  }

  @Override
  public Violation currentViolation() {
    return current;
  }

  /** All violations of this episode so far, in order. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** A policy by name: {@code mixed}, {@code push} or {@code random}; see {@link PushTPolicy}. */
  @Override
  public WorldPolicy policy(String name) {
    return PushTPolicies.named(this, name);
  }

  @Override
  public String describe() {
    BlockPose b = block();
    return String.format(
        "started at (%.1f, %.1f), block at (%.1f, %.1f, %.0f deg)",
        agentX(), agentY(), b.x(), b.y(), Math.toDegrees(b.angle()));
  }

  /**
   * A random block pose at least three agent radii from the walls (so the agent can get all around
   * it), whose position is at least {@code minDistance} pixels from the block's (up to 50 redraws).
   */
  @Override
  public GoalPose randomGoal(RandomGenerator random, float minDistance) {
    BlockPose b = block();
    double clearance = GOAL_MARGIN * cfg.agentRadius();
    double[] p = randomPose(random, clearance);
    for (int i = 0;
        i < 50 && Math.hypot(p[0] * scale - b.x(), p[1] * scale - b.y()) < minDistance;
        i++) {
      p = randomPose(random, clearance);
    }
    return new GoalPose((float) (p[0] * scale), (float) (p[1] * scale), (float) p[2]);
  }

  @Override
  public String goalProblem(GoalPose goal) {
    String p = poseProblem(toBlock(goal));
    return p == null ? null : "goal " + p;
  }

  private String poseProblem(BlockPose pose) {
    if (physics.blockFits(pose.x() / scale, pose.y() / scale, pose.angle(), false, 0)) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "pose (%.2f, %.2f, %.1f deg) puts the block into a wall of the %dx%d world (walls %.1f px"
            + " thick, block radius %.1f px); keep its centre further from the edges",
        pose.x(),
        pose.y(),
        Math.toDegrees(pose.angle()),
        cfg.width(),
        cfg.height(),
        cfg.wallThickness() * scale,
        cfg.blockRadius() * scale);
  }

  /** The distance in pixels between the block's centre of mass and the goal position. */
  @Override
  public float goalDistance(GoalPose goal) {
    return block().distanceTo(toBlock(goal));
  }

  /** The angle in radians, in [0, pi], between the block's angle and the goal's. */
  @Override
  public float goalAngleError(GoalPose goal) {
    return block().angleTo(toBlock(goal));
  }

  /**
   * Reached when the block is within {@code tolerance} pixels of the goal position and within
   * {@link PushTConfig#successDegrees()} of its angle; with {@code tolerance = successPixels()}
   * this is the success criterion.
   */
  @Override
  public boolean goalReached(GoalPose goal, float tolerance) {
    BlockPose g = toBlock(goal);
    BlockPose b = block();
    return b.distanceTo(g) < tolerance && b.angleTo(g) <= Math.toRadians(cfg.successDegrees());
  }

  private static BlockPose toBlock(GoalPose g) {
    return new BlockPose(g.x(), g.y(), g.angle());
  }
}
