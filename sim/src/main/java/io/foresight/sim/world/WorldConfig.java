package io.foresight.sim.world;

import java.util.EnumSet;
import java.util.Set;

/**
 * The parameters of a {@link TwoRoomsWorld}: image size, wall and door geometry, the agent, the
 * optional bouncing balls and the injection of physics violations.
 *
 * <p>Defaults follow the Two-Rooms environment used to evaluate JEPA planners: 64x64 RGB, a wall at
 * columns 30-33 (scaled with the width) with a 16 px door at a random height per episode, an agent
 * disc of radius 3 moved up to 2.5 px per step, no balls, no violations.
 *
 * <pre>{@code
 * WorldConfig cfg = WorldConfig.builder().balls(1).violationRate(0.02).build();
 * }</pre>
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param wallLeft first pixel column of the wall
 * @param wallRight one past the last pixel column of the wall
 * @param doorHeight height of the door opening in pixels
 * @param doorMargin the smallest distance between the door and the top or bottom edge
 * @param agentRadius radius of the agent disc in pixels
 * @param maxStep the largest distance the agent moves in one step, in pixels
 * @param balls number of bouncing balls the agent does not control
 * @param ballRadius radius of each ball in pixels
 * @param ballSpeed speed of each ball in pixels per step
 * @param violationRate probability, per step, that a violation is injected (0 = never); no new
 *     violation starts while one is in progress
 * @param violationKinds the kinds drawn from, uniformly among those possible at that step
 *     (through-wall needs the agent near a solid part of the wall)
 * @param vanishSteps how many frames a vanished agent stays hidden
 * @param teleportMinDistance the smallest distance of a teleport jump, in pixels
 */
public record WorldConfig(
    int width,
    int height,
    int wallLeft,
    int wallRight,
    int doorHeight,
    int doorMargin,
    float agentRadius,
    float maxStep,
    int balls,
    float ballRadius,
    float ballSpeed,
    double violationRate,
    Set<Violation.Kind> violationKinds,
    int vanishSteps,
    float teleportMinDistance)
    implements WorldSpec {

  /** The name of this world: {@code tworooms}. */
  public static final String NAME = "tworooms";

  /** The default world: 64x64, no balls, no violations. */
  public static final WorldConfig DEFAULT = builder().build();

  public WorldConfig {
    violationKinds = violationKinds == null ? Set.of() : Set.copyOf(violationKinds);
    if (width < 16 || height < 16) {
      throw new IllegalArgumentException(
          "world size must be at least 16x16, got " + width + "x" + height);
    }
    if (wallLeft <= 0 || wallRight <= wallLeft || wallRight >= width) {
      throw new IllegalArgumentException(
          "wall columns ["
              + wallLeft
              + ", "
              + wallRight
              + ") must lie strictly inside the image width "
              + width);
    }
    if (!(agentRadius > 0)) {
      throw new IllegalArgumentException("agentRadius must be > 0, got " + agentRadius);
    }
    if (doorHeight <= 2 * agentRadius) {
      throw new IllegalArgumentException(
          "doorHeight "
              + doorHeight
              + " must exceed the agent's diameter "
              + 2 * agentRadius
              + ", or the agent can never pass");
    }
    if (doorMargin < 0 || doorHeight + 2 * doorMargin > height) {
      throw new IllegalArgumentException(
          "doorHeight " + doorHeight + " plus 2 x doorMargin " + doorMargin + " exceeds height");
    }
    if (wallLeft < 2 * agentRadius + 1 || width - wallRight < 2 * agentRadius + 1) {
      throw new IllegalArgumentException(
          "each room must be wider than the agent (radius " + agentRadius + ")");
    }
    if (!(maxStep > 0)) {
      throw new IllegalArgumentException("maxStep must be > 0, got " + maxStep);
    }
    if (balls < 0) {
      throw new IllegalArgumentException("balls must be >= 0, got " + balls);
    }
    if (!(ballRadius > 0) || !(ballSpeed >= 0)) {
      throw new IllegalArgumentException(
          "ballRadius must be > 0 and ballSpeed >= 0, got " + ballRadius + ", " + ballSpeed);
    }
    if (!(violationRate >= 0 && violationRate <= 1)) {
      throw new IllegalArgumentException(
          "violationRate is a probability per step in [0, 1], got " + violationRate);
    }
    for (Violation.Kind k : violationKinds) {
      if (!Violation.Kind.twoRooms().contains(k)) {
        throw new IllegalArgumentException(
            "violation kind "
                + k
                + " is not one of the Two-Rooms world's; use "
                + Violation.Kind.twoRooms()
                + " (the block kinds belong to the Push-T world)");
      }
    }
    if (violationRate > 0 && violationKinds.isEmpty()) {
      throw new IllegalArgumentException(
          "violationRate > 0 needs at least one violation kind (TELEPORT, VANISH, THROUGH_WALL)");
    }
    if (vanishSteps < 1) {
      throw new IllegalArgumentException("vanishSteps must be >= 1, got " + vanishSteps);
    }
    if (!(teleportMinDistance >= 0)) {
      throw new IllegalArgumentException(
          "teleportMinDistance must be >= 0, got " + teleportMinDistance);
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.width = width;
    b.height = height;
    b.wallLeft = wallLeft;
    b.wallRight = wallRight;
    b.doorHeight = doorHeight;
    b.doorMargin = doorMargin;
    b.agentRadius = agentRadius;
    b.maxStep = maxStep;
    b.balls = balls;
    b.ballRadius = ballRadius;
    b.ballSpeed = ballSpeed;
    b.violationRate = violationRate;
    b.violationKinds = EnumSet.noneOf(Violation.Kind.class);
    b.violationKinds.addAll(violationKinds);
    b.vanishSteps = vanishSteps;
    b.teleportMinDistance = teleportMinDistance;
    return b;
  }

  /** The number of bytes of one RGB8 frame: {@code width * height * 3}. */
  @Override
  public int frameBytes() {
    return width * height * 3;
  }

  @Override
  public String worldName() {
    return NAME;
  }

  /** {@code mixed} (the default), {@code random}, {@code door}; see {@link ExplorationPolicy}. */
  @Override
  public java.util.List<String> policyNames() {
    return java.util.List.of("mixed", "random", "door");
  }

  @Override
  public void requirePolicy(String name) {
    ExplorationPolicy.named(name);
  }

  @Override
  public TwoRoomsWorld newWorld(long seed) {
    return new TwoRoomsWorld(this, seed);
  }

  /** The x coordinate of the middle of the wall: positions left of it are in the left room. */
  public float wallCenter() {
    return (wallLeft + wallRight) / 2f;
  }

  /** Builds a {@link WorldConfig}; unset geometry scales with the image size. */
  public static final class Builder {
    private int width = 64;
    private int height = 64;
    private Integer wallLeft;
    private Integer wallRight;
    private Integer doorHeight;
    private Integer doorMargin;
    private float agentRadius = 3f;
    private float maxStep = 2.5f;
    private int balls = 0;
    private float ballRadius = 2f;
    private float ballSpeed = 1.25f;
    private double violationRate = 0;
    private EnumSet<Violation.Kind> violationKinds = EnumSet.copyOf(Violation.Kind.twoRooms());
    private int vanishSteps = 4;
    private Float teleportMinDistance;

    private Builder() {}

    /** Image size; the wall, door and margins scale with it unless set explicitly. */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /** Wall columns {@code [left, right)}; default 30-33 at width 64, scaled. */
    public Builder wall(int left, int right) {
      this.wallLeft = left;
      this.wallRight = right;
      return this;
    }

    /** Door opening height in pixels; default 16 at height 64, scaled. */
    public Builder doorHeight(int doorHeight) {
      this.doorHeight = doorHeight;
      return this;
    }

    /** Smallest distance between door and image edge; default 4 at height 64, scaled. */
    public Builder doorMargin(int doorMargin) {
      this.doorMargin = doorMargin;
      return this;
    }

    public Builder agentRadius(float agentRadius) {
      this.agentRadius = agentRadius;
      return this;
    }

    public Builder maxStep(float maxStep) {
      this.maxStep = maxStep;
      return this;
    }

    public Builder balls(int balls) {
      this.balls = balls;
      return this;
    }

    public Builder ballRadius(float ballRadius) {
      this.ballRadius = ballRadius;
      return this;
    }

    public Builder ballSpeed(float ballSpeed) {
      this.ballSpeed = ballSpeed;
      return this;
    }

    /** Probability per step of injecting a violation; 0 (the default) gives clean physics. */
    public Builder violationRate(double violationRate) {
      this.violationRate = violationRate;
      return this;
    }

    /** The kinds to draw from, among {@link Violation.Kind#twoRooms()}; default all three. */
    public Builder violationKinds(Set<Violation.Kind> kinds) {
      this.violationKinds =
          kinds.isEmpty() ? EnumSet.noneOf(Violation.Kind.class) : EnumSet.copyOf(kinds);
      return this;
    }

    public Builder vanishSteps(int vanishSteps) {
      this.vanishSteps = vanishSteps;
      return this;
    }

    public Builder teleportMinDistance(float teleportMinDistance) {
      this.teleportMinDistance = teleportMinDistance;
      return this;
    }

    /** Validates and builds; see the record's constructor for the rules. */
    public WorldConfig build() {
      int wl = wallLeft != null ? wallLeft : Math.round(30f * width / 64f);
      int wr = wallRight != null ? wallRight : Math.max(wl + 1, Math.round(34f * width / 64f));
      int dh = doorHeight != null ? doorHeight : Math.round(16f * height / 64f);
      int dm = doorMargin != null ? doorMargin : Math.round(4f * height / 64f);
      float tmd = teleportMinDistance != null ? teleportMinDistance : 16f * width / 64f;
      return new WorldConfig(
          width,
          height,
          wl,
          wr,
          dh,
          dm,
          agentRadius,
          maxStep,
          balls,
          ballRadius,
          ballSpeed,
          violationRate,
          violationKinds,
          vanishSteps,
          tmd);
    }
  }
}
