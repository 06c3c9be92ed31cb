package io.foresight.planner;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.config.ConfigKey;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The typed options of the planner module: the world model, the planner and its search, subgoals,
 * surprise scoring and the operator's working memory, each under a key such as {@code
 * planner.samples}.
 *
 * <p>The same keys work from the command line, a properties file ({@link #fromMap}) and the
 * environment ({@link #fromEnvironment}: {@code planner.budget.ms} becomes {@code
 * PLANNER_BUDGET_MS}); every key is a {@link ConfigKey}, as in the other modules. Instances are
 * immutable and serializable, so a Flink job can ship them to its operators.
 *
 * <pre>{@code
 * PlannerOptions options = PlannerOptions.builder()
 *     .set(PlannerOptions.ALGORITHM, "mppi")
 *     .set(PlannerOptions.BUDGET_MS, "15")
 *     .build();
 * Planner planner = options.newPlanner(worldModel);
 * }</pre>
 */
public final class PlannerOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final List<ConfigKey> KEYS = new ArrayList<>();

  public static final ConfigKey MODEL_DIR =
      key(
          "planner.model.dir",
          "path",
          "",
          "Folder with model-card.json and predictor.onnx; empty = the shipped model");
  public static final ConfigKey DEVICE =
      key(
          "planner.device",
          "auto|cpu|cuda|cuda:N",
          "cpu",
          "Execution provider of the predictor; auto falls back to the CPU, cuda:N fails without CUDA");
  public static final ConfigKey THREADS =
      key(
          "planner.threads",
          "int",
          "1",
          "ONNX Runtime intra-op threads of the predictor; 0 = one per core. One keeps tail"
              + " latency low where cores are shared (Flink runs one operator per slot)");
  public static final ConfigKey PLAN_THREADS =
      key(
          "planner.plan.threads",
          "int",
          "0",
          "Planner threads per world-model subtask, each with its own predictor session; 0 = the"
              + " machine's cores shared out among the world-model subtasks, at least 1");
  public static final ConfigKey MAX_BATCH =
      key("planner.max.batch", "int", "1024", "Largest rollout batch (buffer size)");
  public static final ConfigKey ALGORITHM =
      key("planner.algorithm", "cem|mppi", "cem", "The planner");
  public static final ConfigKey HORIZON = key("planner.horizon", "int", "5", "Steps per plan");
  public static final ConfigKey SAMPLES =
      key(
          "planner.samples",
          "int",
          "64",
          "Action sequences evaluated per iteration (64 reaches the goals 128 does at half the"
              + " cost: docs/planner.md)");
  public static final ConfigKey ITERATIONS =
      key("planner.iterations", "int", "3", "Iterations per plan (the budget may cut them)");
  public static final ConfigKey ACTION_REPEAT =
      key("planner.action.repeat", "int", "1", "Each sampled action is held this many steps");
  public static final ConfigKey BUDGET_MS =
      key("planner.budget.ms", "long", "20", "Time budget per plan in milliseconds");
  public static final ConfigKey WARM_START =
      key("planner.warm.start", "boolean", "true", "Seed each plan with the previous one");
  public static final ConfigKey SEED = key("planner.seed", "long", "42", "Seed of the sampler");
  public static final ConfigKey COST_NORM =
      key("planner.cost.norm", "L1|L2", "L2", "Distance of a predicted latent to the goal");
  public static final ConfigKey COST_AGGREGATION =
      key(
          "planner.cost.aggregation",
          "TERMINAL|SUM",
          "SUM",
          "Cost at the end of the horizon or summed over it");
  public static final ConfigKey CEM_ELITES =
      key("planner.cem.elites", "int", "0", "CEM elites; 0 = a tenth of the samples");
  public static final ConfigKey CEM_MOMENTUM =
      key("planner.cem.momentum", "float", "0.1", "CEM weight of the old distribution");
  public static final ConfigKey CEM_INITIAL_STD =
      key("planner.cem.initial.std", "float", "0.5", "CEM start std, fraction of action range");
  public static final ConfigKey CEM_MIN_STD =
      key("planner.cem.min.std", "float", "0.05", "CEM smallest std, in action units");
  public static final ConfigKey MPPI_TEMPERATURE =
      key("planner.mppi.temperature", "float", "0.1", "MPPI temperature, relative to cost spread");
  public static final ConfigKey MPPI_NOISE =
      key("planner.mppi.noise", "float", "0.3", "MPPI noise std, fraction of action range");
  public static final ConfigKey SUBGOALS_GRAPH =
      key(
          "planner.subgoals.graph",
          "path|auto|none",
          "auto",
          "Landmark graph file (LandmarkGraph.save) to plan through; auto = landmarks.bin in the"
              + " model folder when there is one; none = plan straight to the goal");
  public static final ConfigKey SUBGOALS_REACH =
      key(
          "planner.subgoals.reach",
          "float",
          "3",
          "How far ahead along the graph path the next waypoint lies, in median steps");
  public static final ConfigKey SUBGOALS_ATTACH =
      key(
          "planner.subgoals.attach",
          "float",
          "1.5",
          "How close a graph node must be to the current latent to enter the graph, in median"
              + " steps");
  public static final ConfigKey SUBGOALS_CHECK =
      key(
          "planner.subgoals.check",
          "boolean",
          "true",
          "Check each waypoint with the world model and route around those it cannot approach");
  public static final ConfigKey SUBGOALS_PROGRESS =
      key(
          "planner.subgoals.progress",
          "float",
          "0.8",
          "A waypoint counts as approachable when the plan brings the latent within this"
              + " fraction of its distance");
  public static final ConfigKey PREDICT_HORIZON =
      key(
          "planner.predict.horizon",
          "int",
          "5",
          "Each latent gets predictions 1..this many steps ahead");
  public static final ConfigKey RECENT_LATENTS =
      key("planner.recent.latents", "int", "4", "Latents kept per stream in working memory");
  public static final ConfigKey SURPRISE_THRESHOLD =
      key(
          "planner.surprise.threshold",
          "double",
          "4",
          "Surprise event above this many running standard deviations of the stream's"
              + " log-distance between predicted and encoded latent");
  public static final ConfigKey SURPRISE_WARMUP =
      key("planner.surprise.warmup", "long", "20", "Frames per stream before surprise can fire");
  public static final ConfigKey SURPRISE_ALPHA =
      key(
          "planner.surprise.alpha",
          "double",
          "0.01",
          "Weight of a new score in a stream's running surprise statistics");
  public static final ConfigKey SURPRISE_CLAMP =
      key(
          "planner.surprise.clamp",
          "double",
          "2.5",
          "Scores beyond this many standard deviations enter a stream's running surprise"
              + " statistics as if they were at it, so violations do not inflate the spread");
  public static final ConfigKey IDLE_TIMEOUT_MS =
      key(
          "planner.idle.timeout.ms",
          "long",
          "600000",
          "A stream's working memory is cleared after this long without input");

  /** The landmark graph's file name beside a model, for {@code planner.subgoals.graph=auto}. */
  public static final String GRAPH_FILE_NAME = "landmarks.bin";

  private final Map<String, String> values;

  private PlannerOptions(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  private static ConfigKey key(String name, String type, String def, String description) {
    ConfigKey k = new ConfigKey(name, type, def, description);
    KEYS.add(k);
    return k;
  }

  /** Every option of this module, in documentation order. */
  public static List<ConfigKey> keys() {
    return List.copyOf(KEYS);
  }

  /** The defaults. */
  public static PlannerOptions defaults() {
    return builder().build();
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder(Map.of());
  }

  /** A builder holding this instance's values. */
  public Builder toBuilder() {
    return new Builder(values);
  }

  /**
   * Options from {@code planner.*} keys (a properties file, {@code -D} flags, a Flink
   * configuration). Keys outside {@code planner.} are ignored; an unknown {@code planner.} key or a
   * bad value is an error that names the key.
   */
  public static PlannerOptions fromMap(Map<String, String> map) {
    Builder b = builder();
    map.forEach(
        (k, v) -> {
          if (k.startsWith("planner.")) {
            b.set(find(k), v);
          }
        });
    return b.build();
  }

  /** Options from environment variables such as {@code PLANNER_SAMPLES}; others are ignored. */
  public static PlannerOptions fromEnvironment(Map<String, String> env) {
    return fromMap(ConfigKey.fromEnvironment(KEYS, env));
  }

  /** Every option as key -> text, the form {@link #fromMap} reads. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (ConfigKey k : KEYS) {
      m.put(k.name(), text(k));
    }
    return m;
  }

  /** The text value of an option. */
  public String text(ConfigKey key) {
    return values.getOrDefault(key.name(), key.defaultValue());
  }

  /** An int option. */
  public int intValue(ConfigKey key) {
    return Integer.parseInt(text(key).trim());
  }

  /** A long option. */
  public long longValue(ConfigKey key) {
    return Long.parseLong(text(key).trim());
  }

  /** A float option. */
  public float floatValue(ConfigKey key) {
    return Float.parseFloat(text(key).trim());
  }

  /** A double option. */
  public double doubleValue(ConfigKey key) {
    return Double.parseDouble(text(key).trim());
  }

  /** A boolean option. */
  public boolean booleanValue(ConfigKey key) {
    return Boolean.parseBoolean(text(key).trim());
  }

  /** The model folder: the option, or the shipped model when it is empty. */
  public Path modelDir() {
    String d = text(MODEL_DIR).trim();
    return d.isEmpty() ? ModelCard.shippedDir() : Path.of(d);
  }

  /** The landmark graph file, when subgoals are on (see {@link #SUBGOALS_GRAPH}). */
  public Optional<Path> subgoalsGraph() {
    String g = text(SUBGOALS_GRAPH).trim();
    if (g.isEmpty() || g.equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    if (g.equalsIgnoreCase("auto")) {
      Path beside = modelDir().resolve(GRAPH_FILE_NAME);
      return Files.isRegularFile(beside) ? Optional.of(beside) : Optional.empty();
    }
    return Optional.of(Path.of(g));
  }

  /** The cost of the options. */
  public Cost cost() {
    return new Cost(
        Cost.Norm.valueOf(text(COST_NORM).trim().toUpperCase(Locale.ROOT)),
        Cost.Aggregation.valueOf(text(COST_AGGREGATION).trim().toUpperCase(Locale.ROOT)));
  }

  /** Opens the world model these options name, with buffers for the planner's batches. */
  public WorldModel openWorldModel() {
    return openWorldModel(Math.max(intValue(MAX_BATCH), intValue(SAMPLES)));
  }

  /**
   * Opens the world model these options name with rollout buffers for at most {@code maxBatch}
   * sequences (1 for a session that only predicts one stream's future).
   */
  public WorldModel openWorldModel(int maxBatch) {
    return WorldModel.builder(ModelCard.load(modelDir()))
        .device(text(DEVICE))
        .threads(intValue(THREADS))
        .maxBatch(maxBatch)
        .maxHorizon(Math.max(32, Math.max(intValue(HORIZON), intValue(PREDICT_HORIZON))))
        .build();
  }

  /** The planner these options describe (without subgoals), over any dynamics. */
  public Planner newPlanner(Dynamics dynamics) {
    String algorithm = text(ALGORITHM).trim().toLowerCase(Locale.ROOT);
    Duration budget = Duration.ofMillis(longValue(BUDGET_MS));
    if (algorithm.equals("mppi")) {
      return MppiPlanner.builder(dynamics)
          .horizon(intValue(HORIZON))
          .samples(intValue(SAMPLES))
          .iterations(intValue(ITERATIONS))
          .actionRepeat(intValue(ACTION_REPEAT))
          .cost(cost())
          .budget(budget)
          .warmStart(booleanValue(WARM_START))
          .seed(longValue(SEED))
          .temperature(floatValue(MPPI_TEMPERATURE))
          .noise(floatValue(MPPI_NOISE))
          .build();
    }
    CemPlanner.Builder b =
        CemPlanner.builder(dynamics)
            .horizon(intValue(HORIZON))
            .samples(intValue(SAMPLES))
            .iterations(intValue(ITERATIONS))
            .actionRepeat(intValue(ACTION_REPEAT))
            .cost(cost())
            .budget(budget)
            .warmStart(booleanValue(WARM_START))
            .seed(longValue(SEED))
            .momentum(floatValue(CEM_MOMENTUM))
            .initialStd(floatValue(CEM_INITIAL_STD))
            .minStd(floatValue(CEM_MIN_STD));
    if (intValue(CEM_ELITES) > 0) {
      b.elites(intValue(CEM_ELITES));
    }
    return b.build();
  }

  /**
   * The planner these options describe, steering through waypoints of {@code graph} (see {@link
   * SubgoalPlanner}); {@code dynamics} checks the waypoints when {@code planner.subgoals.check} is
   * on.
   */
  public Planner newPlanner(Dynamics dynamics, LandmarkGraph graph) {
    SubgoalPlanner.Builder b =
        SubgoalPlanner.builder(newPlanner(dynamics), graph)
            .attachSteps(floatValue(SUBGOALS_ATTACH))
            .reachSteps(floatValue(SUBGOALS_REACH));
    if (booleanValue(SUBGOALS_CHECK)) {
      b.checkWith(dynamics, floatValue(SUBGOALS_PROGRESS), 3);
    }
    return b.build();
  }

  /** The surprise scorer these options describe. */
  public SurpriseScorer newSurpriseScorer() {
    return SurpriseScorer.builder()
        .threshold(doubleValue(SURPRISE_THRESHOLD))
        .warmUp(longValue(SURPRISE_WARMUP))
        .alpha(doubleValue(SURPRISE_ALPHA))
        .clamp(doubleValue(SURPRISE_CLAMP))
        .build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlannerOptions other && toMap().equals(other.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "PlannerOptions" + toMap();
  }

  private static ConfigKey find(String name) {
    for (ConfigKey k : KEYS) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    List<String> names = new ArrayList<>();
    KEYS.forEach(k -> names.add(k.name()));
    throw new PlannerException("unknown option '" + name + "'; the planner options are " + names);
  }

  /** Builds {@link PlannerOptions}; {@link #build()} checks every value. */
  public static final class Builder {
    /** The landmark graph's file name beside a model, for {@code planner.subgoals.graph=auto}. */
    public static final String GRAPH_FILE_NAME = "landmarks.bin";

    private final Map<String, String> values;

    private Builder(Map<String, String> initial) {
      this.values = new LinkedHashMap<>(initial);
    }

    /** Sets one option from its text form. */
    public Builder set(ConfigKey key, String value) {
      values.put(key.name(), value == null ? "" : value.trim());
      return this;
    }

    /** Sets one option by its key name. */
    public Builder set(String key, String value) {
      return set(find(key), value);
    }

    /** Checks every value and builds the options; the error names the key and what it takes. */
    public PlannerOptions build() {
      PlannerOptions o = new PlannerOptions(values);
      for (ConfigKey k : KEYS) {
        try {
          validate(o, k);
        } catch (IllegalArgumentException e) {
          throw new PlannerException(
              "bad value '"
                  + o.text(k)
                  + "' for "
                  + k.name()
                  + " (expected "
                  + k.type()
                  + "): "
                  + e.getMessage(),
              e);
        }
      }
      return o;
    }

    private static void validate(PlannerOptions o, ConfigKey k) {
      String v = o.text(k).trim();
      switch (k.type()) {
        case "int" -> atLeast(o.intValue(k), minimum(k));
        case "long" -> atLeast(o.longValue(k), minimum(k));
        case "float", "double" -> {
          double d = o.doubleValue(k);
          if (!Double.isFinite(d) || d < 0) {
            throw new IllegalArgumentException("must be a finite number >= 0");
          }
        }
        case "boolean" -> {
          if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("not true or false");
          }
        }
        case "cem|mppi" -> oneOf(v, "cem", "mppi");
        case "L1|L2" -> oneOf(v, "L1", "L2");
        case "TERMINAL|SUM" -> oneOf(v, "TERMINAL", "SUM");
        case "cpu|cuda|cuda:N" -> {
          String d = v.toLowerCase(Locale.ROOT);
          if (!d.equals("cpu") && !d.matches("cuda(:\\d+)?")) {
            throw new IllegalArgumentException("use cpu, cuda or cuda:<gpu index>");
          }
        }
        default -> {
          // paths: any text
        }
      }
    }

    private static long minimum(ConfigKey k) {
      return switch (k.name()) {
        case "planner.threads", "planner.plan.threads", "planner.cem.elites", "planner.seed" -> 0;
        case "planner.samples" -> 2;
        default -> 1;
      };
    }

    private static void atLeast(long v, long min) {
      if (v < min) {
        throw new IllegalArgumentException("must be >= " + min + ", got " + v);
      }
    }

    private static void oneOf(String v, String... allowed) {
      for (String a : allowed) {
        if (a.equalsIgnoreCase(v)) {
          return;
        }
      }
      throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
    }
  }
}
