package io.foresight.sim.robot;

import io.foresight.ingest.IngestException;
import io.foresight.ingest.IngestOptions;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldSpec;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The settings of a simulated robot, shared by the builders of {@link SimulatedRobot} and of {@link
 * RobotFleet} (which hands them to each of its robots).
 *
 * @param <B> the builder returned by the setters
 */
public abstract class RobotBuilder<B extends RobotBuilder<B>> {
  protected WorldSpec world = WorldConfig.DEFAULT;
  protected long seed = 0;
  protected GoalSpec goal = GoalSpec.RANDOM;
  protected IngestOptions options = IngestOptions.defaults();
  protected boolean publishNoOps = true;
  protected InstantSource clock = InstantSource.system();
  protected long warmupSteps = 0;

  protected RobotBuilder() {}

  /** The robot's world: {@link WorldConfig} (Two-Rooms, the default) or {@code PushTConfig}. */
  public B world(WorldSpec world) {
    this.world = Objects.requireNonNull(world, "world");
    return self();
  }

  /**
   * Seeds the world (Two-Rooms: door, start, balls, violations; Push-T: block, start, violations)
   * and the random goals; robot {@code i} of a fleet is seeded with {@code seed + 1000003 * i}.
   */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  public B goal(GoalSpec goal) {
    this.goal = Objects.requireNonNull(goal, "goal");
    return self();
  }

  /**
   * Goal tolerance, plan lag and goal timeout come from the {@code robot.*} options (and, for a
   * fleet, the bootstrap servers and compression).
   */
  public B options(IngestOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    return self();
  }

  /** Whether steps without a plan produce a zero {@link ActionCommand}; default true. */
  public B publishNoOps(boolean publishNoOps) {
    this.publishNoOps = publishNoOps;
    return self();
  }

  public B clock(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /** Steps (frames) at the start left out of the fresh-step and latency figures; default 0. */
  public B warmupSteps(long warmupSteps) {
    this.warmupSteps = warmupSteps;
    return self();
  }

  /** Takes every robot setting of {@code other}. */
  B robotSettings(RobotBuilder<?> other) {
    this.world = other.world;
    this.seed = other.seed;
    this.goal = other.goal;
    this.options = other.options;
    this.publishNoOps = other.publishNoOps;
    this.clock = other.clock;
    this.warmupSteps = other.warmupSteps;
    return self();
  }

  /** Refuses robot settings that cannot work. */
  protected void checkRobotSettings() {
    if (warmupSteps < 0) {
      throw new IngestException("warm-up steps must be >= 0, got " + warmupSteps);
    }
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
