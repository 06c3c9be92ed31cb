package io.foresight.planner;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed world-model operator: per stream, working memory in keyed state and the world model at
 * work on it. Keyed by stream id over {@link WorldModelInput}s (latents, executed actions, goal
 * latents).
 *
 * <ul>
 *   <li>Every latent: a {@link Prediction} of the next {@code planner.predict.horizon} latents
 *       (main output), under the actions the stream is expected to take: the current plan's when a
 *       goal is set, else its last executed action held, else no action.
 *   <li>Surprise: the latent predicted for this frame (from the previous latent and the action that
 *       was executed after it) against the latent that came; above the threshold, in running
 *       standard deviations of the stream, a {@link SurpriseEvent} on {@link #SURPRISE}.
 *   <li>While a goal is set: a {@link Plan} toward it on {@link #PLANS} when the goal arrives and
 *       for every latent after, warm-started from the previous plan.
 *   <li>A stream silent for {@code planner.idle.timeout.ms} (processing time) loses its state and
 *       its timer.
 * </ul>
 *
 * <pre>{@code
 * SingleOutputStreamOperator<Prediction> predictions = inputs
 *     .keyBy(WorldModelInput::getStreamId)
 *     .process(new WorldModelFunction(PlannerOptions.defaults()));
 * DataStream<Plan> plans = predictions.getSideOutput(WorldModelFunction.PLANS);
 * DataStream<SurpriseEvent> surprise = predictions.getSideOutput(WorldModelFunction.SURPRISE);
 * }</pre>
 *
 * <p>Each parallel instance opens its own {@link WorldModel} (the predictor ONNX session) in {@link
 * #open} and closes it in {@link #close}.
 */
public class WorldModelFunction extends KeyedProcessFunction<String, WorldModelInput, Prediction> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WorldModelFunction.class);

  /** Surprise events ({@code foresight.surprise}). */
  public static final OutputTag<SurpriseEvent> SURPRISE =
      new OutputTag<>("surprise", avroType(SurpriseEvent.class));

  /** Plans ({@code foresight.plans}). */
  public static final OutputTag<Plan> PLANS = new OutputTag<>("plans", avroType(Plan.class));

  /** Inputs that do not fit the model, with the reason (for the dead-letter topic). */
  public static final OutputTag<RejectedInput> REJECTED =
      new OutputTag<>("rejected", TypeInformation.of(RejectedInput.class));

  private final PlannerOptions options;

  private transient WorldModel model;
  private transient Planner planner;
  private transient SurpriseScorer scorer;
  private transient int dim;
  private transient int adim;
  private transient int predictHorizon;
  private transient int recentCount;
  private transient long idleMs;
  private transient String latentSpace;

  private transient ValueState<float[]> recent;
  private transient ValueState<Long> latestSequence;
  private transient ValueState<float[]> pending;
  private transient ValueState<float[]> executed;
  private transient ValueState<GoalMemory> goal;
  private transient ValueState<float[]> warmPlan;
  private transient ValueState<double[]> surprise;
  private transient ValueState<Long> idleTimer;

  /**
   * Flink's Avro type for a generated record when {@code flink-avro} is on the classpath (as in the
   * job), else a generic (Kryo) type, which is enough for tests.
   */
  static <T> TypeInformation<T> avroType(Class<T> type) {
    try {
      return TypeInformation.of(type);
    } catch (RuntimeException e) {
      return new GenericTypeInfo<>(type);
    }
  }

  /** An operator with these options (model folder, planner, surprise, idle timeout). */
  public WorldModelFunction(PlannerOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The goal a stream is heading for: a Flink POJO held in keyed state. */
  public static class GoalMemory {
    /** The goal's id. */
    public String goalId;

    /** The goal latent. */
    public float[] latent;

    /** Latent distance that counts as reached. */
    public float tolerance;

    /** Flink's POJO constructor. */
    public GoalMemory() {}
  }

  @Override
  public void open(OpenContext ctx) throws Exception {
    model = options.openWorldModel();
    try {
      setUp();
    } catch (RuntimeException e) {
      model.close();
      model = null;
      throw e;
    }
  }

  private void setUp() {
    ModelCard card = model.card();
    dim = model.latentDim();
    adim = model.actionDim();
    latentSpace = card.files().containsKey("encoder") ? card.modelRef().getSha256() : "";
    Planner base = options.newPlanner(model);
    if (options.subgoalsGraph().isPresent()) {
      Path file = options.subgoalsGraph().get();
      LandmarkGraph graph = LandmarkGraph.load(file);
      boolean auto = options.text(PlannerOptions.SUBGOALS_GRAPH).trim().equalsIgnoreCase("auto");
      if (!graph.latentSpace().isEmpty()
          && !latentSpace.isEmpty()
          && !graph.latentSpace().equalsIgnoreCase(latentSpace)) {
        String msg =
            "landmark graph "
                + file
                + " was built in latent space "
                + graph.latentSpace()
                + " but the model's encoder is "
                + latentSpace
                + "; rebuild it with `foresight planner graph`";
        if (!auto) {
          throw new PlannerException(msg);
        }
        LOG.warn("{}; planning without subgoals", msg);
      } else {
        base = options.newPlanner(model, graph);
      }
    }
    planner = base;
    scorer = options.newSurpriseScorer();
    predictHorizon = options.intValue(PlannerOptions.PREDICT_HORIZON);
    recentCount = options.intValue(PlannerOptions.RECENT_LATENTS);
    idleMs = options.longValue(PlannerOptions.IDLE_TIMEOUT_MS);
    TypeInformation<float[]> floats = PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO;
    recent = getRuntimeContext().getState(new ValueStateDescriptor<>("recent-latents", floats));
    latestSequence =
        getRuntimeContext().getState(new ValueStateDescriptor<>("latest-sequence", Types.LONG));
    pending = getRuntimeContext().getState(new ValueStateDescriptor<>("pending", floats));
    executed = getRuntimeContext().getState(new ValueStateDescriptor<>("executed", floats));
    goal =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("goal", TypeInformation.of(GoalMemory.class)));
    warmPlan = getRuntimeContext().getState(new ValueStateDescriptor<>("warm-plan", floats));
    surprise =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "surprise-stats", PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
    idleTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("idle-timer", Types.LONG));
    LOG.info(
        "world model {} {} on {}, planner {}, predictions 1..{}",
        card.name(),
        card.version(),
        model.provider(),
        planner.name(),
        predictHorizon);
  }

  @Override
  public void close() throws Exception {
    if (model != null) {
      model.close();
      model = null;
    }
  }

  @Override
  public void processElement(WorldModelInput in, Context ctx, Collector<Prediction> out)
      throws Exception {
    touch(ctx);
    String reason = check(in);
    if (reason != null) {
      LOG.warn("rejected {}: {}", in, reason);
      ctx.output(REJECTED, new RejectedInput(in, reason));
      return;
    }
    switch (in.kind) {
      case LATENT -> onLatent(in, ctx, out);
      case ACTION -> onAction(in);
      case GOAL -> onGoal(in, ctx);
      default -> throw new PlannerException("unknown input kind " + in.kind);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
      throws Exception {
    Long due = idleTimer.value();
    if (due != null && due == timestamp) {
      LOG.debug(
          "stream {} idle for {} ms; clearing its working memory", ctx.getCurrentKey(), idleMs);
      clearAll();
    }
  }

  private void onLatent(WorldModelInput in, Context ctx, Collector<Prediction> out)
      throws Exception {
    float[] z = in.values;
    Long last = latestSequence.value();
    float[] predicted = pending.value();
    Double raw = null;
    Double normalized = null;
    if (predicted != null && last != null && in.sequence == last + 1) {
      double[] s = surprise.value();
      SurpriseStatistics stats =
          s == null ? SurpriseStatistics.EMPTY : new SurpriseStatistics((long) s[0], s[1], s[2]);
      SurpriseScore score = scorer.score(stats, predicted, z);
      SurpriseStatistics after = score.statistics();
      surprise.update(new double[] {after.count(), after.mean(), after.variance()});
      raw = score.raw();
      normalized = Double.isNaN(score.normalized()) ? null : score.normalized();
      if (score.surprising()) {
        ctx.output(SURPRISE, score.toEvent(in.streamId, in.sequence, in.timeUs, in.model()));
      }
    }
    latestSequence.update(in.sequence);
    remember(z);

    float[][] assumed = null;
    GoalMemory g = goal.value();
    if (g != null) {
      PlanResult plan = plan(z, g);
      emitPlan(ctx, in.streamId, g, plan, in.sequence);
      assumed = plan.actions();
    }
    float[][] actions = expectedActions(assumed, executed.value());
    float[][] future = model.predict(z, actions);
    pending.update(future[0]);
    out.collect(prediction(in, future, raw, normalized));
  }

  private void onAction(WorldModelInput in) throws Exception {
    Long last = latestSequence.value();
    if (last != null && in.sequence >= 0 && in.sequence < last) {
      LOG.debug(
          "stream {}: action after frame {} arrived after frame {}",
          in.streamId,
          in.sequence,
          last);
      return;
    }
    executed.update(in.values.clone());
    float[] latest = latestLatent();
    if (latest != null) {
      float[] next = new float[dim];
      model.step(latest, in.values, 1, next);
      pending.update(next);
    }
  }

  private void onGoal(WorldModelInput in, Context ctx) throws Exception {
    if (!in.active) {
      goal.clear();
      warmPlan.clear();
      return;
    }
    GoalMemory g = new GoalMemory();
    g.goalId = in.goalId;
    g.latent = in.values.clone();
    g.tolerance = in.tolerance;
    goal.update(g);
    warmPlan.clear();
    float[] latest = latestLatent();
    Long last = latestSequence.value();
    if (latest != null && last != null) {
      emitPlan(ctx, in.streamId, g, plan(latest, g), last);
    }
  }

  private PlanResult plan(float[] z, GoalMemory g) throws Exception {
    float[] flat = warmPlan.value();
    float[][] warm = null;
    if (flat != null && flat.length % adim == 0 && flat.length > 0) {
      warm = new float[flat.length / adim][adim];
      for (int t = 0; t < warm.length; t++) {
        System.arraycopy(flat, t * adim, warm[t], 0, adim);
      }
    }
    PlanResult r = planner.plan(PlanRequest.of(z, g.latent).withWarmStart(warm));
    float[] keep = new float[r.horizon() * adim];
    for (int t = 0; t < r.horizon(); t++) {
      System.arraycopy(r.actions()[t], 0, keep, t * adim, adim);
    }
    warmPlan.update(keep);
    return r;
  }

  private void emitPlan(Context ctx, String streamId, GoalMemory g, PlanResult r, long sequence) {
    long nowUs = ctx.timerService().currentProcessingTime() * 1000L;
    String planId = streamId + "/" + g.goalId + "/" + sequence;
    ctx.output(PLANS, r.toAvro(streamId, planId, g.goalId, nowUs, sequence));
  }

  private float[][] expectedActions(float[][] plan, float[] lastExecuted) {
    float[][] a = new float[predictHorizon][];
    float[] held = lastExecuted != null ? lastExecuted : new float[adim];
    for (int t = 0; t < predictHorizon; t++) {
      if (plan != null) {
        a[t] = plan[Math.min(t, plan.length - 1)];
      } else {
        a[t] = held;
      }
    }
    return a;
  }

  private Prediction prediction(
      WorldModelInput in, float[][] future, Double raw, Double normalized) {
    float[] flat = new float[future.length * dim];
    List<Integer> horizons = new ArrayList<>(future.length);
    for (int t = 0; t < future.length; t++) {
      System.arraycopy(future[t], 0, flat, t * dim, dim);
      horizons.add(t + 1);
    }
    return Prediction.newBuilder()
        .setStreamId(in.streamId)
        .setSequence(in.sequence)
        .setTimeUs(in.timeUs)
        .setModel(in.model())
        .setHorizons(horizons)
        .setPredicted(Tensors.tensor(flat, future.length, dim))
        .setSurprise(raw)
        .setSurpriseNormalized(normalized)
        .build();
  }

  private void remember(float[] z) throws Exception {
    float[] old = recent.value();
    int have = old == null ? 0 : old.length / dim;
    int keep = Math.min(recentCount, have + 1);
    float[] next = new float[keep * dim];
    if (keep > 1) {
      System.arraycopy(old, (have - (keep - 1)) * dim, next, 0, (keep - 1) * dim);
    }
    System.arraycopy(z, 0, next, (keep - 1) * dim, dim);
    recent.update(next);
  }

  private float[] latestLatent() throws Exception {
    float[] r = recent.value();
    return r == null || r.length < dim ? null : Arrays.copyOfRange(r, r.length - dim, r.length);
  }

  private void touch(Context ctx) throws Exception {
    Long old = idleTimer.value();
    if (old != null) {
      ctx.timerService().deleteProcessingTimeTimer(old);
    }
    long due = ctx.timerService().currentProcessingTime() + idleMs;
    ctx.timerService().registerProcessingTimeTimer(due);
    idleTimer.update(due);
  }

  private void clearAll() {
    recent.clear();
    latestSequence.clear();
    pending.clear();
    executed.clear();
    goal.clear();
    warmPlan.clear();
    surprise.clear();
    idleTimer.clear();
  }

  private String check(WorldModelInput in) {
    if (in.values == null) {
      return "no values";
    }
    switch (in.kind) {
      case LATENT, GOAL -> {
        if (in.kind == WorldModelInput.Kind.GOAL && !in.active) {
          return null;
        }
        if (in.values.length != dim) {
          return in.kind.name().toLowerCase()
              + " has "
              + in.values.length
              + " floats but the world model's latents have "
              + dim;
        }
        if (!latentSpace.isEmpty()
            && in.modelSha256 != null
            && !in.modelSha256.isEmpty()
            && !in.modelSha256.equalsIgnoreCase(latentSpace)) {
          return in.kind.name().toLowerCase()
              + " comes from encoder "
              + in.modelSha256
              + " but the world model belongs to encoder "
              + latentSpace
              + "; the stream and the planner must use the same model";
        }
        return null;
      }
      case ACTION -> {
        return in.values.length != adim
            ? "action has " + in.values.length + " values but the world model takes " + adim
            : null;
      }
      default -> {
        return "unknown kind " + in.kind;
      }
    }
  }

  /** The options this operator was built with. */
  public PlannerOptions options() {
    return options;
  }
}
