package io.foresight.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.ingest.JsonReports;
import io.foresight.pipeline.PipelineException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The JSON written by {@code foresight bench streams}: the settings, the model's own cost as the
 * limit, one {@link Step} per number of robots, and the knee. Keys are the snake_case of the record
 * components.
 *
 * @param benchmark always {@code foresight bench streams}
 * @param time when the sweep started (ISO-8601)
 * @param machine cores, Java version, OS
 * @param settings the sweep's settings and the job overrides
 * @param kneeRobots the largest N that met {@link Knee#P99_LIMIT_MS}, {@link Knee#MIN_FRESH} and
 *     {@link Knee#MIN_SUCCESS} (null if none did)
 * @param kneeCriteria the criteria, in words
 * @param modelCost the encoder and predictor cost measured in this run
 * @param processes which process each CPU figure is, and what shares a JVM
 * @param stackWarmup how the stack was warmed up before the sweep (null when it was not)
 * @param steps one entry per N, in the order run
 */
public record StreamsReport(
    String benchmark,
    String time,
    Map<String, Object> machine,
    Map<String, Object> settings,
    Integer kneeRobots,
    String kneeCriteria,
    ModelCost modelCost,
    Map<String, String> processes,
    StackWarmup stackWarmup,
    List<Step> steps) {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  public StreamsReport {
    steps = List.copyOf(steps);
  }

  /**
   * The unreported warm-up before the sweep: rounds of robots until the stack JVM's JIT compiler
   * threads (and the memory store's) have settled or the longest warm-up has passed.
   *
   * @param robots robots per round
   * @param rounds rounds run
   * @param seconds wall time of the whole warm-up
   * @param jitCoresLastRound the JIT compiler threads' CPU of the stack JVM and the memory store in
   *     the last round, in cores
   * @param settled whether that is at most {@code jitSettledCores}
   * @param jitSettledCores the threshold
   */
  public record StackWarmup(
      int robots,
      int rounds,
      double seconds,
      Double jitCoresLastRound,
      boolean settled,
      double jitSettledCores) {}

  /**
   * The model's own cost, measured on one core in this run: at the top of the report before the
   * stack starts; each step has its own ({@link StepModelCost}).
   *
   * @param encoderModel the encoder's model directory
   * @param encoderBatch batch size of the encoder measurement
   * @param encoderUsPerFrame encoder, microseconds per frame (one thread)
   * @param plannerAlgorithm the job's planner algorithm
   * @param samples sequences of the first iteration (later ones fewer under population decay)
   * @param horizon steps per rollout
   * @param iterations iterations per plan
   * @param predictorSteps predictor steps per plan: the sequences of every iteration x horizon
   * @param predictorUsPerPlan {@code iterations} batched rollouts of each iteration's sequences
   *     over {@code horizon} steps, microseconds of the measuring thread's CPU (one thread)
   * @param predictHorizon steps of each latent's prediction ({@code planner.predict.horizon})
   * @param predictionsUsPerFrame the predictor's work the job does for every frame besides the
   *     plans: the latent's prediction (a rollout of one sequence over {@code predictHorizon}
   *     steps) and the one-step prediction from the executed action that the next latent's surprise
   *     is scored against; microseconds of the measuring thread's CPU. Not part of {@code
   *     modelUsPerFrame}, the limit the job is held to; reported to split the job's rest
   * @param modelUsPerFrame encoder + predictor per frame that gets a plan
   */
  public record ModelCost(
      String encoderModel,
      int encoderBatch,
      double encoderUsPerFrame,
      String plannerAlgorithm,
      int samples,
      int horizon,
      int iterations,
      long predictorSteps,
      double predictorUsPerPlan,
      int predictHorizon,
      double predictionsUsPerFrame,
      double modelUsPerFrame) {}

  /**
   * The model's own cost measured next to one step: in the stack's JVM with the stack idle, right
   * before the step's robots start and right after the step's output check. The step's {@code
   * cpu_per_frame_vs_model} divides by the means. The machine's speed drifts over minutes here (the
   * same probe read 420 and 790 us per plan ten minutes apart on one day), so a ratio against a
   * probe taken minutes before the step measures the drift as much as the job.
   *
   * @param encoderUsBefore encoder, microseconds per frame, before the step
   * @param encoderUsAfter encoder, microseconds per frame, after the step
   * @param predictorUsBefore predictor, microseconds per plan, before the step
   * @param predictorUsAfter predictor, microseconds per plan, after the step
   * @param encoderUsPerFrame the mean of the two encoder figures
   * @param predictorUsPerPlan the mean of the two predictor figures
   * @param predictionsUsPerFrame the mean of the two probes' {@link
   *     ModelCost#predictionsUsPerFrame}
   */
  public record StepModelCost(
      double encoderUsBefore,
      double encoderUsAfter,
      double predictorUsBefore,
      double predictorUsAfter,
      double encoderUsPerFrame,
      double predictorUsPerPlan,
      double predictionsUsPerFrame) {

    /** The figures of two probes, {@code before} and {@code after} the step. */
    public static StepModelCost of(ModelCost before, ModelCost after) {
      return new StepModelCost(
          before.encoderUsPerFrame(),
          after.encoderUsPerFrame(),
          before.predictorUsPerPlan(),
          after.predictorUsPerPlan(),
          mean(before.encoderUsPerFrame(), after.encoderUsPerFrame()),
          mean(before.predictorUsPerPlan(), after.predictorUsPerPlan()),
          mean(before.predictionsUsPerFrame(), after.predictionsUsPerFrame()));
    }

    /** The mean of two figures, to two decimals as the probe gives them. */
    private static double mean(double a, double b) {
      return Math.round((a + b) / 2 * 100) / 100.0;
    }
  }

  /**
   * Where the job's CPU goes against the model's cost, over the step's CPU window: its planner
   * threads (the searches: the predictor's rollouts and the Java around them) per plan against the
   * predictor's own cost per plan, and the rest of the job (the encoder, the predictions, Flink,
   * the Kafka clients, state, GC and JIT) per frame against the encoder's own cost per frame.
   *
   * @param plannersUsPerPlan the planner threads' CPU microseconds per plan received (null without
   *     plans)
   * @param plannersVsPredictor that / {@code predictor_us_per_plan}
   * @param restUsPerFrame the rest of the job's CPU microseconds per frame
   * @param restVsEncoder that / {@code encoder_us_per_frame}
   * @param restOutsideModelUsPerFrame the rest less the model work it holds as the probes measure
   *     it ({@code encoder_us_per_frame} and {@code predictions_us_per_frame}): Flink, the Kafka
   *     clients, Avro, state, GC, JIT and the Java around the encoder and the predictions, per
   *     frame
   */
  public record JobSplit(
      Double plannersUsPerPlan,
      Double plannersVsPredictor,
      Double restUsPerFrame,
      Double restVsEncoder,
      Double restOutsideModelUsPerFrame) {}

  /**
   * Latency percentiles in milliseconds (null without samples).
   *
   * @param count plans measured
   */
  public record Percentiles(long count, Double p50, Double p95, Double p99) {}

  /**
   * Goals of one step.
   *
   * @param attempted goals that ended (reached or timed out)
   * @param reached goals reached
   * @param active goals still active at the end (not counted as attempted)
   * @param successRate reached / attempted (null when none ended)
   */
  /**
   * Where the plans' time went, measured from the plans on {@code foresight.plans} (milliseconds;
   * {@link PlanStages}).
   *
   * @param captureToWorldModel the frame's capture until the world model took its latent
   * @param queued the plan request's wait for a planner thread
   * @param search the search itself
   * @param captureToEmit the frame's capture until the world model emitted the plan (the sum)
   * @param newGoalCaptureToEmit the same, for plans that are a stream's first for a new goal
   */
  public record PlanStages(
      Percentiles captureToWorldModel,
      Percentiles queued,
      Percentiles search,
      Percentiles captureToEmit,
      Percentiles newGoalCaptureToEmit) {}

  public record Goals(long attempted, long reached, long active, Double successRate) {}

  /**
   * Exactly-once check of one output topic for one step's streams: every frame published must have
   * exactly one record (stream, sequence).
   *
   * @param topic the topic read (read_committed)
   * @param expected frames published
   * @param distinct distinct (stream, sequence) found among the expected
   * @param duplicates records beyond the first for a (stream, sequence)
   * @param missing frames published with no record
   * @param unexpected records for a sequence the robots did not publish
   * @param exact distinct == expected, no duplicates, none unexpected
   */
  public record Exactness(
      String topic,
      long expected,
      long distinct,
      long duplicates,
      long missing,
      long unexpected,
      boolean exact) {}

  /**
   * CPU seconds per frame published, by process, over one window of the step: from the end of the
   * robots' warm-up to a second before they stop (JVM start-up and JIT warm-up stay out of it).
   *
   * @param robots the robots' child JVM
   * @param stack this JVM (broker, job, bench harness)
   * @param job the stack's JVM less the broker's and the harness's threads
   * @param broker the embedded broker's threads of the stack's JVM
   * @param harness the bench harness's threads of the stack's JVM (measuring CPU, reading the
   *     robots' output): not the job's
   * @param memoryStore the memory store's JVM
   * @param windowS the window's length
   * @param robotsCpuS the robots' CPU seconds in the window (and so on for the others)
   * @param jitCpuS the JIT compiler threads' part of each JVM's CPU in the window
   * @param machineCores the whole machine over the same window, in cores
   */
  public record CpuPerFrame(
      Double robots,
      Double stack,
      Double job,
      Double broker,
      Double harness,
      Double memoryStore,
      Double windowS,
      Double robotsCpuS,
      Double stackCpuS,
      Double jobCpuS,
      Double brokerCpuS,
      Double harnessCpuS,
      Double memoryStoreCpuS,
      JitCpu jitCpuS,
      MachineCores machineCores) {}

  /**
   * The whole machine over a step's CPU window, in cores (CPU seconds / window, from {@code
   * /proc/stat}): busy (every process, ours and any other), steal (CPU time the hypervisor gave the
   * machine's virtual CPUs to other guests: a shared host's noise, which no process here sees as
   * its own CPU but every latency does) and idle; null where {@code /proc/stat} is not readable.
   */
  public record MachineCores(Double busy, Double steal, Double idle) {}

  /**
   * CPU seconds of each JVM's JIT compiler threads in the same window (part of the CPU above): a
   * JVM still compiling is not at its steady state yet, and on two cores its compiler threads take
   * CPU from everything else.
   */
  public record JitCpu(Double robots, Double stack, Double memoryStore) {}

  /**
   * One step of the sweep: N robots for the duration.
   *
   * @param robots N
   * @param streamPrefix the stream id prefix of this step ({@code nN-robot})
   * @param seconds the robots' run time
   * @param phaseGroups phase groups the robots stepped in
   * @param frames frames published
   * @param framesPerS frames published per second
   * @param latentsPerS distinct latents of this step's frames per second of run time
   * @param plansPerS plans received by the robots per second
   * @param freshStepFraction steps on a plan within the lag limit / all steps, after the warm-up
   * @param frameToPlanMs plan received at the robot minus its frame's capture time
   * @param planStagesMs where the plans' time went, from the plans (null if not read)
   * @param goals goals attempted, reached, success rate
   * @param plansSkipped sum of {@code stats.skipped} over the plans received
   * @param latentsExact exactly-once check of {@code foresight.latents}
   * @param predictionsExact exactly-once check of {@code foresight.predictions}
   * @param cpuSecondsPerFrame CPU seconds per frame published, of each process
   * @param cpuPerFrameVsModel the job's CPU per frame / the model's cost per frame, from {@code
   *     modelCost}
   * @param jobSplit the job's CPU split into its planner threads per plan and the rest per frame,
   *     each against its part of the model's cost (null without a model cost)
   * @param modelCost the model's own cost measured before and after this step (null with {@code
   *     --skip-model-cost})
   * @param robotExitCode the robots process's exit code
   * @param deploy the model deployed in the middle of the step ({@code --deploy-at}; null, left out
   *     of the JSON, without)
   */
  public record Step(
      int robots,
      String streamPrefix,
      double seconds,
      int phaseGroups,
      long frames,
      double framesPerS,
      double latentsPerS,
      double plansPerS,
      Double freshStepFraction,
      Percentiles frameToPlanMs,
      PlanStages planStagesMs,
      Goals goals,
      long plansSkipped,
      Exactness latentsExact,
      Exactness predictionsExact,
      CpuPerFrame cpuSecondsPerFrame,
      Double cpuPerFrameVsModel,
      JobSplit jobSplit,
      StepModelCost modelCost,
      int robotExitCode,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          DeployFigures deploy) {

    /** This step with the figures of the model deployed in it. */
    public Step withDeploy(DeployFigures d) {
      return new Step(
          robots,
          streamPrefix,
          seconds,
          phaseGroups,
          frames,
          framesPerS,
          latentsPerS,
          plansPerS,
          freshStepFraction,
          frameToPlanMs,
          planStagesMs,
          goals,
          plansSkipped,
          latentsExact,
          predictionsExact,
          cpuSecondsPerFrame,
          cpuPerFrameVsModel,
          jobSplit,
          modelCost,
          robotExitCode,
          d);
    }
  }

  /** Writes the report. */
  public void write(Path file) {
    JsonReports.write(JSON, this, file, "the bench report", PipelineException::new);
  }

  /** The report as JSON text. */
  public String toJson() {
    return JsonReports.text(JSON, this, "the bench report", PipelineException::new);
  }
}
