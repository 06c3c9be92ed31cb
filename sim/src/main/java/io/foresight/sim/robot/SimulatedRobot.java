package io.foresight.sim.robot;

import io.foresight.ingest.IngestException;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.sim.SimRecords;
import io.foresight.sim.world.GoalPose;
import io.foresight.sim.world.Position;
import io.foresight.sim.world.SimWorld;
import io.foresight.sim.world.Violation;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * A simulated robot in its own {@link SimWorld} (Two-Rooms or Push-T): it shows its camera frames
 * and proprioception, states a goal, follows the plans Foresight sends it (model-predictive
 * control) and keeps statistics. It does no I/O: {@link RobotFleet} carries its records to and from
 * Kafka, and tests or the demo can drive it directly.
 *
 * <p>Control: each {@link #step()} executes one action of the newest fresh plan for the current
 * goal. A plan based on frame {@code b} is fresh at frame {@code s} while {@code 0 <= s - b <=
 * maxLag}; the action executed is row {@code s - b} of the plan, which is the first row when plans
 * arrive in time (a late plan continues open-loop rather than repeating an action already taken).
 * Without a fresh plan the robot does nothing that step (a zero action, published with source
 * {@code POLICY} and no plan id).
 *
 * <p>Measurement: the robot records, for every plan of its stream, the plan's age when it was
 * offered (the clock's time minus {@code based_on_time_us}, the capture time of the frame it is
 * based on; for a plan without it, the capture time this robot gave that frame, if it is one of its
 * last {@value #CAPTURE_TIMES} frames) in an HdrHistogram, and sums the plans' {@code
 * stats.skipped}. Steps and plans based on a frame before {@code warmupSteps} are left out of the
 * latency and fresh-step figures (a new stream's first plans wait for the job to set it up).
 *
 * <p>Goals are reached as the world says ({@link SimWorld#goalReached}): Two-Rooms when the agent
 * is within the tolerance (pixels) of the goal, Push-T when the block is within the tolerance of
 * the goal position and within the success angle of the goal angle. With random goals, a reached or
 * timed-out goal is replaced by a new one. Not thread-safe except {@link #stats()}.
 *
 * <pre>{@code
 * SimulatedRobot robot = SimulatedRobot.builder().streamId("robot-1").seed(7).build();
 * List<Object> first = robot.start();          // goal, frame 0, proprioception 0
 * robot.offer(plan);                           // from foresight.plans
 * SimulatedRobot.StepResult r = robot.step();  // executed action, next frame, proprioception
 * }</pre>
 */
public final class SimulatedRobot {
  private final String streamId;
  private final SimWorld world;
  private final GoalSpec goalSpec;
  private final float tolerance;
  private final int maxLag;
  private final int goalTimeoutSteps;
  private final boolean publishNoOps;
  private final InstantSource clock;
  private final Random goalRng;
  private final byte[] scratch;
  private final long warmupSteps;

  /** Capture times kept for plans without {@code based_on_time_us}: 100 s at 10 fps. */
  static final int CAPTURE_TIMES = 1024;

  private final long[] captureUs = new long[CAPTURE_TIMES];

  private Plan plan;
  private String goalId;
  private GoalPose goal = GoalPose.at(0, 0);
  private int goalCount;
  private boolean reachedCurrent;
  private boolean started;

  private long steps;
  private long plannedSteps;
  private long noOpSteps;
  private long plansReceived;
  private long plansIgnored;
  private long plansSkipped;
  private long stepsAfterWarmup;
  private long plannedStepsAfterWarmup;
  private final Histogram planLatencyUs = RobotStats.newLatencyHistogram();
  private final List<RobotStats.GoalOutcome> goals = new ArrayList<>();
  private final List<RobotStats.DistanceSample> distances = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();

  /**
   * What one step produced, to be published in this order: the action executed after frame {@code
   * action.frame_sequence}, then the new goal (if any), the new frame and its proprioception.
   *
   * @param action the executed action (null for a no-op when no-ops are not published)
   * @param planned whether the action came from a plan
   * @param newGoal a goal set in this step, or null
   * @param frame the new frame
   * @param proprio its proprioception
   * @param reached the goal reached at the new frame, or null
   * @param violation the violation visible in the new frame, or null
   */
  public record StepResult(
      ActionCommand action,
      boolean planned,
      Goal newGoal,
      CameraFrame frame,
      SensorReading proprio,
      RobotStats.GoalOutcome reached,
      Violation violation) {}

  private SimulatedRobot(Builder b) {
    this.streamId = b.streamId;
    this.world = b.world.newWorld(b.seed);
    this.goalSpec = b.goal;
    this.tolerance = b.options.goalTolerance();
    this.maxLag = b.options.planMaxLagFrames();
    this.goalTimeoutSteps = b.options.goalTimeoutSteps();
    this.publishNoOps = b.publishNoOps;
    this.clock = b.clock;
    this.goalRng = new Random(~b.seed);
    this.scratch = new byte[b.world.frameBytes()];
    this.warmupSteps = b.warmupSteps;
    if (!goalSpec.random()) {
      String problem = world.goalProblem(goalSpec.pose());
      if (problem != null) {
        throw new IngestException(problem);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public String streamId() {
    return streamId;
  }

  /** The robot's world (read it; stepping it yourself desynchronises the robot). */
  public SimWorld world() {
    return world;
  }

  /** The current frame sequence. */
  public long sequence() {
    return world.frameIndex();
  }

  /** The id of the current goal, or null before {@link #start()}. */
  public synchronized String goalId() {
    return goalId;
  }

  /** The current goal position. */
  public synchronized Position goal() {
    return goal.position();
  }

  /** The current goal: position and (Push-T) angle. */
  public synchronized GoalPose goalPose() {
    return goal;
  }

  /** The records that open the run: the goal, frame 0 and its proprioception. */
  public synchronized List<Object> start() {
    if (started) {
      throw new IllegalStateException("robot " + streamId + " is already started");
    }
    started = true;
    long now = nowUs();
    Goal g = newGoal(now);
    recordDistance();
    CameraFrame f = SimRecords.frame(streamId, world.frameIndex(), now, world, scratch);
    SensorReading p = SimRecords.proprio(streamId, world.frameIndex(), now, world);
    rememberCapture(world.frameIndex(), now);
    return List.of(g, f, p);
  }

  private long nowUs() {
    java.time.Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  private Goal newGoal(long nowUs) {
    GoalPose at = goalSpec.random() ? world.randomGoal(goalRng, 3 * tolerance) : goalSpec.pose();
    goal = at;
    goalId = streamId + "/goal-" + goalCount++;
    reachedCurrent = false;
    plan = null;
    goals.add(
        new RobotStats.GoalOutcome(
            goalId,
            at.x(),
            at.y(),
            at.angle(),
            world.goalBeyondObstacle(at),
            world.frameIndex(),
            -1,
            world.goalDistance(at),
            world.goalPathDistance(at),
            world.goalDistance(at),
            RobotStats.GoalOutcome.Status.ACTIVE));
    return SimRecords.goal(streamId, goalId, nowUs, world, at, tolerance);
  }

  /**
   * Takes a plan from {@code foresight.plans}. Returns true if it is for this robot's stream and
   * current goal (it becomes the plan to follow if it is the newest); plans for other streams are
   * ignored silently, plans for another goal or with a bad shape are counted as ignored. Every plan
   * of this stream counts in the latency (after the warm-up) and the skipped sum.
   */
  public synchronized boolean offer(Plan p) {
    if (p == null || !streamId.equals(p.getStreamId())) {
      return false;
    }
    if (p.getStats() != null) {
      plansSkipped += p.getStats().getSkipped();
    }
    long captured =
        p.getBasedOnTimeUs() > 0 ? p.getBasedOnTimeUs() : captureTime(p.getBasedOnSequence());
    if (captured > 0 && p.getBasedOnSequence() >= warmupSteps) {
      // Same machine, same clock as the capture time; a negative age would be clock trouble.
      planLatencyUs.recordValue(
          Math.min(planLatencyUs.getHighestTrackableValue(), Math.max(0, nowUs() - captured)));
    }
    if (!Objects.equals(goalId, p.getGoalId())
        || p.getActions() == null
        || p.getActions().isEmpty()
        || p.getActions().get(0).size() != 2) {
      plansIgnored++;
      return false;
    }
    plansReceived++;
    if (plan == null || p.getBasedOnSequence() >= plan.getBasedOnSequence()) {
      plan = p;
    }
    return true;
  }

  /** The capture time this robot gave frame {@code seq}, or 0 if it is not among the last ones. */
  private long captureTime(long seq) {
    long now = world.frameIndex();
    if (seq < 0 || seq > now || now - seq >= CAPTURE_TIMES) {
      return 0;
    }
    return captureUs[(int) (seq % CAPTURE_TIMES)];
  }

  private void rememberCapture(long seq, long us) {
    captureUs[(int) (seq % CAPTURE_TIMES)] = us;
  }

  /** Executes one action (from the newest fresh plan, or a no-op) and advances one frame. */
  public synchronized StepResult step() {
    if (!started) {
      throw new IllegalStateException("call start() before step() (robot " + streamId + ")");
    }
    long seq = world.frameIndex();
    long now = nowUs();
    float ax = 0;
    float ay = 0;
    String planId = null;
    if (plan != null) {
      long k = seq - plan.getBasedOnSequence();
      if (k >= 0 && k <= maxLag && k < plan.getActions().size()) {
        List<Float> row = plan.getActions().get((int) k);
        ax = clamp(row.get(0));
        ay = clamp(row.get(1));
        planId = plan.getPlanId();
      }
    }
    boolean planned = planId != null;
    if (seq >= warmupSteps) {
      stepsAfterWarmup++;
      if (planned) {
        plannedStepsAfterWarmup++;
      }
    }
    ActionCommand action = null;
    if (planned || publishNoOps) {
      action =
          SimRecords.action(
              streamId,
              now,
              ax,
              ay,
              planned ? ActionSource.PLANNER : ActionSource.POLICY,
              planId,
              seq);
    }
    world.step(ax, ay);
    steps++;
    if (planned) {
      plannedSteps++;
    } else {
      noOpSteps++;
    }
    Violation v = world.currentViolation();
    if (v != null) {
      violations.add(v);
    }
    float d = recordDistance();
    RobotStats.GoalOutcome reached = null;
    Goal next = null;
    int last = goals.size() - 1;
    RobotStats.GoalOutcome current = goals.get(last);
    if (!reachedCurrent && world.goalReached(goal, tolerance)) {
      reachedCurrent = true;
      reached = end(current, RobotStats.GoalOutcome.Status.REACHED, d);
      goals.set(last, reached);
      if (goalSpec.random()) {
        next = newGoal(now);
      }
    } else if (!reachedCurrent
        && goalSpec.random()
        && goalTimeoutSteps > 0
        && world.frameIndex() - current.setAtSequence() >= goalTimeoutSteps) {
      goals.set(last, end(current, RobotStats.GoalOutcome.Status.TIMED_OUT, d));
      next = newGoal(now);
    } else {
      goals.set(last, withDistance(current, d));
    }
    CameraFrame f = SimRecords.frame(streamId, world.frameIndex(), now, world, scratch);
    SensorReading p = SimRecords.proprio(streamId, world.frameIndex(), now, world);
    rememberCapture(world.frameIndex(), now);
    return new StepResult(action, planned, next, f, p, reached, v);
  }

  private RobotStats.GoalOutcome end(
      RobotStats.GoalOutcome g, RobotStats.GoalOutcome.Status status, float d) {
    return g.with(world.frameIndex(), d, status);
  }

  private static RobotStats.GoalOutcome withDistance(RobotStats.GoalOutcome g, float d) {
    return g.with(g.endSequence(), d, g.status());
  }

  private float recordDistance() {
    float d = world.goalDistance(goal);
    distances.add(
        new RobotStats.DistanceSample(
            world.frameIndex(),
            goalId,
            d,
            world.goalPathDistance(goal),
            world.goalAngleError(goal)));
    return d;
  }

  private static float clamp(Float v) {
    if (v == null || v.isNaN()) {
      return 0f;
    }
    return Math.max(-1f, Math.min(1f, v));
  }

  /** A snapshot of the statistics (thread-safe). */
  public synchronized RobotStats stats() {
    return new RobotStats(
        streamId,
        steps,
        plannedSteps,
        noOpSteps,
        plansReceived,
        plansIgnored,
        goals,
        distances,
        violations,
        plansSkipped,
        stepsAfterWarmup,
        plannedStepsAfterWarmup,
        planLatencyUs.copy());
  }

  /** Builds a {@link SimulatedRobot}; the stream id is required. */
  public static final class Builder extends RobotBuilder<Builder> {
    private String streamId;

    private Builder() {}

    public Builder streamId(String streamId) {
      this.streamId = streamId;
      return this;
    }

    public SimulatedRobot build() {
      if (streamId == null || streamId.isBlank()) {
        throw new IngestException("a robot needs a stream id");
      }
      checkRobotSettings();
      return new SimulatedRobot(this);
    }
  }
}
