package io.foresight.tools.cli;

import io.foresight.encoders.EncoderOptions;
import io.foresight.ingest.IngestOptions;
import io.foresight.planner.PlannerOptions;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Topics;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.robot.FleetStats;
import io.foresight.sim.robot.GoalSpec;
import io.foresight.sim.robot.RobotFleet;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldSpec;
import io.foresight.tools.demo.BadRecords;
import io.foresight.tools.demo.DemoReport;
import io.foresight.tools.demo.DeviceLine;
import io.foresight.tools.demo.EmbeddedStack;
import io.foresight.tools.demo.Imagination;
import io.foresight.tools.demo.LatentProbe;
import io.foresight.tools.demo.LiveView;
import io.foresight.tools.demo.LogFiles;
import io.foresight.tools.demo.OutputObserver;
import io.foresight.tools.demo.ProbeFit;
import io.foresight.tools.eval.EvalBuilder;
import io.foresight.tools.eval.cli.Checks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foresight demo}: the whole loop on one machine, with a report at the end. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    subcommands = DemoCommand.FitProbe.class,
    description = {
      "Starts everything on this machine (Kafka broker and topics, the memory store in its own"
          + " process, the job on a Flink MiniCluster) and N simulated robots in closed loop with"
          + " random goals, half of them in the other room. Prints progress, stops cleanly and"
          + " writes report.json and report.html. A live page (URL printed) shows the robots while it"
          + " runs.",
      "With --world pusht the robots push a T-shaped block to random goal poses (docs/pusht.md)"
          + " and the job runs the Push-T model (models/push-t): encoder.model.dir and"
          + " planner.model.dir are set from the world unless --set or --model-dir says otherwise."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--robots",
      defaultValue = "4",
      description = "Simulated robots. Default: ${DEFAULT-VALUE}.")
  int robots;

  @Option(
      names = "--duration",
      defaultValue = "60",
      description = "Seconds the robots run. Default: ${DEFAULT-VALUE}.")
  int duration;

  @Option(
      names = "--fps",
      defaultValue = "10",
      description = "Frames per second per robot. Default: ${DEFAULT-VALUE}.")
  double fps;

  @Option(
      names = "--report-dir",
      defaultValue = "reports/demo",
      description = "Where report.json and report.html go. Default: ${DEFAULT-VALUE}.")
  Path reportDir;

  @Option(
      names = "--work-dir",
      defaultValue = "run/demo",
      description =
          "Scratch space (broker log, memory state, checkpoints), emptied first. Default: ${DEFAULT-VALUE}.")
  Path workDir;

  @Option(
      names = "--violation-rate",
      defaultValue = "0.01",
      description =
          "Probability per step of an injected physics violation. Default: ${DEFAULT-VALUE}.")
  double violationRate;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Seed of the robots' worlds. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--set",
      description = "Any job option as key=value (repeatable), e.g. --set planner.samples=256.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--check",
      description =
          "Exit with code 3 when the report misses a target (the thresholds below; defaults are"
              + " the documented targets of docs/benchmarks.md) or a bad record has no dead"
              + " letter.")
  boolean check;

  @Option(
      names = "--min-goal-success",
      defaultValue = "0.95",
      description = "--check: least goals.success_rate. Default: ${DEFAULT-VALUE}.")
  double minGoalSuccess;

  @Option(
      names = "--max-plan-p95-ms",
      defaultValue = "100",
      description = "--check: most frame -> plan latency p95, ms. Default: ${DEFAULT-VALUE}.")
  double maxPlanP95Ms;

  @Option(
      names = "--min-violations-detected",
      defaultValue = "0.9",
      description =
          "--check: least fraction of injected violations with a surprise event. Default:"
              + " ${DEFAULT-VALUE}.")
  double minViolationsDetected;

  @Option(
      names = "--verbose",
      description =
          "Show the libraries' logs (Kafka, Flink, ONNX Runtime) on the console too; they always go"
              + " to <work-dir>/logs/foresight.log.")
  boolean verbose;

  @Option(
      names = "--live-port",
      defaultValue = "0",
      description =
          "Port of the live view on 127.0.0.1 (0: any free port, -1: no live view). Default:"
              + " ${DEFAULT-VALUE}.")
  int livePort;

  @Option(
      names = "--world",
      defaultValue = WorldConfig.NAME,
      description =
          "The robots' world: tworooms (an agent between two rooms) or pusht (an agent pushing a"
              + " T-shaped block to a goal pose). It must be the world of the model's card."
              + " Default: ${DEFAULT-VALUE}.")
  String world = WorldConfig.NAME;

  @Option(
      names = "--model-dir",
      description =
          "The model the job runs and whose probe draws the imagined plans. Default: the shipped"
              + " model of --world (models/two-rooms, models/push-t).")
  Path modelDir;

  /** The exit code of a refused command line (picocli's for usage errors). */
  static final int USAGE_ERROR = 2;

  @Override
  public Integer call() throws Exception {
    Path model = modelDir != null ? modelDir : EvalBuilder.shippedDir(world);
    // refused before anything starts: a world the model was not made for
    WorldSpec worldSpec;
    try {
      worldSpec = worldSpec(ModelCard.load(model));
    } catch (IllegalArgumentException e) {
      System.err.println("foresight demo: " + e.getMessage());
      return USAGE_ERROR;
    }
    boolean pushT = worldSpec instanceof PushTConfig;
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    Path log = LogFiles.into(workDir.resolve("logs").resolve("foresight.log"), verbose);
    long t0 = System.nanoTime();
    System.out.println("Starting the embedded stack in " + workDir.toAbsolutePath() + " ...");
    if (LogFiles.bundled()) {
      System.out.println("  logs              " + log + (verbose ? "" : " (--verbose: here too)"));
    }
    int rc = 0;
    Imagination imagination = null;
    try (EmbeddedStack stack = new EmbeddedStack(workDir)) {
      stack.startBroker();
      System.out.printf(Locale.ROOT, "  Kafka broker      %s%n", stack.bootstrapServers());
      stack.startMemory(List.of());
      System.out.printf(Locale.ROOT, "  memory store      %s%n", stack.memoryUrl());
      int restPort = freePort();
      Configuration flink = new Configuration();
      flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
      flink.set(RestOptions.ADDRESS, "127.0.0.1");
      flink.set(RestOptions.BIND_PORT, Integer.toString(restPort));
      flink.set(RestOptions.PORT, restPort);
      flink.set(WebOptions.LOG_PATH, log.toString()); // the dashboard's Job Manager > Logs
      stack.startJob(jobOptions(model, pushT), flink);
      String dashboard = "http://127.0.0.1:" + restPort + "/";
      System.out.printf(
          Locale.ROOT, "  Flink job         %s, dashboard %s%n", stack.job().getJobID(), dashboard);
      stack.awaitJobReady(Duration.ofSeconds(180));
      System.out.printf(
          Locale.ROOT,
          "  job ready: a first frame became a latent after %.1f s%n",
          (System.nanoTime() - t0) / 1e9);
      if (LogFiles.bundled()) {
        System.out.println("  models run on     " + DeviceLine.from(log));
      }
      // opened after the line above: its CPU session is the demo's, not the job's
      if (pushT) {
        System.out.println(
            "  Push-T world      model "
                + model
                + ", goals: block poses within "
                + ((PushTConfig) worldSpec).successPixels()
                + " px and "
                + ((PushTConfig) worldSpec).successDegrees()
                + " degrees");
      }
      imagination = openImagination(model);
      int bad = BadRecords.publish(stack.bootstrapServers());
      System.out.printf(
          Locale.ROOT, "  injected %d bad records (they must end in %s)%n", bad, Topics.DEADLETTER);
      try (OutputObserver observer = new OutputObserver(stack.bootstrapServers());
          RobotFleet fleet =
              RobotFleet.builder()
                  .options(robotOptions(worldSpec))
                  .bootstrapServers(stack.bootstrapServers())
                  .robots(robots)
                  .streamIdPrefix("robot")
                  .fps(fps)
                  .seed(seed)
                  .goal(GoalSpec.RANDOM)
                  .world(worldSpec)
                  .build();
          LiveView live =
              livePort < 0
                  ? null
                  : LiveView.start(
                      livePort,
                      observer,
                      fleet::stats,
                      imagination,
                      Map.of("Flink dashboard", dashboard),
                      worldSpec)) {
        fleet.open();
        if (live != null) {
          System.out.println("  live view         " + live.url());
        }
        System.out.printf(
            Locale.ROOT,
            "Running %d robots at %.0f fps for %d s (ready after %.1f s)%n",
            robots,
            fps,
            duration,
            (System.nanoTime() - t0) / 1e9);
        long start = System.nanoTime();
        fleet.start(Duration.ofSeconds(duration));
        long lastFrames = 0;
        long lastPlans = 0;
        long lastT = System.nanoTime();
        // about 15 progress lines whatever the duration
        long every = Math.max(2000, duration * 1000L / 15);
        while (System.nanoTime() - start < duration * 1_000_000_000L) {
          Thread.sleep(
              Math.min(
                  every, Math.max(1, duration * 1000L - (System.nanoTime() - start) / 1_000_000)));
          if (fleet.failure() != null) {
            throw new IllegalStateException("the robots failed", fleet.failure());
          }
          long now = System.nanoTime();
          double dt = (now - lastT) / 1e9;
          long frames = observer.count(Topics.FRAMES);
          long plans = observer.count(Topics.PLANS);
          FleetStats fs = fleet.stats();
          System.out.printf(
              Locale.ROOT,
              "[%3.0fs] frames/s %6.1f  plans/s %6.1f  goals reached %d  surprise events %d  dead"
                  + " letters %d%n",
              (now - start) / 1e9,
              (frames - lastFrames) / dt,
              (plans - lastPlans) / dt,
              fs.goalsReached(),
              observer.count(Topics.SURPRISE),
              observer.count(Topics.DEADLETTER));
          lastFrames = frames;
          lastPlans = plans;
          lastT = now;
        }
        fleet.join(Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(3000); // let the last checkpoint commit the outputs
        FleetStats stats = fleet.stats();
        Map<String, Object> settings = new LinkedHashMap<>();
        if (pushT) {
          settings.put("world", PushTConfig.NAME);
          settings.put("model", model.toString());
        }
        settings.put("robots", robots);
        settings.put("fps", fps);
        settings.put("duration_s", duration);
        settings.put("violation_rate", violationRate);
        settings.put("seed", seed);
        settings.put("job_overrides", set);
        DemoReport report =
            DemoReport.build(
                stats,
                observer,
                seconds,
                settings,
                new DemoReport.Targets(minGoalSuccess, maxPlanP95Ms, minViolationsDetected, bad),
                imagination,
                worldSpec);
        report.json().put("memory", MemoryProbe.summary(stack.memoryUrl()));
        report.write(reportDir);
        System.out.println();
        report.summaryLines().forEach(System.out::println);
        System.out.println("Report: " + reportDir.resolve("report.html").toAbsolutePath().toUri());
        System.out.println("        " + reportDir.resolve("report.json").toAbsolutePath());
        if (check) {
          rc = check(report.json(), bad);
        }
      }
      System.out.println("Stopping the job, the memory store and the broker ...");
    } finally {
      if (imagination != null) {
        imagination.close();
      }
    }
    return rc;
  }

  /**
   * The robots' world: {@code --world} as the model's card agrees with it, at the card's image
   * size, with the injected violations of that world.
   *
   * @throws IllegalArgumentException when {@code --world} is not the card's world
   */
  WorldSpec worldSpec(ModelCard card) {
    String w = EvalBuilder.worldOf(card, world);
    if (w.equals(PushTConfig.NAME)) {
      return PushTConfig.builder()
          .size(card.input().width(), card.input().height())
          .violationRate(violationRate)
          .violationKinds(Violation.Kind.pushT())
          .build();
    }
    return WorldConfig.builder()
        .violationRate(violationRate)
        .violationKinds(Violation.Kind.twoRooms())
        .build();
  }

  /**
   * The job's options: {@code --set}, and the model from the world (Push-T) or {@code --model-dir}
   * where {@code --set} does not name one. Two-Rooms without {@code --model-dir} keeps the job's
   * default, the shipped model.
   */
  Map<String, String> jobOptions(Path model, boolean pushT) {
    Map<String, String> o = new LinkedHashMap<>(set);
    if (pushT || modelDir != null) {
      String dir = model.toAbsolutePath().toString();
      o.putIfAbsent(EncoderOptions.MODEL_DIR.key(), dir);
      o.putIfAbsent(PlannerOptions.MODEL_DIR.key(), dir);
    }
    return o;
  }

  /** The robots' options: Push-T goals are reached by the world's success criterion. */
  private static IngestOptions robotOptions(WorldSpec world) {
    IngestOptions defaults = IngestOptions.defaults();
    if (world instanceof PushTConfig p) {
      return defaults.toBuilder().set(IngestOptions.GOAL_TOLERANCE, p.successPixels()).build();
    }
    return defaults;
  }

  private static Imagination openImagination(Path model) {
    try {
      return Imagination.open(model);
    } catch (RuntimeException e) {
      System.out.println("  (no imagined plans: " + e.getMessage() + ")");
      return null;
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The report's figures against the thresholds; {@link Checks#TARGETS_MISSED} if any misses. */
  int check(Map<String, Object> report, int badRecords) {
    Checks c = new Checks(System.out);
    c.atLeast("goals.success_rate", Checks.at(report, "goals.success_rate"), minGoalSuccess)
        .atMost(
            "latency_ms_frame_to_plan.p95",
            Checks.at(report, "latency_ms_frame_to_plan.p95"),
            maxPlanP95Ms);
    Object injected = Checks.at(report, "surprise.violations_injected");
    Object detected = Checks.at(report, "surprise.violations_detected");
    if (injected instanceof Number i && i.doubleValue() == 0) {
      // a short run may inject none (30 s, 2 robots: about one); nothing to detect is no miss
      System.out.println("check skipped: surprise.violations_detected (no violation was injected)");
    } else {
      Double fraction =
          injected instanceof Number i && detected instanceof Number d
              ? d.doubleValue() / i.doubleValue()
              : null;
      c.atLeast("surprise.violations_detected / injected", fraction, minViolationsDetected);
    }
    return c.atLeast("dead_letters.count", Checks.at(report, "dead_letters.count"), badRecords)
        .atMost("dead_letters.count", Checks.at(report, "dead_letters.count"), badRecords)
        .exitCode();
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** {@code foresight demo fit-probe}: fits and ships the model's latent -> position probe. */
  @Command(
      name = "fit-probe",
      mixinStandardHelpOptions = true,
      description = {
        "Fits the linear probe from the model's latents to the agent's position (and, for a Push-T"
            + " model, to the block's centre of mass) on episodes of the model's simulated world"
            + " (the card's world), evaluates it on held-out episodes, writes probe.json into the"
            + " model folder and its R^2 into model-card.json (field probe; --no-card leaves the"
            + " card as it is). Run by models/recipe/fit_probe.sh."
      })
  static final class FitProbe implements Callable<Integer> {
    @Option(
        names = "--model-dir",
        description = "The model folder. Default: the shipped models/two-rooms.")
    Path modelDir;

    @Option(
        names = "--episodes",
        defaultValue = "300",
        description = "Episodes (one in five held out). Default: ${DEFAULT-VALUE}.")
    int episodes;

    @Option(
        names = "--steps",
        defaultValue = "40",
        description = "Steps per episode. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--seed", defaultValue = "11", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
        names = "--card",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "Also write the probe's summary into model-card.json (default); --no-card writes"
                + " probe.json only.")
    boolean card;

    @Override
    public Integer call() {
      LogFiles.into(Path.of("run", "logs", "fit-probe.log"), false);
      Path dir = modelDir != null ? modelDir : ModelCard.shippedDir();
      boolean pushT = EvalBuilder.worldOf(ModelCard.load(dir), null).equals(PushTConfig.NAME);
      LatentProbe p =
          pushT
              ? ProbeFit.fitPushT(dir, episodes, steps, seed)
              : ProbeFit.fit(dir, episodes, steps, seed);
      if (card) {
        ProbeFit.ship(dir, p);
      } else {
        p.write(dir);
      }
      System.out.printf(
          Locale.ROOT,
          "probe fitted: held-out R^2 %.5f (x %.5f, y %.5f), RMSE %.3f / %.3f px%s; wrote %s%s%n",
          p.r2(),
          p.r2Xy()[0],
          p.r2Xy()[1],
          p.rmsePx()[0],
          p.rmsePx()[1],
          p.block() == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; block centre R^2 %.5f (x %.5f, y %.5f), RMSE %.3f / %.3f px",
                  p.block().r2(),
                  p.block().r2Xy()[0],
                  p.block().r2Xy()[1],
                  p.block().rmsePx()[0],
                  p.block().rmsePx()[1]),
          dir.resolve(LatentProbe.FILE_NAME),
          card ? " and the card's probe field" : "");
      return 0;
    }
  }
}
