package io.foresight.tools.cli;

import io.foresight.tools.bench.DeployUnderLoad;
import io.foresight.tools.bench.StreamsBench;
import io.foresight.tools.bench.StreamsReport;
import io.foresight.tools.internal.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code foresight bench}: the benchmark commands whose figures go into docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: encoder, planner, memory, streams (each writes --json FILE).",
    subcommands = {BenchCommand.Streams.class})
public final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** {@code foresight bench memory}: runs in the memory store's own JVM. */
  @Command(
      name = "memory",
      description = {
        "The memory store's benchmark (its own process): raw RocksDB puts vs the store's ingest,"
            + " k-NN latency and recall.",
        "Run 'foresight bench memory --help' for its options."
      })
  static final class Memory implements Callable<Integer> {
    @Parameters(arity = "0..*", hidden = true)
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return ChildJvm.runMemoryStore(List.of("bench"), params);
    }
  }

  /** {@code foresight bench streams}: the closed loop as a sweep over the number of robots. */
  @Command(
      name = "streams",
      mixinStandardHelpOptions = true,
      description = {
        "The closed loop on this machine as a sweep: starts the embedded stack once (broker and"
            + " job in this JVM, the memory store in its own), then for each N runs N simulated"
            + " robots in a child JVM ('foresight robot') with random goals, and reports"
            + " throughput, plan freshness, frame-to-plan latency at the robot, goals, whether"
            + " every frame became exactly one latent and one prediction, CPU per frame of each"
            + " process, the model's own cost, and the knee (the largest N with p99 <= 100 ms,"
            + " fresh steps >= 0.95 and goal success >= 0.95).",
        "Example: foresight bench streams --robots 8,16,32,64,128 --duration 30 --json streams.json"
      })
  static final class Streams implements Callable<Integer> {
    @Option(
        names = "--robots",
        split = ",",
        defaultValue = "8,16,32,64,128",
        description = "Values of N, in order. Default: ${DEFAULT-VALUE}.")
    List<Integer> robots;

    @Option(
        names = "--duration",
        defaultValue = "30",
        description = "Seconds the robots of each N run. Default: ${DEFAULT-VALUE}.")
    int duration;

    @Option(
        names = "--fps",
        defaultValue = "10",
        description = "Frames per second per robot. Default: ${DEFAULT-VALUE}.")
    double fps;

    @Option(
        names = "--warmup",
        defaultValue = "5",
        description =
            "Seconds at the start of each N left out of the fresh-step and latency figures."
                + " Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(
        names = "--stack-warmup",
        defaultValue = "60",
        description =
            "Seconds of 16 robots run before the sweep and not reported (the JIT compiler, the"
                + " first checkpoints and goals); rounds of 30 s follow while the stack's JIT"
                + " compiler threads still use more than 0.1 cores, up to --stack-warmup-max;"
                + " 0 = none. Default: ${DEFAULT-VALUE}.")
    int stackWarmup;

    @Option(
        names = "--stack-warmup-max",
        defaultValue = "360",
        description =
            "The longest warm-up in seconds (see --stack-warmup). Default: ${DEFAULT-VALUE}.")
    int stackWarmupMax;

    @Option(
        names = "--goal-timeout",
        defaultValue = "150",
        description =
            "Steps before a random goal is given up and counts as failed. Default:"
                + " ${DEFAULT-VALUE}.")
    int goalTimeout;

    @Option(
        names = "--stagger",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "Spread the robots over the frame period (default); --no-stagger steps them all at"
                + " once.")
    boolean stagger;

    @Option(
        names = "--phase-groups",
        defaultValue = "0",
        description = "Phase groups when staggering (0 = the robots' default). Default: 0.")
    int phaseGroups;

    @Option(
        names = "--seed",
        defaultValue = "7",
        description = "Seed of the robots' worlds (N is added). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
        names = "--work-dir",
        defaultValue = "run/bench-streams",
        description =
            "Scratch space (broker, memory, checkpoints, robot logs and stats), emptied first."
                + " Default: ${DEFAULT-VALUE}.")
    Path workDir;

    @Option(
        names = "--set",
        description = "Any job option as key=value (repeatable), e.g. --set planner.samples=64.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(
        names = "--progress-interval",
        defaultValue = "5",
        description = "Seconds between progress lines. Default: ${DEFAULT-VALUE}.")
    int progressInterval;

    @Option(
        names = "--drain-timeout",
        defaultValue = "90",
        description =
            "Longest wait, after each N, for its latents and predictions. Default:"
                + " ${DEFAULT-VALUE}.")
    int drainTimeout;

    @Option(
        names = "--skip-model-cost",
        description = "Do not measure the encoder and predictor cost.")
    boolean skipModelCost;

    @Option(names = "--json", required = true, description = "Where the report goes.")
    Path json;

    @Option(
        names = "--deploy-at",
        description =
            "Deploy a model into the running job this many seconds into each N (as `foresight"
                + " models deploy` does) and report the switch per step under `deploy`: streams"
                + " switched, old latents after the switch, publish to first plan from a new"
                + " latent, job restarts. Default: no deploy.")
    Double deployAt;

    @Option(
        names = "--deploy-model",
        description =
            "With --deploy-at: the model directory to deploy (then the job's own model at the"
                + " next N, and so on). Default: a re-export of the job's model (new sha256 and"
                + " version) per N, written under --work-dir.")
    Path deployModel;

    @Override
    public Integer call() throws Exception {
      if (deployModel != null && deployAt == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--deploy-model needs --deploy-at SECONDS");
      }
      StreamsBench.Settings s =
          new StreamsBench.Settings(
              robots,
              duration,
              fps,
              warmup,
              goalTimeout,
              stagger,
              phaseGroups,
              seed,
              workDir,
              set,
              progressInterval,
              Duration.ofSeconds(10),
              Duration.ofSeconds(drainTimeout),
              !skipModelCost,
              stackWarmup,
              Math.max(stackWarmup, stackWarmupMax));
      DeployUnderLoad deploy =
          deployAt == null
              ? null
              : new DeployUnderLoad(
                  deployModel == null ? null : deployModel.toAbsolutePath().normalize(),
                  deployAt,
                  io.foresight.pipeline.JobConfig.load(null, Map.of(), set).planner().modelDir(),
                  workDir.resolve("deploy-models").toAbsolutePath());
      StreamsReport report = new StreamsBench(s, System.out, deploy).run();
      report.write(json);
      System.out.println(
          "knee_robots: " + report.kneeRobots() + " (" + report.kneeCriteria() + ")");
      System.out.println("wrote " + json.toAbsolutePath());
      return 0;
    }
  }
}
