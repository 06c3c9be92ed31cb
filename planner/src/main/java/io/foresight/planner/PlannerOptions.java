package io.foresight.planner;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.config.Check;
import io.foresight.schemas.config.ConfigBuilder;
import io.foresight.schemas.config.ConfigOption;
import io.foresight.schemas.config.ConfigOptions;
import io.foresight.schemas.config.ConfigValues;
import io.foresight.schemas.config.OptionGroup;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed options of the planner module: the world model, the planner and its search, subgoals,
 * surprise scoring and the operator's working memory, each declared once below under a key such as
 * {@code planner.samples}.
 *
 * <p>The same keys work from the command line, a properties file ({@link #fromMap}) and the
 * environment ({@link #fromEnvironment}: {@code planner.budget} becomes {@code PLANNER_BUDGET});
 * see {@code docs/configuration.md}. Instances are immutable and serializable, so a Flink job can
 * ship them to its operators. What they describe is built elsewhere: {@link
 * WorldModel#open(PlannerOptions)}, {@link Planners#create(PlannerOptions, Dynamics)}, {@link
 * SurpriseScorer#create(PlannerOptions)}.
 *
 * <pre>{@code
 * PlannerOptions options = PlannerOptions.builder()
 *     .set(PlannerOptions.ALGORITHM, "mppi")
 *     .set(PlannerOptions.BUDGET, Duration.ofMillis(15))
 *     .build();
 * Planner planner = Planners.create(options, worldModel);
 * }</pre>
 */
public final class PlannerOptions implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The landmark graph's file name beside a model, for {@code planner.subgoals.graph=auto}. */
  public static final String GRAPH_FILE_NAME = "landmarks.bin";

  public static final ConfigOption<Optional<Path>> MODEL_DIR =
      ConfigOptions.key("planner.model.dir")
          .optionalPathType()
          .withDescription(
              "Folder with model-card.json and predictor.onnx; empty = the shipped model");
  public static final ConfigOption<String> DEVICE =
      ConfigOptions.device(
          "planner.device",
          "predictor (cpu by default: the shipped predictors are small, and a GPU costs a"
              + " host-device round trip per step; docs/planner.md)",
          "cpu");
  public static final ConfigOption<Integer> THREADS =
      ConfigOptions.key("planner.threads")
          .intType()
          .defaultValue(1)
          .checking(Check.nonNegative())
          .withDescription(
              "ONNX Runtime intra-op threads of the predictor; 0 = one per core. One keeps tail"
                  + " latency low where cores are shared (Flink runs one operator per slot)");
  public static final ConfigOption<Integer> PLAN_THREADS =
      ConfigOptions.key("planner.plan.threads")
          .intType()
          .defaultValue(0)
          .checking(Check.nonNegative())
          .withDescription(
              "Planner threads per world-model subtask, each with its own predictor session; 0 ="
                  + " the machine's cores shared out among the world-model subtasks, at least 1");
  public static final ConfigOption<Integer> PLAN_BATCH =
      ConfigOptions.key("planner.plan.batch")
          .intType()
          .defaultValue(8)
          .checking(Check.atLeast(1))
          .withDescription(
              "Most waiting plan requests (of different streams) a planner thread searches"
                  + " together, their samples in one predictor batch per step: cheaper per plan"
                  + " than one after the other (docs/planner.md); a thread takes its share of what"
                  + " waits, so idle threads split a burst; 1 = one at a time");
  public static final ConfigOption<Integer> PLAN_NICENESS =
      ConfigOptions.key("planner.plan.niceness")
          .intType()
          .defaultValue(5)
          .checking(Check.between(0, 19))
          .withDescription(
              "How much lower the planner threads' CPU priority is than the rest of the job's"
                  + " (Linux: added to their niceness, at most 19; elsewhere ignored). When the"
                  + " cores are all busy, the threads that turn every frame into a latent and a"
                  + " prediction go first and plans get sparser instead; 5 keeps them ahead of"
                  + " the embedded memory store's 10 (docs/planner.md); 0 = the same priority");
  public static final ConfigOption<Integer> MAX_BATCH =
      ConfigOptions.key("planner.max.batch")
          .intType()
          .defaultValue(1024)
          .checking(Check.atLeast(1))
          .withDescription("Largest rollout batch (buffer size)");
  public static final ConfigOption<String> ALGORITHM =
      ConfigOptions.key("planner.algorithm")
          .oneOf("cem", "mppi")
          .defaultValue("cem")
          .withDescription("The planner");
  public static final ConfigOption<Integer> HORIZON =
      ConfigOptions.key("planner.horizon")
          .intType()
          .defaultValue(5)
          .checking(Check.atLeast(1))
          .withDescription("Steps per plan");
  public static final ConfigOption<Integer> SAMPLES =
      ConfigOptions.key("planner.samples")
          .intType()
          .defaultValue(40)
          .checking(Check.atLeast(2))
          .withDescription(
              "Action sequences evaluated per iteration (40 over 4 iterations reach the goals in"
                  + " fewer steps than 64 over 3, for 5/6 of the predictor's work: docs/planner.md)");
  public static final ConfigOption<Double> SAMPLES_DECAY =
      ConfigOptions.key("planner.samples.decay")
          .doubleType()
          .defaultValue(1.0)
          .checking(Check.atLeast(1))
          .withDescription(
              "Population decay (iCEM): iteration i evaluates planner.samples / decay^i sequences"
                  + " (at least twice the CEM elites); 1 = all samples every iteration");
  public static final ConfigOption<Integer> ITERATIONS =
      ConfigOptions.key("planner.iterations")
          .intType()
          .defaultValue(4)
          .checking(Check.atLeast(1))
          .withDescription("Iterations per plan (the budget may cut them)");
  public static final ConfigOption<Integer> ACTION_REPEAT =
      ConfigOptions.key("planner.action.repeat")
          .intType()
          .defaultValue(1)
          .checking(Check.atLeast(1))
          .withDescription("Each sampled action is held this many steps");
  public static final ConfigOption<Duration> BUDGET =
      ConfigOptions.key("planner.budget")
          .durationType()
          .defaultValue(Duration.ofMillis(20))
          .checking(Check.atLeast(Duration.ofMillis(1)))
          .withDeprecatedMillisKey("planner.budget.ms")
          .withDescription("Time budget per plan");
  public static final ConfigOption<Boolean> WARM_START =
      ConfigOptions.key("planner.warm.start")
          .booleanType()
          .defaultValue(true)
          .withDescription("Seed each plan with the previous one");
  public static final ConfigOption<Long> SEED =
      ConfigOptions.key("planner.seed")
          .longType()
          .defaultValue(42L)
          .checking(Check.nonNegative())
          .withDescription("Seed of the sampler");
  public static final ConfigOption<Cost.Norm> COST_NORM =
      ConfigOptions.key("planner.cost.norm")
          .type(io.foresight.schemas.config.ValueType.enumType(Cost.Norm.class, Enum::name))
          .defaultValue(Cost.Norm.L2)
          .withDescription("Distance of a predicted latent to the goal");
  public static final ConfigOption<Cost.Aggregation> COST_AGGREGATION =
      ConfigOptions.key("planner.cost.aggregation")
          .type(io.foresight.schemas.config.ValueType.enumType(Cost.Aggregation.class, Enum::name))
          .defaultValue(Cost.Aggregation.SUM)
          .withDescription("Cost at the end of the horizon or summed over it");
  public static final ConfigOption<Integer> CEM_ELITES =
      ConfigOptions.key("planner.cem.elites")
          .intType()
          .defaultValue(0)
          .checking(Check.nonNegative())
          .withDescription("CEM elites; 0 = a tenth of the samples");
  public static final ConfigOption<Float> CEM_MOMENTUM =
      number("planner.cem.momentum", 0.1f, "CEM weight of the old distribution");
  public static final ConfigOption<Float> CEM_INITIAL_STD =
      number("planner.cem.initial.std", 0.5f, "CEM start std, fraction of action range");
  public static final ConfigOption<Float> CEM_MIN_STD =
      number("planner.cem.min.std", 0.05f, "CEM smallest std, in action units");
  public static final ConfigOption<Float> MPPI_TEMPERATURE =
      number("planner.mppi.temperature", 0.1f, "MPPI temperature, relative to cost spread");
  public static final ConfigOption<Float> MPPI_NOISE =
      number("planner.mppi.noise", 0.3f, "MPPI noise std, fraction of action range");
  public static final ConfigOption<String> SUBGOALS_GRAPH =
      ConfigOptions.key("planner.subgoals.graph")
          .type(io.foresight.schemas.config.ValueType.STRING.named("path|auto|none"))
          .defaultValue("auto")
          .withDescription(
              "Landmark graph file (LandmarkGraph.save) to plan through; auto = landmarks.bin in"
                  + " the model folder when there is one; none = plan straight to the goal");
  public static final ConfigOption<Float> SUBGOALS_REACH =
      number(
          "planner.subgoals.reach",
          3f,
          "How far ahead along the graph path the next waypoint lies, in median steps");
  public static final ConfigOption<Float> SUBGOALS_ATTACH =
      number(
          "planner.subgoals.attach",
          1.5f,
          "How close a graph node must be to the current latent to enter the graph, in median"
              + " steps");
  public static final ConfigOption<Boolean> SUBGOALS_CHECK =
      ConfigOptions.key("planner.subgoals.check")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Check each waypoint with the world model and route around those it cannot"
                  + " approach");
  public static final ConfigOption<Float> SUBGOALS_PROGRESS =
      number(
          "planner.subgoals.progress",
          0.8f,
          "A waypoint counts as approachable when the plan brings the latent within this"
              + " fraction of its distance");
  public static final ConfigOption<Integer> PREDICT_HORIZON =
      ConfigOptions.key("planner.predict.horizon")
          .intType()
          .defaultValue(5)
          .checking(Check.atLeast(1))
          .withDescription("Each latent gets predictions 1..this many steps ahead");
  public static final ConfigOption<Integer> PREDICT_BATCH =
      ConfigOptions.key("planner.predict.batch")
          .intType()
          .defaultValue(16)
          .checking(Check.atLeast(1))
          .withDescription(
              "Latents of different streams whose predictions run in one predictor call (one"
                  + " batched rollout instead of one per latent), when planner.predict.linger is"
                  + " above 0 (it is 0 by default, and then this has no effect); 1 = each latent's"
                  + " at once");
  public static final ConfigOption<Duration> PREDICT_LINGER =
      ConfigOptions.key("planner.predict.linger")
          .durationType()
          .defaultValue(Duration.ZERO)
          .checking(Check.nonNegativeDuration())
          .withDescription(
              "How long a latent's prediction may wait for others to fill planner.predict.batch"
                  + " (0 = at once, the default: on the 2-core build machine waiting saved no job"
                  + " CPU and raised the frame-to-plan tail, docs/benchmarks.md Session 16). Only"
                  + " the prediction records wait: surprise, plans and the stream's next input"
                  + " never do, and an exactly-once sink shows predictions at the next checkpoint"
                  + " anyway");
  public static final ConfigOption<Integer> RECENT_LATENTS =
      ConfigOptions.key("planner.recent.latents")
          .intType()
          .defaultValue(4)
          .checking(Check.atLeast(1))
          .withDescription("Latents kept per stream in working memory");
  public static final ConfigOption<Double> SURPRISE_THRESHOLD =
      ConfigOptions.key("planner.surprise.threshold")
          .doubleType()
          .defaultValue(4.0)
          .checking(Check.nonNegative())
          .withDescription(
              "Surprise event above this many running standard deviations of the stream's"
                  + " log-distance between predicted and encoded latent");
  public static final ConfigOption<Long> SURPRISE_WARMUP =
      ConfigOptions.key("planner.surprise.warmup")
          .longType()
          .defaultValue(20L)
          .checking(Check.atLeast(1))
          .withDescription("Frames per stream before surprise can fire");
  public static final ConfigOption<Double> SURPRISE_ALPHA =
      ConfigOptions.key("planner.surprise.alpha")
          .doubleType()
          .defaultValue(0.01)
          .checking(Check.nonNegative())
          .withDescription("Weight of a new score in a stream's running surprise statistics");
  public static final ConfigOption<Double> SURPRISE_CLAMP =
      ConfigOptions.key("planner.surprise.clamp")
          .doubleType()
          .defaultValue(2.5)
          .checking(Check.nonNegative())
          .withDescription(
              "Scores beyond this many standard deviations enter a stream's running surprise"
                  + " statistics as if they were at it, so violations do not inflate the spread");
  public static final ConfigOption<Duration> GOAL_WAIT =
      ConfigOptions.key("planner.goal.wait")
          .durationType()
          .defaultValue(Duration.ofMillis(150))
          .checking(Check.nonNegativeDuration())
          .withDescription(
              "A new goal is planned for on the stream's next latent when one is due (within"
                  + " 1.5 of the stream's frame intervals since its newest latent arrived), at"
                  + " most this long after the goal; otherwise, and with 0, at once on the newest"
                  + " latent. Saves a plan from an observation one frame old that the next frame"
                  + " would replace");
  public static final ConfigOption<Duration> PLAN_STALE =
      ConfigOptions.key("planner.plan.stale")
          .durationType()
          .defaultValue(Duration.ofMillis(30))
          .checking(Check.nonNegativeDuration())
          .withDescription(
              "Plan requests are served in turn, except that one which has waited longer than"
                  + " this yields to the first fresher request of another stream (it keeps its"
                  + " turn, and its stream's next latent replaces it); when all are older, the"
                  + " most recent goes first. Under overload the planner threads so go to recent"
                  + " latents. 0 = strict turns");
  public static final ConfigOption<Duration> IDLE_TIMEOUT =
      ConfigOptions.key("planner.idle.timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .checking(Check.atLeast(Duration.ofMillis(1)))
          .withDeprecatedMillisKey("planner.idle.timeout.ms")
          .withDescription("A stream's working memory is cleared after this long without input");

  /** Every option of this module, in documentation order. */
  public static final OptionGroup<PlannerOptions> GROUP =
      OptionGroup.builder("planner", PlannerOptions::new)
          .title("Planner and world model (`planner.*`)")
          .description(
              "Predictor rollouts, CEM/MPPI, subgoals, surprise scoring and the keyed world-model"
                  + " operator.")
          .prefixes("planner.")
          .options(
              MODEL_DIR,
              DEVICE,
              THREADS,
              PLAN_THREADS,
              PLAN_BATCH,
              PLAN_NICENESS,
              MAX_BATCH,
              ALGORITHM,
              HORIZON,
              SAMPLES,
              SAMPLES_DECAY,
              ITERATIONS,
              ACTION_REPEAT,
              BUDGET,
              WARM_START,
              SEED,
              COST_NORM,
              COST_AGGREGATION,
              CEM_ELITES,
              CEM_MOMENTUM,
              CEM_INITIAL_STD,
              CEM_MIN_STD,
              MPPI_TEMPERATURE,
              MPPI_NOISE,
              SUBGOALS_GRAPH,
              SUBGOALS_REACH,
              SUBGOALS_ATTACH,
              SUBGOALS_CHECK,
              SUBGOALS_PROGRESS,
              PREDICT_HORIZON,
              PREDICT_BATCH,
              PREDICT_LINGER,
              RECENT_LATENTS,
              SURPRISE_THRESHOLD,
              SURPRISE_WARMUP,
              SURPRISE_ALPHA,
              SURPRISE_CLAMP,
              GOAL_WAIT,
              PLAN_STALE,
              IDLE_TIMEOUT)
          .errors(PlannerException::new)
          .build();

  private final ConfigValues values;

  private PlannerOptions(ConfigValues values) {
    this.values = values;
  }

  private static ConfigOption<Float> number(String key, float def, String description) {
    return ConfigOptions.key(key)
        .floatType()
        .defaultValue(def)
        .checking(Check.nonNegative())
        .withDescription(description);
  }

  /** Every option of this module, in documentation order. */
  public static List<ConfigOption<?>> keys() {
    return GROUP.options();
  }

  /** The defaults. */
  public static PlannerOptions defaults() {
    return GROUP.defaults();
  }

  /** A builder with every option at its default. */
  public static ConfigBuilder<PlannerOptions> builder() {
    return GROUP.builder();
  }

  /** A builder holding this instance's values. */
  public ConfigBuilder<PlannerOptions> toBuilder() {
    return GROUP.builder(values);
  }

  /**
   * Options from {@code planner.*} keys (a properties file, a Flink configuration). Keys outside
   * {@code planner.} are ignored; an unknown {@code planner.} key or a bad value is an error that
   * names the key.
   */
  public static PlannerOptions fromMap(Map<String, String> map) {
    return GROUP.fromMap(map);
  }

  /** Options from environment variables such as {@code PLANNER_SAMPLES}; others are ignored. */
  public static PlannerOptions fromEnvironment(Map<String, String> env) {
    return GROUP.fromEnvironment(env);
  }

  /** The value of an option. */
  public <T> T get(ConfigOption<T> option) {
    return values.get(option);
  }

  /** Every option as key -> text, the form {@link #fromMap} reads. */
  public Map<String, String> toMap() {
    return values.asMap();
  }

  /** The model folder: the option, or the shipped model when it is empty. */
  public Path modelDir() {
    return get(MODEL_DIR).orElseGet(ModelCard::shippedDir);
  }

  /** True when {@code planner.subgoals.graph} is {@code auto}. */
  public boolean subgoalsGraphAuto() {
    return get(SUBGOALS_GRAPH).equalsIgnoreCase("auto");
  }

  /** The landmark graph file, when subgoals are on (see {@link #SUBGOALS_GRAPH}). */
  public Optional<Path> subgoalsGraph() {
    String g = get(SUBGOALS_GRAPH);
    if (g.isEmpty() || g.equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    if (subgoalsGraphAuto()) {
      Path beside = modelDir().resolve(GRAPH_FILE_NAME);
      return Files.isRegularFile(beside) ? Optional.of(beside) : Optional.empty();
    }
    return Optional.of(Path.of(g));
  }

  /** The cost of the options. */
  public Cost cost() {
    return new Cost(get(COST_NORM), get(COST_AGGREGATION));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlannerOptions other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "PlannerOptions" + values;
  }
}
