package io.foresight.sim.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A deterministic 2-D Two-Rooms world rendered to RGB8 frames: two rooms separated by a wall with
 * one door, an agent disc moved by 2-D actions, optional bouncing balls, and optional injected
 * violations of physics for surprise evaluation.
 *
 * <p>Coordinates are in pixels: {@code x} grows to the right, {@code y} downwards, pixel column
 * {@code c} covers {@code [c, c+1)}. The wall fills the columns {@code [wallLeft, wallRight)}
 * except the door rows {@code [doorTop, doorBottom)}. The agent is a disc that never overlaps the
 * wall or leaves the image: each step moves it in small sub-steps, each axis separately, so that it
 * slides along walls and passes from one room to the other only through the door (unless a {@link
 * Violation.Kind#THROUGH_WALL} violation is injected).
 *
 * <p>Frame indices: {@link #reset} produces frame 0, each {@link #step} the next frame. The action
 * given to {@code step} after frame {@code t} produces frame {@code t+1}.
 *
 * <p>Everything random (door height, start position, balls, violations) comes from the seed given
 * to {@link #reset(long)}: the same seed and the same actions give the same frames. Not
 * thread-safe: use one world per thread.
 *
 * <pre>{@code
 * TwoRoomsWorld world = new TwoRoomsWorld(WorldConfig.DEFAULT, 42);
 * byte[] rgb = new byte[world.config().frameBytes()];
 * world.render(rgb);            // frame 0
 * world.step(1f, 0f);           // move right at full speed
 * world.render(rgb);            // frame 1
 * }</pre>
 */
public final class TwoRoomsWorld implements SimWorld {
  /** Background colour, 0xRRGGBB. */
  public static final int BACKGROUND_RGB = 0x000000;

  /** Wall colour, 0xRRGGBB. */
  public static final int WALL_RGB = 0xA0A0A0;

  /** Agent colour, 0xRRGGBB: the only colour with red well above green and blue. */
  public static final int AGENT_RGB = 0xFF3030;

  /** Ball colour, 0xRRGGBB. */
  public static final int BALL_RGB = 0x30A0FF;

  /** Names of the proprioception values, in order. */
  public static final List<String> PROPRIO_NAMES = List.of("x", "y", "vx", "vy");

  private static final float SUB_STEP = 0.25f;
  private static final int SUPERSAMPLE = 4;

  private final WorldConfig cfg;
  private final int width;
  private final int height;
  private final float radius;
  private final byte[] scene;
  private int sceneDoorTop = Integer.MIN_VALUE;

  private Random rng;
  private Random violationRng;
  private int doorTop;
  private int doorBottom;
  private float x;
  private float y;
  private float vx;
  private float vy;
  private boolean visible;
  private long frame;

  private final float[] ballX;
  private final float[] ballY;
  private final float[] ballVx;
  private final float[] ballVy;

  private final Violation.Kind[] feasibleKinds = new Violation.Kind[Violation.Kind.values().length];
  private int vanishRemaining;
  private boolean throughWallPending;
  private float throughWallTargetX;
  private Violation current;
  private final List<Violation> violations = new ArrayList<>();

  /** A world reset with seed 0. */
  public TwoRoomsWorld(WorldConfig config) {
    this(config, 0L);
  }

  /** A world reset with the given seed. */
  public TwoRoomsWorld(WorldConfig config, long seed) {
    this.cfg = java.util.Objects.requireNonNull(config, "config");
    this.width = config.width();
    this.height = config.height();
    this.radius = config.agentRadius();
    this.scene = new byte[config.frameBytes()];
    this.ballX = new float[config.balls()];
    this.ballY = new float[config.balls()];
    this.ballVx = new float[config.balls()];
    this.ballVy = new float[config.balls()];
    reset(seed);
  }

  public WorldConfig config() {
    return cfg;
  }

  @Override
  public WorldSpec spec() {
    return cfg;
  }

  @Override
  public List<String> proprioNames() {
    return PROPRIO_NAMES;
  }

  /** An {@link ExplorationPolicy} by name ({@code mixed}, {@code random}, {@code door}), bound. */
  @Override
  public WorldPolicy policy(String name) {
    ExplorationPolicy p = ExplorationPolicy.named(name);
    TwoRoomsWorld world = this;
    return new WorldPolicy() {
      @Override
      public void reset(RandomGenerator rng) {
        p.reset(world, rng);
      }

      @Override
      public void act(float[] action) {
        p.act(world, action);
      }

      @Override
      public String name() {
        return p.name();
      }
    };
  }

  @Override
  public String describe() {
    return String.format("started at (%.1f, %.1f), door rows [%d, %d)", x, y, doorTop, doorBottom);
  }

  /**
   * A random free position, in the agent's room or the other one with equal probability, at least
   * {@code minDistance} from the agent (up to 50 redraws).
   */
  @Override
  public GoalPose randomGoal(RandomGenerator random, float minDistance) {
    Room room = random.nextBoolean() ? agentRoom() : agentRoom().other();
    Position at = randomFreePosition(random, room);
    for (int i = 0; i < 50 && at.distanceTo(agent()) < minDistance; i++) {
      at = randomFreePosition(random, room);
    }
    return GoalPose.at(at.x(), at.y());
  }

  @Override
  public String goalProblem(GoalPose goal) {
    if (isFree(goal.x(), goal.y())) {
      return null;
    }
    return "goal ("
        + goal.x()
        + ", "
        + goal.y()
        + ") is not a free position in the "
        + width
        + "x"
        + height
        + " world: it overlaps the wall (columns "
        + cfg.wallLeft()
        + "-"
        + (cfg.wallRight() - 1)
        + ") or the edge (agent radius "
        + cfg.agentRadius()
        + ")";
  }

  /** The agent's straight-line distance to the goal position. */
  @Override
  public float goalDistance(GoalPose goal) {
    return agent().distanceTo(goal.x(), goal.y());
  }

  /** The agent's distance to the goal through the door; see {@link #pathDistance}. */
  @Override
  public float goalPathDistance(GoalPose goal) {
    return pathDistance(agent(), goal.position());
  }

  /** Whether the goal is in the other room than the agent. */
  @Override
  public boolean goalBeyondObstacle(GoalPose goal) {
    return room(goal.x()) != agentRoom();
  }

  /** Reached when the agent is closer than {@code tolerance} to the goal position. */
  @Override
  public boolean goalReached(GoalPose goal, float tolerance) {
    return goalDistance(goal) < tolerance;
  }

  /** {@link #renderGoal(float, float, byte[])} at the goal position. */
  @Override
  public void renderGoal(GoalPose goal, byte[] rgb) {
    renderGoal(goal.x(), goal.y(), rgb);
  }

  /**
   * Starts a new episode: a door at a random height, the agent at a random free position in a
   * random room, balls at random positions and headings. Produces frame 0.
   */
  @Override
  public void reset(long seed) {
    rng = new Random(seed);
    violationRng = new Random(seed ^ 0x9E3779B97F4A7C15L);
    int span = height - cfg.doorHeight() - 2 * cfg.doorMargin();
    doorTop = cfg.doorMargin() + rng.nextInt(span + 1);
    doorBottom = doorTop + cfg.doorHeight();
    Position start = randomFreePosition(rng, rng.nextBoolean() ? Room.LEFT : Room.RIGHT);
    startEpisode(start.x(), start.y());
  }

  /** Starts a new episode with a seed drawn from {@code random}; see {@link #reset(long)}. */
  public void reset(RandomGenerator random) {
    reset(random.nextLong());
  }

  /**
   * Starts a new episode with a given door and agent position (for fixed evaluation tasks); balls
   * and violations still come from the seed.
   *
   * @throws IllegalArgumentException if the door does not fit or the agent would overlap a wall
   */
  public void reset(long seed, int doorTop, float agentX, float agentY) {
    if (doorTop < 0 || doorTop + cfg.doorHeight() > height) {
      throw new IllegalArgumentException(
          "doorTop "
              + doorTop
              + " puts the "
              + cfg.doorHeight()
              + " px door outside the image height "
              + height);
    }
    rng = new Random(seed);
    violationRng = new Random(seed ^ 0x9E3779B97F4A7C15L);
    this.doorTop = doorTop;
    this.doorBottom = doorTop + cfg.doorHeight();
    if (!isFree(agentX, agentY)) {
      throw new IllegalArgumentException(
          "agent position ("
              + agentX
              + ", "
              + agentY
              + ") overlaps a wall or the image edge; use randomFreePosition or isFree to pick one");
    }
    startEpisode(agentX, agentY);
  }

  private void startEpisode(float ax, float ay) {
    x = ax;
    y = ay;
    vx = 0;
    vy = 0;
    visible = true;
    frame = 0;
    for (int i = 0; i < ballX.length; i++) {
      float br = cfg.ballRadius();
      do {
        ballX[i] = br + rng.nextFloat() * (width - 2 * br);
        ballY[i] = br + rng.nextFloat() * (height - 2 * br);
      } while (blocked(ballX[i], ballY[i], br));
      double angle = rng.nextDouble() * 2 * Math.PI;
      ballVx[i] = (float) (Math.cos(angle) * cfg.ballSpeed());
      ballVy[i] = (float) (Math.sin(angle) * cfg.ballSpeed());
    }
    vanishRemaining = 0;
    throughWallPending = false;
    current = null;
    violations.clear();
  }

  /**
   * Applies an action and advances to the next frame. Each component is clamped to [-1, 1] (NaN
   * counts as 0); the displacement is the action times {@link WorldConfig#maxStep()}, shortened to
   * at most {@code maxStep} pixels, and blocked by walls and image edges (the agent slides along
   * them).
   */
  @Override
  public void step(float ax, float ay) {
    frame++;
    current = null;
    float px = x;
    float py = y;
    boolean landed = throughWallPending;
    if (throughWallPending) {
      x = throughWallTargetX;
      throughWallPending = false;
    } else {
      moveAgent(clamp(ax), clamp(ay));
    }
    if (vanishRemaining > 0 && --vanishRemaining == 0) {
      visible = true;
      label(Violation.Kind.VANISH, String.format("agent reappeared at (%.2f, %.2f)", x, y));
    }
    moveBalls();
    if (!landed) {
      maybeInjectViolation();
    }
    vx = x - px;
    vy = y - py;
  }

  private static float clamp(float a) {
    if (Float.isNaN(a)) {
      return 0f;
    }
    return Math.max(-1f, Math.min(1f, a));
  }

  private void moveAgent(float ax, float ay) {
    float dx = ax * cfg.maxStep();
    float dy = ay * cfg.maxStep();
    float len = (float) Math.sqrt(dx * dx + dy * dy);
    if (len == 0f) {
      return;
    }
    if (len > cfg.maxStep()) {
      dx *= cfg.maxStep() / len;
      dy *= cfg.maxStep() / len;
      len = cfg.maxStep();
    }
    int n = Math.max(1, (int) Math.ceil(len / SUB_STEP));
    float sx = dx / n;
    float sy = dy / n;
    for (int i = 0; i < n; i++) {
      float nx = x + sx;
      if (!blocked(nx, y, radius)) {
        x = nx;
      }
      float ny = y + sy;
      if (!blocked(x, ny, radius)) {
        y = ny;
      }
    }
  }

  private void moveBalls() {
    float br = cfg.ballRadius();
    for (int i = 0; i < ballX.length; i++) {
      float speed = (float) Math.hypot(ballVx[i], ballVy[i]);
      int n = Math.max(1, (int) Math.ceil(speed / SUB_STEP));
      for (int s = 0; s < n; s++) {
        float nx = ballX[i] + ballVx[i] / n;
        if (blocked(nx, ballY[i], br)) {
          ballVx[i] = -ballVx[i];
        } else {
          ballX[i] = nx;
        }
        float ny = ballY[i] + ballVy[i] / n;
        if (blocked(ballX[i], ny, br)) {
          ballVy[i] = -ballVy[i];
        } else {
          ballY[i] = ny;
        }
      }
    }
  }

  private void maybeInjectViolation() {
    if (cfg.violationRate() <= 0 || current != null || throughWallPending || vanishRemaining > 0) {
      return;
    }
    if (violationRng.nextDouble() >= cfg.violationRate()) {
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

  /** A through-wall violation needs the agent near a solid (non-door) part of the wall. */
  private boolean feasible(Violation.Kind kind) {
    if (kind != Violation.Kind.THROUGH_WALL) {
      return true;
    }
    boolean solidRows = y + radius <= doorTop - 1 || y - radius >= doorBottom + 1;
    float gap = room(x) == Room.LEFT ? cfg.wallLeft() - x : x - cfg.wallRight();
    return solidRows && gap <= radius + 2 * cfg.maxStep();
  }

  private boolean fire(Violation.Kind kind) {
    switch (kind) {
      case TELEPORT:
        for (int attempt = 0; attempt < 200; attempt++) {
          Position p =
              randomFreePosition(violationRng, violationRng.nextBoolean() ? Room.LEFT : Room.RIGHT);
          if (p.distanceTo(x, y) >= cfg.teleportMinDistance()) {
            String d =
                String.format(
                    "agent teleported from (%.2f, %.2f) to (%.2f, %.2f)", x, y, p.x(), p.y());
            x = p.x();
            y = p.y();
            label(kind, d);
            return true;
          }
        }
        return false;
      case VANISH:
        visible = false;
        vanishRemaining = cfg.vanishSteps();
        label(
            kind,
            String.format("agent vanished at (%.2f, %.2f) for %d frames", x, y, cfg.vanishSteps()));
        return true;
      case THROUGH_WALL:
        Room room = room(x);
        float from = x;
        x = cfg.wallCenter();
        throughWallPending = true;
        throughWallTargetX =
            room == Room.LEFT ? cfg.wallRight() + radius + 0.5f : cfg.wallLeft() - radius - 0.5f;
        label(
            kind,
            String.format(
                "agent inside the solid wall at (%.2f, %.2f) (from x=%.2f, door rows [%d, %d)); next"
                    + " frame at x=%.2f",
                x, y, from, doorTop, doorBottom, throughWallTargetX));
        return true;
      default:
        throw new IllegalStateException("unknown violation kind " + kind);
    }
  }

  private void label(Violation.Kind kind, String detail) {
    current = new Violation(kind, frame, detail);
    violations.add(current);
  }

  /** True when a disc of radius {@code rad} at (px, py) overlaps the wall or leaves the image. */
  private boolean blocked(float px, float py, float rad) {
    if (px < rad || py < rad || px > width - rad || py > height - rad) {
      return true;
    }
    float dx = Math.max(Math.max(cfg.wallLeft() - px, 0f), px - cfg.wallRight());
    if (dx >= rad) {
      return false;
    }
    float dy = (py <= doorTop || py >= doorBottom) ? 0f : Math.min(py - doorTop, doorBottom - py);
    return dx * dx + dy * dy < rad * rad;
  }

  /** True when the agent could stand at (px, py): inside the image and clear of the wall. */
  public boolean isFree(float px, float py) {
    return Float.isFinite(px) && Float.isFinite(py) && !blocked(px, py, radius);
  }

  /** The room a horizontal position belongs to (left or right of the wall's middle). */
  public Room room(float px) {
    return px < cfg.wallCenter() ? Room.LEFT : Room.RIGHT;
  }

  /** The room the agent is in now. */
  public Room agentRoom() {
    return room(x);
  }

  /** A uniformly random position where the agent fits entirely inside {@code room}. */
  public Position randomFreePosition(RandomGenerator random, Room room) {
    float lo = room == Room.LEFT ? radius : cfg.wallRight() + radius;
    float hi = room == Room.LEFT ? cfg.wallLeft() - radius : width - radius;
    float px = lo + random.nextFloat() * (hi - lo);
    float py = radius + random.nextFloat() * (height - 2 * radius);
    return new Position(px, py);
  }

  /**
   * The length of the shortest path for the agent's centre between two free positions, going
   * through the door when they are in different rooms (approximate: via one point in each doorway).
   */
  public float pathDistance(Position a, Position b) {
    if (room(a.x()) == room(b.x())) {
      return a.distanceTo(b);
    }
    Position left = room(a.x()) == Room.LEFT ? a : b;
    Position right = left == a ? b : a;
    float lx = cfg.wallLeft() - radius;
    float rx = cfg.wallRight() + radius;
    float lo = doorTop + radius;
    float hi = doorBottom - radius;
    float best = Float.MAX_VALUE;
    for (int i = 0; i <= 16; i++) {
      float dy = lo + (hi - lo) * i / 16f;
      float d = left.distanceTo(lx, dy) + (rx - lx) + right.distanceTo(rx, dy);
      best = Math.min(best, d);
    }
    return best;
  }

  /**
   * Renders the current frame into {@code rgb}: {@code height * width * 3} bytes, row-major,
   * interleaved R, G, B. Allocates nothing.
   */
  @Override
  public void render(byte[] rgb) {
    checkBuffer(rgb);
    ensureScene();
    System.arraycopy(scene, 0, rgb, 0, scene.length);
    for (int i = 0; i < ballX.length; i++) {
      drawDisc(rgb, ballX[i], ballY[i], cfg.ballRadius(), BALL_RGB);
    }
    if (visible) {
      drawDisc(rgb, x, y, radius, AGENT_RGB);
    }
  }

  /**
   * Renders a goal image: the walls and door of this episode with the agent drawn at (gx, gy) and
   * no balls. A planner compares the latent of this image with the latents of frames.
   */
  public void renderGoal(float gx, float gy, byte[] rgb) {
    checkBuffer(rgb);
    ensureScene();
    System.arraycopy(scene, 0, rgb, 0, scene.length);
    drawDisc(rgb, gx, gy, radius, AGENT_RGB);
  }

  private void checkBuffer(byte[] rgb) {
    if (rgb == null || rgb.length != scene.length) {
      throw new IllegalArgumentException(
          "frame buffer must hold height*width*3 = "
              + scene.length
              + " bytes, got "
              + (rgb == null ? "null" : rgb.length));
    }
  }

  private void ensureScene() {
    if (sceneDoorTop == doorTop) {
      return;
    }
    for (int row = 0; row < height; row++) {
      boolean door = row >= doorTop && row < doorBottom;
      for (int col = 0; col < width; col++) {
        boolean wall = !door && col >= cfg.wallLeft() && col < cfg.wallRight();
        int c = wall ? WALL_RGB : BACKGROUND_RGB;
        int o = (row * width + col) * 3;
        scene[o] = (byte) (c >>> 16);
        scene[o + 1] = (byte) (c >>> 8);
        scene[o + 2] = (byte) c;
      }
    }
    sceneDoorTop = doorTop;
  }

  /** Draws an anti-aliased disc (4x4 supersampled coverage) blended over what is there. */
  private void drawDisc(byte[] rgb, float cx, float cy, float rad, int color) {
    int x0 = Math.max(0, (int) Math.floor(cx - rad));
    int x1 = Math.min(width - 1, (int) Math.floor(cx + rad));
    int y0 = Math.max(0, (int) Math.floor(cy - rad));
    int y1 = Math.min(height - 1, (int) Math.floor(cy + rad));
    float r2 = rad * rad;
    int cr = (color >>> 16) & 0xff;
    int cg = (color >>> 8) & 0xff;
    int cb = color & 0xff;
    float inv = 1f / SUPERSAMPLE;
    for (int row = y0; row <= y1; row++) {
      for (int col = x0; col <= x1; col++) {
        int hits = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
          float dy = row + (sy + 0.5f) * inv - cy;
          float dy2 = dy * dy;
          for (int sx = 0; sx < SUPERSAMPLE; sx++) {
            float dx = col + (sx + 0.5f) * inv - cx;
            if (dx * dx + dy2 <= r2) {
              hits++;
            }
          }
        }
        if (hits == 0) {
          continue;
        }
        float c = hits / (float) (SUPERSAMPLE * SUPERSAMPLE);
        int o = (row * width + col) * 3;
        rgb[o] = blend(rgb[o], cr, c);
        rgb[o + 1] = blend(rgb[o + 1], cg, c);
        rgb[o + 2] = blend(rgb[o + 2], cb, c);
      }
    }
  }

  private static byte blend(byte under, int over, float c) {
    return (byte) Math.round((under & 0xff) * (1f - c) + over * c);
  }

  /** The agent's x, in pixels. */
  @Override
  public float agentX() {
    return x;
  }

  /** The agent's y, in pixels. */
  @Override
  public float agentY() {
    return y;
  }

  /** The agent's position. */
  @Override
  public Position agent() {
    return new Position(x, y);
  }

  /** The agent's displacement in the last step (x), pixels per step. */
  public float agentVx() {
    return vx;
  }

  /** The agent's displacement in the last step (y), pixels per step. */
  public float agentVy() {
    return vy;
  }

  /** False while a {@link Violation.Kind#VANISH} violation hides the agent. */
  public boolean agentVisible() {
    return visible;
  }

  /** First row of the door opening. */
  public int doorTop() {
    return doorTop;
  }

  /** One past the last row of the door opening. */
  public int doorBottom() {
    return doorBottom;
  }

  /** Index of the current frame: 0 after reset, +1 per step. */
  @Override
  public long frameIndex() {
    return frame;
  }

  /** Proprioception of the current frame: x, y, vx, vy (see {@link #PROPRIO_NAMES}). */
  @Override
  public float[] proprioception() {
    return new float[] {x, y, vx, vy};
  }

  /** Writes x, y, vx, vy into {@code out[0..3]}. */
  @Override
  public void proprioception(float[] out) {
    out[0] = x;
    out[1] = y;
    out[2] = vx;
    out[3] = vy;
  }

  /** The violation visible in the current frame, or null. */
  @Override
  public Violation currentViolation() {
    return current;
  }

  /** The label of the current frame: 0 none, else {@link Violation.Kind#code()}. */
  @Override
  public int violationCode() {
    return current == null ? 0 : current.kind().code();
  }

  /** All violations of this episode so far, in order. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** Number of balls. */
  public int ballCount() {
    return ballX.length;
  }

  /** Position of ball {@code i}. */
  public Position ball(int i) {
    return new Position(ballX[i], ballY[i]);
  }
}
