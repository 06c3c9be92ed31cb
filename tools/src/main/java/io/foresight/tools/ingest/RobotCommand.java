package io.foresight.tools.ingest;

import io.foresight.ingest.IngestOptions;
import io.foresight.schemas.config.ConfigBuilder;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.robot.FleetReport;
import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.GoalSpec;
import io.foresight.sim.robot.RobotFleet;
import io.foresight.sim.robot.RobotStats;
import io.foresight.sim.world.WorldSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
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
      "Run simulated robots in the Two-Rooms or the Push-T world (--world): each publishes its"
          + " camera frames, proprioception and goal (a goal image), follows the newest fresh plan for its stream from foresight.plans"
          + " (model-predictive control; no-op without one), publishes each executed action, and"
          + " reports when it reaches its goal. A Push-T robot's goal is a pose of the block (the"
          + " goal image shows the block there, no agent); it is reached when the block is within"
          + " --tolerance pixels and 10 degrees of it.",
      "With --robots N the stream ids are ID-0 .. ID-(N-1). The robots are spread evenly over"
          + " the frame period in phase groups (--no-stagger steps them all at once).",
      "--stats-json FILE writes the run's statistics: frames published, steps, fresh steps, plans"
          + " received and skipped, goals, and the frame-to-plan latency; rewritten every 5 s while"
          + " the robots run and at the end (also after a failure), so a killed robot process"
          + " leaves its statistics up to then."
    })
public final class RobotCommand implements Callable<Integer> {
  /** How often {@code --stats-json} is rewritten while the robots run. */
  static final Duration STATS_SNAPSHOT_INTERVAL = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Mixin PublishOptions kafka = new PublishOptions();

  @Mixin WorldChoice worldChoice = new WorldChoice();

  @Option(names = "--stream-id", required = true, description = "Stream id (prefix with --robots).")
  String streamId;

  @Option(
      names = "--goal",
      defaultValue = "random",
      description =
          "random (a new random goal after each one is reached or times out), X,Y in pixels, or"
              + " for pusht X,Y,DEGREES (the block's pose). Default: ${DEFAULT-VALUE}.")
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
      description =
          "Goal tolerance in pixels. Default: $ROBOT_GOAL_TOLERANCE, else 4; with --world pusht"
              + " the success criterion (2 px at 64x64, scaled with the width).")
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
      description = "Bouncing balls per world (tworooms only). Default: ${DEFAULT-VALUE}.")
  int balls;

  @Option(
      names = "--stagger",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Spread the robots over the frame period in phase groups (default); --no-stagger steps"
              + " them all at the same instant.")
  boolean stagger;

  @Option(
      names = "--phase-groups",
      defaultValue = "0",
      description =
          "Phase groups when staggering (0 = "
              + RobotFleet.AUTO_PHASE_GROUPS
              + ", at most one per robot). Default: ${DEFAULT-VALUE}.")
  int phaseGroups;

  @Option(
      names = "--warmup-steps",
      defaultValue = "0",
      description =
          "Steps per robot at the start left out of the fresh-step and latency figures. Default:"
              + " ${DEFAULT-VALUE}.")
  long warmupSteps;

  @Option(
      names = "--stats-json",
      description =
          "Write the run's statistics to this JSON file (every 5 s while running and at the end).")
  Path statsJson;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigBuilder<IngestOptions> ob = kafka.options().toBuilder();
    WorldSpec world = worldChoice.spec(64, 64, balls, violations, null);
    if (tolerance != null) {
      ob.set(IngestOptions.GOAL_TOLERANCE, tolerance);
    } else if (world instanceof PushTConfig p) {
      ob.set(IngestOptions.GOAL_TOLERANCE, p.successPixels());
    }
    if (maxPlanLag != null) {
      ob.set(IngestOptions.PLAN_MAX_LAG_FRAMES, maxPlanLag);
    }
    if (goalTimeout != null) {
      ob.set(IngestOptions.GOAL_TIMEOUT_STEPS, goalTimeout);
    }
    IngestOptions options = ob.build();
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
            .stagger(stagger)
            .phaseGroups(phaseGroups)
            .warmupSteps(warmupSteps)
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
            "running %d %srobot(s) at %s fps in %d phase group(s) against %s%n",
            robots,
            worldChoice.pushT() ? "Push-T " : "",
            fps,
            fleet.phaseGroups(),
            options.bootstrapServers());
        err.flush();
        Thread progress = progress(fleet, options.progressIntervalMs(), out);
        Duration cpuAtStart = cpu();
        Thread snapshots = statsJson == null ? null : statsSnapshots(fleet, cpuAtStart, err);
        try {
          fleet.run(duration == null ? null : Duration.ofMillis((long) (duration * 1000)));
        } catch (RuntimeException e) {
          // a failed run (and the robot process's restart) keeps its statistics up to the failure
          if (snapshots != null) {
            try {
              writeFinalStats(snapshots, fleet, cpuAtStart);
            } catch (RuntimeException w) {
              e.addSuppressed(w);
            }
          }
          throw e;
        } finally {
          if (progress != null) {
            progress.interrupt();
          }
        }
        FleetStats stats = fleet.stats();
        printSummary(stats, out);
        if (snapshots != null) {
          writeFinalStats(snapshots, fleet, cpuAtStart);
          err.println("wrote " + statsJson.toAbsolutePath());
          err.flush();
        }
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

  private void writeStats(RobotFleet fleet, Duration cpuAtStart) {
    FleetReport.of(fleet.stats(), fps, fleet.phaseGroups(), warmupSteps)
        .withProcessCpuS(cpu().minus(cpuAtStart).toNanos() / 1e9)
        .write(statsJson);
  }

  /**
   * A daemon thread that rewrites the statistics file every {@link #STATS_SNAPSHOT_INTERVAL} while
   * the robots run, so that a robot process killed without a chance to finish (SIGKILL, a
   * container's stop timeout) leaves its statistics up to then. The first error is reported once.
   */
  private Thread statsSnapshots(RobotFleet fleet, Duration cpuAtStart, PrintWriter err) {
    Thread t =
        new Thread(
            () -> {
              boolean reported = false;
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(STATS_SNAPSHOT_INTERVAL.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                try {
                  writeStats(fleet, cpuAtStart);
                } catch (RuntimeException e) {
                  if (!reported) {
                    reported = true;
                    synchronized (err) {
                      err.println(e.getMessage());
                      err.flush();
                    }
                  }
                }
              }
            },
            "robot-stats");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Stops the snapshot thread, so that nothing overwrites it, then writes the final figures. */
  private void writeFinalStats(Thread snapshots, RobotFleet fleet, Duration cpuAtStart)
      throws InterruptedException {
    snapshots.interrupt();
    snapshots.join();
    writeStats(fleet, cpuAtStart);
  }

  private static Duration cpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * A daemon thread that prints one progress line per interval: frames/s and plans/s since the last
   * line, the fresh-step fraction and the frame-to-plan p99 so far.
   */
  private static Thread progress(RobotFleet fleet, long intervalMs, PrintWriter out) {
    if (intervalMs <= 0) {
      return null;
    }
    Thread t =
        new Thread(
            () -> {
              long lastFrames = 0;
              long lastPlans = 0;
              long lastT = System.nanoTime();
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                  return;
                }
                FleetStats s = fleet.stats();
                long now = System.nanoTime();
                double dt = (now - lastT) / 1e9;
                Histogram h = s.planLatencyUs();
                synchronized (out) {
                  out.println(
                      progressLine(
                          s,
                          (s.framesPublished() - lastFrames) / dt,
                          (s.plansReceived() - lastPlans) / dt,
                          h));
                  out.flush();
                }
                lastFrames = s.framesPublished();
                lastPlans = s.plansReceived();
                lastT = now;
              }
            },
            "robot-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** {@code [ 12s] frames/s 80.0 plans/s 79.5 fresh 0.97 p99 64 ms (812 plans)}. */
  static String progressLine(FleetStats s, double framesPerS, double plansPerS, Histogram h) {
    double fresh = s.freshStepFraction();
    return String.format(
        Locale.ROOT,
        "[%3.0fs] frames/s %6.1f  plans/s %6.1f  fresh %s  p99 %s (%d plans)",
        s.seconds(),
        framesPerS,
        plansPerS,
        Double.isNaN(fresh) ? "-" : String.format(Locale.ROOT, "%.2f", fresh),
        h.getTotalCount() == 0 ? "-" : (h.getValueAtPercentile(99) / 1000) + " ms",
        h.getTotalCount());
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
