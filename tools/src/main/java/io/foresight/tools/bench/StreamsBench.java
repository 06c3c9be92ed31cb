package io.foresight.tools.bench;

import io.foresight.pipeline.JobConfig;
import io.foresight.pipeline.PipelineException;
import io.foresight.sim.robot.FleetReport;
import io.foresight.tools.demo.EmbeddedStack;
import io.foresight.tools.internal.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code foresight bench streams}: the closed loop measured as a sweep over the number of robots.
 * Starts the embedded stack once (broker and job in this JVM, the memory store in its own), then
 * for each N runs N robots in a child JVM ({@code foresight robot --stats-json}) for the duration,
 * waits for the job to drain, checks that every frame became exactly one latent and one prediction,
 * and records throughput, plan freshness, frame-to-plan latency at the robot, goals and CPU per
 * frame of each process. Each N has its own stream ids ({@code nN-robot-i}); the previous robots'
 * streams are left to idle.
 *
 * <pre>{@code
 * StreamsReport r = new StreamsBench(StreamsBench.Settings.defaults(List.of(4, 8)), System.out).run();
 * r.write(Path.of("streams.json"));
 * }</pre>
 */
public final class StreamsBench {
  /** Robots of the unreported warm-up run before the sweep. */
  static final int WARMUP_ROBOTS = 16;

  /** Seconds of each warm-up round after the first. */
  static final int WARMUP_ROUND_S = 30;

  /**
   * The JIT compiler threads of the stack JVM and the memory store count as settled at this many
   * cores or less over a warm-up round (once warm, about 0.05-0.09 remain: code run once per
   * checkpoint or metrics report keeps crossing the compile thresholds). On two cores the stack
   * (broker, Flink, Kafka clients, Avro) takes minutes of load before HotSpot's one C2 thread has
   * compiled what is hot; until then the compilers take 0.2-0.6 cores and the job runs partly in C1
   * code, so a sweep measured earlier measures the warm-up.
   */
  static final double JIT_SETTLED_CORES = 0.1;

  /** The line the robot command prints once its fleet is built and about to run. */
  static final String ROBOTS_RUNNING = "running ";

  /** The robots' progress lines, {@code [ 12s] frames/s ...} (log lines also start with '['). */
  static final java.util.regex.Pattern PROGRESS =
      java.util.regex.Pattern.compile("\\[\\s*\\d+s\\] frames/s");

  /**
   * What to run.
   *
   * @param robots the values of N, in order
   * @param durationS seconds the robots of each N run
   * @param fps frames per second per robot
   * @param warmupS seconds at the start of each N left out of the fresh-step and latency figures
   * @param goalTimeoutSteps steps before a random goal is given up (a timed-out goal is a failure)
   * @param stagger spread the robots over the frame period
   * @param phaseGroups phase groups when staggering (0 = the robots' default)
   * @param seed seed of the robots' worlds (N adds to it)
   * @param workDir scratch space, emptied first
   * @param jobOverrides job options, as {@code --set} gives them
   * @param progressIntervalS seconds between progress lines
   * @param drainQuiet how long without a new latent or prediction ends the wait after a step
   * @param drainTimeout the longest wait for the outputs after a step
   * @param modelCost whether to measure the model's own cost
   * @param stackWarmupS seconds of {@link #WARMUP_ROBOTS} robots run before the sweep and not
   *     reported (the JIT, the first checkpoints, the planner's first goals), 0 = none
   * @param stackWarmupMaxS the longest warm-up: after the first {@code stackWarmupS}, rounds of
   *     {@link #WARMUP_ROUND_S} follow until the JIT compiler threads of the stack JVM and the
   *     memory store used at most {@link #JIT_SETTLED_CORES} cores in a round, or until this many
   *     seconds have passed
   */
  public record Settings(
      List<Integer> robots,
      int durationS,
      double fps,
      double warmupS,
      int goalTimeoutSteps,
      boolean stagger,
      int phaseGroups,
      long seed,
      Path workDir,
      Map<String, String> jobOverrides,
      int progressIntervalS,
      Duration drainQuiet,
      Duration drainTimeout,
      boolean modelCost,
      int stackWarmupS,
      int stackWarmupMaxS) {

    public Settings {
      robots = List.copyOf(robots);
      jobOverrides = Map.copyOf(jobOverrides);
      Objects.requireNonNull(workDir, "workDir");
      if (robots.isEmpty() || robots.stream().anyMatch(n -> n < 1)) {
        throw new PipelineException("--robots must list numbers >= 1, got " + robots);
      }
      if (stackWarmupS < 0) {
        throw new PipelineException("--stack-warmup must be >= 0 seconds, got " + stackWarmupS);
      }
      if (stackWarmupMaxS < stackWarmupS) {
        throw new PipelineException(
            "--stack-warmup-max must be >= --stack-warmup ("
                + stackWarmupS
                + " s), got "
                + stackWarmupMaxS);
      }
      if (durationS < 1 || !(fps > 0) || warmupS < 0 || warmupS >= durationS) {
        throw new PipelineException(
            "need --duration >= 1, --fps > 0 and 0 <= --warmup < --duration; got duration "
                + durationS
                + ", fps "
                + fps
                + ", warmup "
                + warmupS);
      }
    }

    /** The defaults of the command line, for these values of N. */
    public static Settings defaults(List<Integer> robots) {
      return new Settings(
          robots,
          30,
          10,
          5,
          150,
          true,
          0,
          7,
          Path.of("run/bench-streams"),
          Map.of(),
          5,
          Duration.ofSeconds(10),
          Duration.ofSeconds(90),
          true,
          60,
          360);
    }

    /** Warm-up in steps per robot. */
    long warmupSteps() {
      return Math.round(warmupS * fps);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("robots", robots);
      m.put("duration_s", durationS);
      m.put("fps", fps);
      m.put("warmup_s", warmupS);
      m.put("goal_timeout_steps", goalTimeoutSteps);
      m.put("stagger", stagger);
      m.put("phase_groups", phaseGroups == 0 ? "auto" : phaseGroups);
      m.put("seed", seed);
      m.put("job_overrides", new java.util.TreeMap<>(jobOverrides));
      m.put("drain_quiet_s", drainQuiet.toSeconds());
      m.put("drain_timeout_s", drainTimeout.toSeconds());
      m.put("stack_warmup_s", stackWarmupS);
      m.put("stack_warmup_max_s", stackWarmupMaxS);
      m.put("stack_warmup_robots", stackWarmupS > 0 ? WARMUP_ROBOTS : 0);
      return m;
    }
  }

  private final Settings settings;
  private final PrintStream console;
  private final DeployUnderLoad deploy;
  private final CompilerCpu jit = new CompilerCpu(500);
  private volatile Process child;

  /** The thread running the sweep: the harness's, not the job's ({@link ProcessCpu#stackSplit}). */
  private volatile long harnessThread = -1;

  /** The job's configuration, for the model-cost probes. */
  private JobConfig probeJob;

  /** The last figures of {@link #probe()}: the probe after a step, the next step's before. */
  private StreamsReport.ModelCost lastProbe;

  public StreamsBench(Settings settings, PrintStream console) {
    this(settings, console, null);
  }

  /**
   * A sweep that deploys a model in the middle of each step ({@code --deploy-at}; null: none), see
   * {@link DeployUnderLoad}.
   */
  public StreamsBench(Settings settings, PrintStream console, DeployUnderLoad deploy) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.console = Objects.requireNonNull(console, "console");
    this.deploy = deploy;
    if (deploy != null) {
      deploy.check(settings.durationS());
    }
  }

  /** Runs the sweep and returns its report (the caller writes it). */
  public StreamsReport run() throws IOException, InterruptedException {
    harnessThread = Thread.currentThread().getId();
    try {
      return sweep();
    } finally {
      jit.close();
    }
  }

  private StreamsReport sweep() throws IOException, InterruptedException {
    String started = Instant.now().toString();
    Map<String, Object> machine = machine();
    JobConfig job = JobConfig.load(null, Map.of(), settings.jobOverrides());
    probeJob = job;
    StreamsReport.ModelCost cost = null;
    if (settings.modelCost()) {
      console.println("Measuring the model's own cost on one core (encoder, predictor) ...");
      cost = probe();
    }
    deleteRecursively(settings.workDir());
    Files.createDirectories(settings.workDir());
    Thread hook = new Thread(this::killChild, "bench-streams-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    List<StreamsReport.Step> steps = new ArrayList<>();
    long t0 = System.nanoTime();
    console.println("Starting the embedded stack in " + settings.workDir().toAbsolutePath());
    StreamsReport.StackWarmup warmup = null;
    try (EmbeddedStack stack = new EmbeddedStack(settings.workDir().resolve("stack"))) {
      stack.startBroker();
      stack.startMemory(List.of());
      if (deploy == null) {
        stack.startJob(settings.jobOverrides());
      } else {
        stack.startJob(settings.jobOverrides(), deploy.flinkConfiguration());
      }
      stack.awaitJobReady(Duration.ofSeconds(180));
      console.printf(
          Locale.ROOT,
          "  job ready after %.1f s: %s%n",
          (System.nanoTime() - t0) / 1e9,
          stack.bootstrapServers());
      if (settings.stackWarmupS() > 0) {
        warmup = warmUp(stack, cost);
      }
      // The model's cost is measured again next to every step (before the first, after each),
      // as the machine's speed drifts over minutes; a step's "after" is the next one's "before".
      StreamsReport.ModelCost before = cost == null ? null : probe();
      for (int n : settings.robots()) {
        StreamsReport.Step s =
            step(stack, n, "n" + n + "-robot", settings.durationS(), before, true, deploy);
        before = before == null ? null : lastProbe;
        steps.add(s);
        console.println(summary(s));
      }
      console.println("Stopping the job, the memory store and the broker ...");
    } finally {
      killChild();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running
      }
    }
    Map<String, String> processes = new LinkedHashMap<>();
    processes.put(
        "robots",
        "child JVM running 'foresight robot': the N simulated robots, their Kafka producer and"
            + " plans consumer");
    processes.put(
        "stack",
        "this JVM: the Kafka broker, the Flink MiniCluster running the job, and the bench harness"
            + " (measuring, reading the robots' output, the output check after each step) share it;"
            + " job = stack - broker - harness, split by thread");
    processes.put("memory_store", "the memory store in its own JVM");
    Map<String, Object> settingsMap = settings.toMap();
    if (deploy != null) {
      settingsMap.putAll(deploy.toMap());
    }
    return new StreamsReport(
        "foresight bench streams",
        started,
        machine,
        settingsMap,
        Knee.of(steps),
        Knee.CRITERIA,
        cost,
        processes,
        warmup,
        steps);
  }

  /** Measures the model's own cost now ({@link ModelCostProbe}), prints and keeps it. */
  private StreamsReport.ModelCost probe() {
    StreamsReport.ModelCost cost = ModelCostProbe.measure(probeJob.encoder(), probeJob.planner());
    console.printf(
        Locale.ROOT,
        "  model's own cost: encoder %.1f us/frame (batch %d), predictor %.0f us/plan (%d x %d x"
            + " %d); besides, each frame's predictions %.0f us (%d steps + 1)%n",
        cost.encoderUsPerFrame(),
        cost.encoderBatch(),
        cost.predictorUsPerPlan(),
        cost.samples(),
        cost.horizon(),
        cost.iterations(),
        cost.predictionsUsPerFrame(),
        cost.predictHorizon());
    lastProbe = cost;
    return cost;
  }

  /**
   * Runs unreported rounds of {@link #WARMUP_ROBOTS} robots: the first for {@code stackWarmupS},
   * then rounds of {@link #WARMUP_ROUND_S} while the JIT compilers of the stack and memory store
   * used more than {@link #JIT_SETTLED_CORES} cores, until {@code stackWarmupMaxS}.
   */
  private StreamsReport.StackWarmup warmUp(EmbeddedStack stack, StreamsReport.ModelCost cost)
      throws IOException, InterruptedException {
    long self = ProcessHandle.current().pid();
    long memory = stack.memoryPid();
    long t0 = System.nanoTime();
    int rounds = 0;
    Double jitCores = null;
    boolean settled = false;
    while (true) {
      int secs = rounds == 0 ? settings.stackWarmupS() : WARMUP_ROUND_S;
      console.printf(
          Locale.ROOT,
          "Warming the stack up with %d robots for %d s (round %d, not reported) ...%n",
          WARMUP_ROBOTS,
          secs,
          rounds + 1);
      double jit0 = jit.seconds(self) + jit.seconds(memory);
      long r0 = System.nanoTime();
      step(stack, WARMUP_ROBOTS, "warmup" + (rounds + 1) + "-robot", secs, cost, false, null);
      double jit1 = jit.seconds(self) + jit.seconds(memory);
      rounds++;
      double elapsedS = (System.nanoTime() - t0) / 1e9;
      if (Double.isNaN(jit0) || Double.isNaN(jit1)) {
        console.println("  (no /proc here: the JIT compiler's CPU is not known; warm-up ends)");
        break;
      }
      jitCores = round(Math.max(0, jit1 - jit0) / ((System.nanoTime() - r0) / 1e9), 3);
      settled = jitCores <= JIT_SETTLED_CORES;
      console.printf(
          Locale.ROOT,
          "  the JIT compilers of the stack and the memory store used %.2f cores in that round"
              + " (settled at %.2f or less)%n",
          jitCores,
          JIT_SETTLED_CORES);
      if (settled || elapsedS + WARMUP_ROUND_S > settings.stackWarmupMaxS()) {
        break;
      }
    }
    double seconds = round((System.nanoTime() - t0) / 1e9, 1);
    if (!settled) {
      console.printf(
          Locale.ROOT,
          "  warm-up ends after %.0f s with the JIT still compiling (--stack-warmup-max)%n",
          seconds);
    }
    return new StreamsReport.StackWarmup(
        WARMUP_ROBOTS, rounds, seconds, jitCores, settled, JIT_SETTLED_CORES);
  }

  private StreamsReport.Step step(
      EmbeddedStack stack,
      int n,
      String prefix,
      int durationS,
      StreamsReport.ModelCost before,
      boolean probeAfter,
      DeployUnderLoad deploying)
      throws IOException, InterruptedException {
    Path stats = settings.workDir().resolve(prefix + "s.json");
    Path log = settings.workDir().resolve(prefix + "s.log");
    Map<TopicPartition, Long> from = OutputCheck.endOffsets(stack.bootstrapServers());
    Map<TopicPartition, Long> plansFrom = PlanStages.endOffsets(stack.bootstrapServers());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap", stack.bootstrapServers(),
                "--stream-id", prefix,
                "--robots", Integer.toString(n),
                "--fps", Double.toString(settings.fps()),
                "--duration", Integer.toString(durationS),
                "--seed", Long.toString(settings.seed() + n),
                "--goal", "random",
                "--goal-timeout", Integer.toString(settings.goalTimeoutSteps()),
                "--warmup-steps", Long.toString(settings.warmupSteps()),
                "--phase-groups", Integer.toString(settings.phaseGroups()),
                "--progress-interval-ms", Long.toString(settings.progressIntervalS() * 1000L),
                "--stats-json", stats.toString()));
    if (!settings.stagger()) {
      args.add("--no-stagger");
    }
    console.printf(Locale.ROOT, "N=%d: %d robots (%s-0 ..) for %d s%n", n, n, prefix, durationS);
    CountDownLatch running = new CountDownLatch(1);
    Process p = ChildJvm.robots(args).redirectErrorStream(true).start();
    child = p;
    List<String> tail = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread reader = relay(p, log, n, running, tail);
    if (!running.await(120, TimeUnit.SECONDS)) {
      killChild();
      throw new PipelineException(
          "the robots (N="
              + n
              + ") did not start within 120 s; last lines: "
              + tail(tail)
              + "; log: "
              + log);
    }
    // CPU is measured over the robots' steady window (after their warm-up, before they stop), the
    // same window for every process, so that JVM start-up and JIT compilation stay out of it.
    long runningAt = System.nanoTime();
    DeployUnderLoad.Pending deployment =
        deploying == null ? null : deploying.schedule(stack.bootstrapServers(), n, runningAt);
    double windowStart = settings.warmupS();
    double windowEnd = Math.max(windowStart + 1, durationS - 1.0);
    sleepUntil(runningAt, windowStart, p);
    double[] cpu0 = cpuNow(stack, p.pid());
    long t0 = System.nanoTime();
    sleepUntil(runningAt, windowEnd, p);
    double[] cpu1 = cpuNow(stack, p.pid());
    double windowS = (System.nanoTime() - t0) / 1e9;
    if (!p.waitFor(durationS + 120L, TimeUnit.SECONDS)) {
      killChild();
      throw new PipelineException(
          "the robots (N=" + n + ") did not stop " + 120 + " s after their duration; log: " + log);
    }
    Cpu cpu =
        new Cpu(
            windowS,
            Math.round(n * settings.fps() * windowS),
            cpu1[0] - cpu0[0],
            cpu1[1] - cpu0[1],
            cpu1[2] - cpu0[2],
            cpu1[3] - cpu0[3],
            cpu1[4] - cpu0[4],
            cpu1[5] - cpu0[5],
            cpu1[6] - cpu0[6],
            cpu1[7] - cpu0[7],
            cpu1[8] - cpu0[8],
            cpu1[9] - cpu0[9],
            cpu1[10] - cpu0[10],
            cpu1[11] - cpu0[11]);
    child = null;
    reader.join(5000);
    int exit = p.exitValue();
    if (!Files.isRegularFile(stats)) {
      throw new PipelineException(
          "the robots (N="
              + n
              + ") exited with "
              + exit
              + " and wrote no "
              + stats
              + "; last lines: "
              + tail(tail));
    }
    FleetReport r = FleetReport.read(stats);
    Map<String, Long> frames = new LinkedHashMap<>();
    for (FleetReport.Robot robot : r.perRobot()) {
      frames.put(robot.streamId(), robot.framesPublished());
    }
    OutputCheck.Result check =
        OutputCheck.await(
            stack.bootstrapServers(), from, frames, settings.drainQuiet(), settings.drainTimeout());
    StreamsReport.PlanStages stages =
        PlanStages.read(
            stack.bootstrapServers(), plansFrom, frames.keySet(), settings.warmupSteps());
    StreamsReport.StepModelCost cost =
        before == null
            ? null
            : StreamsReport.StepModelCost.of(before, probeAfter ? probe() : before);
    StreamsReport.Step s = step(n, prefix, r, check, stages, cpu, cost, exit);
    if (deployment == null) {
      return s;
    }
    return s.withDeploy(
        deployment.measure(
            stack.bootstrapServers(), from, plansFrom, frames.keySet(), stack.job().getJobID()));
  }

  /**
   * CPU seconds of each process over one window of a step.
   *
   * @param seconds the window's length
   * @param frames frames the robots published in it (N x fps x seconds: they are paced)
   * @param robots the robots' child JVM
   * @param stack the stack's JVM (broker + job + harness)
   * @param broker the broker's threads of the stack's JVM
   * @param memory the memory store's JVM
   * @param machineBusy the whole machine's busy CPU seconds ({@link ProcessCpu#machine()})
   * @param machineSteal the CPU seconds the hypervisor took from the machine
   * @param machineIdle the machine's idle CPU seconds
   * @param planners the job's planner threads (part of the job)
   * @param harness the bench harness's threads of the stack's JVM
   */
  record Cpu(
      double seconds,
      long frames,
      double robots,
      double stack,
      double broker,
      double memory,
      double robotsJit,
      double stackJit,
      double memoryJit,
      double machineBusy,
      double machineSteal,
      double machineIdle,
      double planners,
      double harness) {
    double job() {
      return stack - broker - harness;
    }
  }

  /**
   * [robots, stack, broker, memory] CPU seconds now, then the JIT compiler threads' of robots,
   * stack and memory, then the machine's busy, steal and idle seconds, then the job's planner
   * threads', then the harness's.
   */
  private double[] cpuNow(EmbeddedStack stack, long robotsPid) {
    double[] split = ProcessCpu.stackSplit(harnessThread);
    double[] machine = ProcessCpu.machine();
    long self = ProcessHandle.current().pid();
    return new double[] {
      ProcessCpu.seconds(robotsPid),
      ProcessCpu.self(),
      split[0],
      ProcessCpu.seconds(stack.memoryPid()),
      jit.seconds(robotsPid),
      jit.seconds(self),
      jit.seconds(stack.memoryPid()),
      machine[0],
      machine[1],
      machine[2],
      split[2],
      split[3]
    };
  }

  /** Sleeps until {@code seconds} after {@code startNanos}, or until the process ends. */
  private static void sleepUntil(long startNanos, double seconds, Process p)
      throws InterruptedException {
    long due = startNanos + (long) (seconds * 1e9);
    long left = due - System.nanoTime();
    if (left > 0) {
      p.waitFor(left, TimeUnit.NANOSECONDS);
    }
  }

  /** One step's figures from the robots' report, the output check and the CPU measured. */
  static StreamsReport.Step step(
      int n,
      String prefix,
      FleetReport r,
      OutputCheck.Result check,
      StreamsReport.PlanStages stages,
      Cpu c,
      StreamsReport.StepModelCost cost,
      int exitCode) {
    double secs = r.seconds() > 0 ? r.seconds() : Double.NaN;
    long frames = r.framesPublished();
    FleetReport.Latency l = r.frameToPlanMs();
    long wf = c.frames();
    StreamsReport.CpuPerFrame cpu =
        new StreamsReport.CpuPerFrame(
            perFrame(c.robots(), wf),
            perFrame(c.stack(), wf),
            perFrame(c.job(), wf),
            perFrame(c.broker(), wf),
            perFrame(c.harness(), wf),
            perFrame(c.memory(), wf),
            round(c.seconds(), 2),
            round(c.robots(), 3),
            round(c.stack(), 3),
            round(c.job(), 3),
            round(c.broker(), 3),
            round(c.harness(), 3),
            round(c.memory(), 3),
            new StreamsReport.JitCpu(jit(c.robotsJit()), jit(c.stackJit()), jit(c.memoryJit())),
            new StreamsReport.MachineCores(
                cores(c.machineBusy(), c.seconds()),
                cores(c.machineSteal(), c.seconds()),
                cores(c.machineIdle(), c.seconds())));
    // The job's CPU per frame against the model work it did per frame: every frame encoded, and
    // one search per plan made (conflated frames are not searched for).
    Double vsModel = null;
    if (cost != null && frames > 0 && wf > 0 && !Double.isNaN(c.job())) {
      double modelS =
          (cost.encoderUsPerFrame() + cost.predictorUsPerPlan() * r.plansReceived() / frames) / 1e6;
      vsModel = round(c.job() / wf / modelS, 2);
    }
    StreamsReport.JobSplit split = null;
    if (cost != null && wf > 0 && !Double.isNaN(c.job()) && !Double.isNaN(c.planners())) {
      // Plans received in the window: the robots receive them at a steady rate.
      double plansInWindow = r.plansReceived() * (c.seconds() / secs);
      split = jobSplit(c.planners(), c.job() - c.planners(), plansInWindow, wf, cost);
    }
    return new StreamsReport.Step(
        n,
        prefix,
        r.seconds(),
        r.phaseGroups(),
        frames,
        round(frames / secs, 2),
        round(check.latents().distinct() / secs, 2),
        round(r.plansReceived() / secs, 2),
        r.freshStepFraction() == null ? null : round(r.freshStepFraction(), 4),
        new StreamsReport.Percentiles(l.count(), l.p50(), l.p95(), l.p99()),
        stages,
        new StreamsReport.Goals(
            r.goals().attempted(),
            r.goals().reached(),
            r.goals().active(),
            r.goals().successRate() == null ? null : round(r.goals().successRate(), 4)),
        r.plansSkipped(),
        check.latents(),
        check.predictions(),
        cpu,
        vsModel,
        split,
        cost,
        exitCode,
        null);
  }

  /** The split of {@code plannersS} and {@code restS} CPU seconds over plans and frames. */
  static StreamsReport.JobSplit jobSplit(
      double plannersS, double restS, double plans, long frames, StreamsReport.StepModelCost cost) {
    double perPlan = plans > 0 ? plannersS * 1e6 / plans : Double.NaN;
    double perFrame = restS * 1e6 / frames;
    return new StreamsReport.JobSplit(
        finite(perPlan, 1),
        finite(perPlan / cost.predictorUsPerPlan(), 2),
        finite(perFrame, 1),
        finite(perFrame / cost.encoderUsPerFrame(), 2),
        finite(perFrame - cost.encoderUsPerFrame() - cost.predictionsUsPerFrame(), 1));
  }

  /** {@code v} rounded to {@code digits}, null where it is not a finite number. */
  private static Double finite(double v, int digits) {
    return Double.isFinite(v) ? round(v, digits) : null;
  }

  /** CPU seconds over a window as cores, null where unknown. */
  private static Double cores(double cpuS, double windowS) {
    return Double.isNaN(cpuS) || !(windowS > 0) ? null : round(cpuS / windowS, 3);
  }

  private static Double perFrame(Double cpuS, long frames) {
    if (cpuS == null || Double.isNaN(cpuS) || frames == 0) {
      return null;
    }
    return round(cpuS / frames, 6);
  }

  /**
   * A JIT compiler CPU difference, null where unknown; HotSpot stops idle compiler threads and
   * their time leaves the sum, so a difference below 0 means "about none".
   */
  private static Double jit(double seconds) {
    return Double.isNaN(seconds) ? null : round(Math.max(0, seconds), 3);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  static String summary(StreamsReport.Step s) {
    StreamsReport.PlanStages st = s.planStagesMs();
    String stages =
        st == null || st.captureToEmit().count() == 0
            ? ""
            : String.format(
                Locale.ROOT,
                "%n  N=%d plans' time p50/p99 ms: capture -> world model %s/%s, queued %s/%s,"
                    + " search %s/%s; new goals' plans %s/%s",
                s.robots(),
                st.captureToWorldModel().p50(),
                st.captureToWorldModel().p99(),
                st.queued().p50(),
                st.queued().p99(),
                st.search().p50(),
                st.search().p99(),
                st.newGoalCaptureToEmit().p50(),
                st.newGoalCaptureToEmit().p99());
    return summaryLine(s) + stages + machineLine(s) + DeployUnderLoad.summary(s);
  }

  /** The machine's cores over the CPU window: steal shows a noisy host. */
  private static String machineLine(StreamsReport.Step s) {
    StreamsReport.CpuPerFrame c = s.cpuSecondsPerFrame();
    StreamsReport.MachineCores m = c == null ? null : c.machineCores();
    if (m == null || m.busy() == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%n  N=%d machine cores: busy %.2f, steal %.2f, idle %.2f; job CPU/frame %s ms, %s x the"
            + " model%s",
        s.robots(),
        m.busy(),
        m.steal(),
        m.idle(),
        c.job() == null ? "-" : String.format(Locale.ROOT, "%.3f", c.job() * 1000),
        s.cpuPerFrameVsModel() == null ? "-" : s.cpuPerFrameVsModel(),
        s.jobSplit() == null || s.jobSplit().plannersUsPerPlan() == null
            ? ""
            : String.format(
                Locale.ROOT,
                " (planner threads %.0f us/plan, %.2f x the predictor; the rest %.0f us/frame,"
                    + " %.2f x the encoder, %.0f us/frame of it outside the encoder and the"
                    + " predictions)",
                s.jobSplit().plannersUsPerPlan(),
                s.jobSplit().plannersVsPredictor(),
                s.jobSplit().restUsPerFrame(),
                s.jobSplit().restVsEncoder(),
                s.jobSplit().restOutsideModelUsPerFrame()));
  }

  private static String summaryLine(StreamsReport.Step s) {
    return String.format(
        Locale.ROOT,
        "N=%d done: frames/s %.1f  latents/s %.1f  plans/s %.1f  fresh %s  p50/p99 %s/%s ms"
            + "  goals %d/%d  latents exact %s  predictions exact %s",
        s.robots(),
        s.framesPerS(),
        s.latentsPerS(),
        s.plansPerS(),
        s.freshStepFraction(),
        s.frameToPlanMs().p50(),
        s.frameToPlanMs().p99(),
        s.goals().reached(),
        s.goals().attempted(),
        s.latentsExact().exact(),
        s.predictionsExact().exact());
  }

  /** Copies the child's output to its log; progress lines also go to the console. */
  private Thread relay(Process p, Path log, int n, CountDownLatch running, List<String> tail) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = r.readLine()) != null) {
                  w.println(line);
                  tail.add(line);
                  if (tail.size() > 20) {
                    tail.remove(0);
                  }
                  if (line.startsWith(ROBOTS_RUNNING)) {
                    running.countDown();
                  } else if (PROGRESS.matcher(line).lookingAt()) {
                    console.println("  N=" + n + " " + line);
                  }
                }
              } catch (IOException e) {
                console.println("  N=" + n + ": error reading the robots' output: " + e);
              }
            },
            "bench-robots-" + n);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void killChild() {
    Process p = child;
    if (p != null && p.isAlive()) {
      ChildJvm.stop(p, Duration.ofSeconds(15));
    }
  }

  private static String tail(List<String> lines) {
    synchronized (lines) {
      return String.join(" | ", lines);
    }
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put(
        "load_average_at_start",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return m;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
