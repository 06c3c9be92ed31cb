package io.foresight.sim.pusht;

import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The parameters of a {@link PushTWorld}: image size, the agent, the T-shaped block and its
 * physics, the fixed physics step, the injection of violations and the success criterion.
 *
 * <p>Lengths are in <em>arena units</em>: the arena is 64 units wide whatever the image size (and
 * {@code 64 * height / width} units tall), so one unit is one pixel at 64x64 and the physics is the
 * same at every image size; only the rendering scales. Poses and proprioception are reported in
 * pixels of the rendered image (units times {@link #scale()}). Time: one step is {@link
 * #stepSeconds()} seconds of simulated time, integrated in {@link #substeps()} fixed sub-steps.
 *
 * <p>Defaults: 64x64 RGB; an agent disc of radius 3 moved up to 2.5 units per step (25 units/s); a
 * T of a 16x4 bar over a 4x12 stem (mass 1, contact friction 0.5, linear and angular damping 10/s,
 * so it stops within about a unit once no longer pushed) and an agent 20 times heavier; walls 2
 * units thick around the image; 10 sub-steps of 10 ms per step; success within 2 units and 10
 * degrees of the goal pose; no violations.
 *
 * <pre>{@code
 * PushTConfig cfg = PushTConfig.builder().size(96, 96).violationRate(0.02).build();
 * }</pre>
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param agentRadius radius of the agent disc, units
 * @param maxStep the largest distance the agent moves in one step, units
 * @param barLength length of the T's bar, units
 * @param thickness thickness of the bar and of the stem, units
 * @param stemLength length of the stem below the bar, units
 * @param blockMass the block's mass (kg; only ratios matter)
 * @param agentMass the agent's mass (kg)
 * @param friction contact friction coefficient (agent, block and walls alike)
 * @param linearDamping the block's linear damping per second (friction with the floor)
 * @param angularDamping the block's angular damping per second
 * @param substeps fixed physics sub-steps per step
 * @param stepSeconds simulated seconds per step
 * @param wallThickness the walls' visible thickness inside the image, units
 * @param violationRate probability per step that a violation is injected (0 = never)
 * @param violationKinds the kinds drawn from, among {@link Violation.Kind#pushT()}
 * @param teleportMinDistance the smallest jump of a block teleport, units
 * @param spinMinDegrees the smallest turn of a block spin, degrees (at most 180)
 * @param successDistance the success criterion's position tolerance, units
 * @param successDegrees the success criterion's angle tolerance, degrees
 */
public record PushTConfig(
    int width,
    int height,
    float agentRadius,
    float maxStep,
    float barLength,
    float thickness,
    float stemLength,
    double blockMass,
    double agentMass,
    double friction,
    double linearDamping,
    double angularDamping,
    int substeps,
    double stepSeconds,
    float wallThickness,
    double violationRate,
    Set<Violation.Kind> violationKinds,
    float teleportMinDistance,
    float spinMinDegrees,
    float successDistance,
    float successDegrees)
    implements WorldSpec {

  /** The name of this world: {@code pusht}. */
  public static final String NAME = "pusht";

  /** Arena units across the image width. */
  public static final float ARENA_WIDTH = 64f;

  /** The default world: 64x64, no violations. */
  public static final PushTConfig DEFAULT = builder().build();

  public PushTConfig {
    violationKinds = violationKinds == null ? Set.of() : Set.copyOf(violationKinds);
    if (width < 16 || height < 16) {
      throw new IllegalArgumentException(
          "world size must be at least 16x16, got " + width + "x" + height);
    }
    if (!(agentRadius > 0) || !(maxStep > 0)) {
      throw new IllegalArgumentException(
          "agentRadius and maxStep must be > 0, got " + agentRadius + ", " + maxStep);
    }
    if (!(thickness > 0) || !(barLength > thickness) || !(stemLength > 0)) {
      throw new IllegalArgumentException(
          "the T needs thickness > 0, barLength > thickness and stemLength > 0, got "
              + thickness
              + ", "
              + barLength
              + ", "
              + stemLength);
    }
    if (!(blockMass > 0) || !(agentMass > 0)) {
      throw new IllegalArgumentException(
          "masses must be > 0, got block " + blockMass + ", agent " + agentMass);
    }
    if (!(friction >= 0) || !(linearDamping >= 0) || !(angularDamping >= 0)) {
      throw new IllegalArgumentException(
          "friction and damping must be >= 0, got "
              + friction
              + ", "
              + linearDamping
              + ", "
              + angularDamping);
    }
    if (substeps < 1 || !(stepSeconds > 0)) {
      throw new IllegalArgumentException(
          "substeps must be >= 1 and stepSeconds > 0, got " + substeps + ", " + stepSeconds);
    }
    if (maxStep / substeps > agentRadius / 2) {
      throw new IllegalArgumentException(
          "a sub-step moves the agent "
              + maxStep / substeps
              + " units, more than half its radius "
              + agentRadius
              + ": contacts would be missed; raise substeps");
    }
    float arenaHeight = ARENA_WIDTH * height / width;
    // Goal poses keep three agent radii between the block and the walls (see PushTWorld).
    float radius = blockRadius(barLength, thickness, stemLength);
    float span = wallThickness + radius + 3 * agentRadius;
    if (!(wallThickness >= 0) || 2 * span + 1 > Math.min(ARENA_WIDTH, arenaHeight)) {
      throw new IllegalArgumentException(
          "the arena (64 x "
              + arenaHeight
              + " units inside walls of "
              + wallThickness
              + ") is too small for the block (radius "
              + radius
              + ") with room for the agent (radius "
              + agentRadius
              + ") all around it; make the image less elongated or the block smaller");
    }
    for (Violation.Kind k : violationKinds) {
      if (!Violation.Kind.pushT().contains(k)) {
        throw new IllegalArgumentException(
            "violation kind "
                + k
                + " is not one of the Push-T world's; use "
                + Violation.Kind.pushT());
      }
    }
    if (!(violationRate >= 0 && violationRate <= 1)) {
      throw new IllegalArgumentException(
          "violationRate is a probability per step in [0, 1], got " + violationRate);
    }
    if (violationRate > 0 && violationKinds.isEmpty()) {
      throw new IllegalArgumentException(
          "violationRate > 0 needs at least one violation kind " + Violation.Kind.pushT());
    }
    if (!(teleportMinDistance >= 0) || !(spinMinDegrees > 0 && spinMinDegrees <= 180)) {
      throw new IllegalArgumentException(
          "teleportMinDistance must be >= 0 and spinMinDegrees in (0, 180], got "
              + teleportMinDistance
              + ", "
              + spinMinDegrees);
    }
    if (!(successDistance > 0) || !(successDegrees > 0)) {
      throw new IllegalArgumentException(
          "the success tolerances must be > 0, got "
              + successDistance
              + " units, "
              + successDegrees
              + " degrees");
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
    b.agentRadius = agentRadius;
    b.maxStep = maxStep;
    b.barLength = barLength;
    b.thickness = thickness;
    b.stemLength = stemLength;
    b.blockMass = blockMass;
    b.agentMass = agentMass;
    b.friction = friction;
    b.linearDamping = linearDamping;
    b.angularDamping = angularDamping;
    b.substeps = substeps;
    b.stepSeconds = stepSeconds;
    b.wallThickness = wallThickness;
    b.violationRate = violationRate;
    b.violationKinds =
        violationKinds.isEmpty()
            ? EnumSet.noneOf(Violation.Kind.class)
            : EnumSet.copyOf(violationKinds);
    b.teleportMinDistance = teleportMinDistance;
    b.spinMinDegrees = spinMinDegrees;
    b.successDistance = successDistance;
    b.successDegrees = successDegrees;
    return b;
  }

  @Override
  public String worldName() {
    return NAME;
  }

  /**
   * {@code mixed} (the default: per episode a noisy scripted push with probability 0.7, else a
   * random walk), {@code push} (scripted push to the episode's goal, no noise), {@code random}.
   */
  @Override
  public List<String> policyNames() {
    return List.of("mixed", "push", "random");
  }

  @Override
  public void requirePolicy(String name) {
    if (name == null || !policyNames().contains(name.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException(
          "unknown Push-T policy '" + name + "'; use mixed, push or random");
    }
  }

  @Override
  public PushTWorld newWorld(long seed) {
    return new PushTWorld(this, seed);
  }

  /** Pixels per arena unit: {@code width / 64}. */
  public float scale() {
    return width / ARENA_WIDTH;
  }

  /** The arena's height in units: {@code 64 * height / width}. */
  public float arenaHeight() {
    return ARENA_WIDTH * height / width;
  }

  /** The block's area in square units. */
  public float blockArea() {
    return barLength * thickness + thickness * stemLength;
  }

  /** The distance in units from the T's top edge down to its centre of mass. */
  public float centroidFromTop() {
    return centroidFromTop(barLength, thickness, stemLength);
  }

  /** The largest distance in units from the centre of mass to a point of the block. */
  public float blockRadius() {
    return blockRadius(barLength, thickness, stemLength);
  }

  // Static, so that the compact constructor (where the fields are not yet set) can use them.
  private static float centroidFromTop(float barLength, float thickness, float stemLength) {
    float bar = barLength * thickness;
    float stem = thickness * stemLength;
    return (bar * thickness / 2 + stem * (thickness + stemLength / 2)) / (bar + stem);
  }

  private static float blockRadius(float barLength, float thickness, float stemLength) {
    float c = centroidFromTop(barLength, thickness, stemLength);
    double barCorner = Math.hypot(barLength / 2, c);
    double stemCorner = Math.hypot(thickness / 2, thickness + stemLength - c);
    return (float) Math.max(barCorner, stemCorner);
  }

  /** The success criterion's position tolerance in pixels of the image. */
  public float successPixels() {
    return successDistance * scale();
  }

  /**
   * Whether a block pose meets the success criterion for a goal pose: within {@link
   * #successPixels()} (2 px at 64x64, scaled with the width) and {@link #successDegrees()} (10).
   */
  public boolean success(BlockPose block, BlockPose goal) {
    return block.distanceTo(goal) <= successPixels()
        && block.angleTo(goal) <= Math.toRadians(successDegrees);
  }

  /** Builds a {@link PushTConfig}. */
  public static final class Builder {
    private int width = 64;
    private int height = 64;
    private float agentRadius = 3f;
    private float maxStep = 2.5f;
    private float barLength = 16f;
    private float thickness = 4f;
    private float stemLength = 12f;
    private double blockMass = 1;
    private double agentMass = 20;
    private double friction = 0.5;
    private double linearDamping = 10;
    private double angularDamping = 10;
    private int substeps = 10;
    private double stepSeconds = 0.1;
    private float wallThickness = 2f;
    private double violationRate = 0;
    private EnumSet<Violation.Kind> violationKinds = EnumSet.copyOf(Violation.Kind.pushT());
    private float teleportMinDistance = 12f;
    private float spinMinDegrees = 45f;
    private float successDistance = 2f;
    private float successDegrees = 10f;

    private Builder() {}

    /** Image size in pixels; the physics does not change with it (see {@link #scale()}). */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
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

    /** The T's bar length, its thickness (bar and stem) and its stem length, units. */
    public Builder block(float barLength, float thickness, float stemLength) {
      this.barLength = barLength;
      this.thickness = thickness;
      this.stemLength = stemLength;
      return this;
    }

    public Builder blockMass(double blockMass) {
      this.blockMass = blockMass;
      return this;
    }

    public Builder agentMass(double agentMass) {
      this.agentMass = agentMass;
      return this;
    }

    public Builder friction(double friction) {
      this.friction = friction;
      return this;
    }

    /** The block's linear and angular damping per second. */
    public Builder damping(double linear, double angular) {
      this.linearDamping = linear;
      this.angularDamping = angular;
      return this;
    }

    public Builder substeps(int substeps) {
      this.substeps = substeps;
      return this;
    }

    public Builder stepSeconds(double stepSeconds) {
      this.stepSeconds = stepSeconds;
      return this;
    }

    public Builder wallThickness(float wallThickness) {
      this.wallThickness = wallThickness;
      return this;
    }

    /** Probability per step of injecting a violation; 0 (the default) gives clean physics. */
    public Builder violationRate(double violationRate) {
      this.violationRate = violationRate;
      return this;
    }

    /** The kinds to draw from; default all three Push-T kinds. */
    public Builder violationKinds(Set<Violation.Kind> kinds) {
      this.violationKinds =
          kinds.isEmpty() ? EnumSet.noneOf(Violation.Kind.class) : EnumSet.copyOf(kinds);
      return this;
    }

    public Builder teleportMinDistance(float teleportMinDistance) {
      this.teleportMinDistance = teleportMinDistance;
      return this;
    }

    public Builder spinMinDegrees(float spinMinDegrees) {
      this.spinMinDegrees = spinMinDegrees;
      return this;
    }

    /** The success criterion: within {@code distance} units and {@code degrees} of the goal. */
    public Builder success(float distance, float degrees) {
      this.successDistance = distance;
      this.successDegrees = degrees;
      return this;
    }

    /** Validates and builds; see the record's constructor for the rules. */
    public PushTConfig build() {
      return new PushTConfig(
          width,
          height,
          agentRadius,
          maxStep,
          barLength,
          thickness,
          stemLength,
          blockMass,
          agentMass,
          friction,
          linearDamping,
          angularDamping,
          substeps,
          stepSeconds,
          wallThickness,
          violationRate,
          violationKinds,
          teleportMinDistance,
          spinMinDegrees,
          successDistance,
          successDegrees);
    }
  }
}
