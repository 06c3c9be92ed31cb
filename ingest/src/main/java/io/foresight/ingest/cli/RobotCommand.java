package io.foresight.ingest.cli;

import io.foresight.ingest.IngestOptions;
import io.foresight.ingest.robot.FleetStats;
import io.foresight.ingest.robot.GoalSpec;
import io.foresight.ingest.robot.RobotFleet;
import io.foresight.ingest.robot.RobotStats;
import io.foresight.ingest.world.WorldConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code foresight robot}: simulated robots that follow Foresight's plans. */
@Command(
    name = "robot",
    mixinStandardHelpOptions = true,
    description = {
      "Run simulated Two-Rooms robots: each publishes its camera frames, proprioception and goal"
          + " (a goal image), follows the newest fresh plan for its stream from foresight.plans"
          + " (model-predictive control; no-op without one), publishes each executed action, and"
          + " reports when it reaches its goal.",
      "With --robots N the stream ids are ID-0 .. ID-(N-1)."
    })
public final class RobotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PublishOptions kafka = new PublishOptions();

  @Option(names = "--stream-id", required = true, description = "Stream id (prefix with --robots).")
  String streamId;

  @Option(
      names = "--goal",
      defaultValue = "random",
      description =
          "random (a new random goal after each one is reached or times out) or X,Y in pixels."
              + " Default: ${DEFAULT-VALUE}.")
  String goal;

  @Option(
      names = "--fps",
      defaultValue = "10",
      description = "Control steps (frames) per second. Default: ${DEFAULT-VALUE}.")
  double fps;

  @Option(
      names = "--duration",
      description = "Stop after this many seconds (default: run until stopped).")
  Double duration;

  @Option(
      names = "--robots",
      defaultValue = "1",
      description = "Number of robots in this process. Default: ${DEFAULT-VALUE}.")
  int robots;

  @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--tolerance",
      description = "Goal tolerance in pixels. Default: $ROBOT_GOAL_TOLERANCE, else 4.")
  Float tolerance;

  @Option(
      names = "--max-plan-lag",
      description =
          "Frames after which a plan is stale. Default: $ROBOT_PLAN_MAX_LAG_FRAMES, else 5.")
  Integer maxPlanLag;

  @Option(
      names = "--goal-timeout",
      description =
          "Steps before a random goal is given up (0 = never). Default: $ROBOT_GOAL_TIMEOUT_STEPS,"
              + " else 300.")
  Integer goalTimeout;

  @Option(
      names = "--violations",
      defaultValue = "0",
      description = "Probability per step of a physics violation. Default: ${DEFAULT-VALUE}.")
  double violations;

  @Option(
      names = "--balls",
      defaultValue = "0",
      description = "Bouncing balls per world. Default: ${DEFAULT-VALUE}.")
  int balls;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IngestOptions.Builder ob = kafka.options().toBuilder();
    if (tolerance != null) {
      ob.goalTolerance(tolerance);
    }
    if (maxPlanLag != null) {
      ob.planMaxLagFrames(maxPlanLag);
    }
    if (goalTimeout != null) {
      ob.goalTimeoutSteps(goalTimeout);
    }
    IngestOptions options = ob.build();
    WorldConfig world = WorldConfig.builder().balls(balls).violationRate(violations).build();
    CountDownLatch done = new CountDownLatch(1);
    try (RobotFleet fleet =
        RobotFleet.builder()
            .options(options)
            .robots(robots)
            .streamIdPrefix(streamId)
            .world(world)
            .seed(seed)
            .goal(GoalSpec.parse(goal))
            .fps(fps)
            .log(
                line -> {
                  synchronized (out) {
                    out.println(line);
                    out.flush();
                  }
                })
            .build()) {
      Thread hook =
          new Thread(
              () -> {
                fleet.stop();
                try {
                  done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        err.printf(
            "running %d robot(s) at %s fps against %s%n", robots, fps, options.bootstrapServers());
        err.flush();
        fleet.run(duration == null ? null : Duration.ofMillis((long) (duration * 1000)));
        printSummary(fleet.stats(), out);
      } finally {
        done.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down: the hook is running
        }
      }
    }
    return 0;
  }

  static void printSummary(FleetStats s, PrintWriter out) {
    out.printf(
        "%d robot(s), %d ticks in %.1f s: %d steps (%d planned), goals reached %d, timed out %d,"
            + " violations injected %d, plans read %d (undecodable %d)%n",
        s.robots().size(),
        s.ticks(),
        s.seconds(),
        s.steps(),
        s.plannedSteps(),
        s.goalsReached(),
        s.goalsFailed(),
        s.violations(),
        s.plansConsumed(),
        s.badPlans());
    for (RobotStats r : s.robots()) {
      out.printf(
          "  %s: %d steps (%d planned, %d no-op), plans %d (ignored %d), goals reached %d of %d%n",
          r.streamId(),
          r.steps(),
          r.plannedSteps(),
          r.noOpSteps(),
          r.plansReceived(),
          r.plansIgnored(),
          r.goalsReached(),
          r.goals().size());
    }
    out.flush();
  }
}
