package io.foresight.planner;

import io.foresight.deploy.AbstractModelOperator;
import io.foresight.planner.internal.PlanQueue;
import io.foresight.planner.internal.PredictionBatch;
import io.foresight.runtime.CheckpointHealth;
import io.foresight.runtime.Deployment;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.runtime.ThreadPriority;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The keyed world-model operator: per stream, working memory in keyed state and the world model at
 * work on it, over {@link WorldModelInput}s (latents, executed actions, goal latents) keyed by
 * stream id. It has two paths with two policies.
 *
 * <p><b>Completeness</b> (task thread, every latent, in order, backpressure): a {@link Prediction}
 * of the next {@code planner.predict.horizon} latents under the actions the stream is expected to
 * take (the newest plan's, shifted to this frame, while a goal is set; else its last executed
 * action held; else no action); the surprise of this latent against the one predicted for it (from
 * the previous latent and the action executed after it), and above the threshold a {@link
 * SurpriseEvent} on {@link #SURPRISE}. With {@code planner.predict.linger} above 0 (default 0: at
 * once) the predictions of latents of different streams are rolled out together, in one predictor
 * call of up to {@code planner.predict.batch} latents, each from its own latent under its own
 * actions: a latent's prediction waits at most the linger for others, and the waiting ones run
 * before their stream's next input, a checkpoint barrier, a watermark and the end of the input, so
 * the records, the surprise and the state are those of one prediction at a time; only the
 * prediction records come later.
 *
 * <p><b>Control</b> (freshness first): while a goal is set, every latent (and a new goal) asks for
 * a {@link Plan} toward it on {@link #PLANS}. Plans are made on the operator's planner threads
 * ({@code planner.plan.threads}), each with its own predictor session, from a queue that holds at
 * most one request per stream: a newer latent of a stream replaces its waiting request, so a plan
 * always starts from the newest latent its stream had when planning began, and the replaced ones
 * are counted ({@code stats.skipped} of the next plan, metric {@code plansSkipped}). A stream has
 * at most one plan running; plans are emitted from the task thread (through the mailbox),
 * warm-start the next plan of their stream, and are dropped if the goal changed meanwhile. Nothing
 * grows with load: under overload the queue stays at one entry per stream and plans get sparser,
 * not older. A request that has waited longer than {@code planner.plan.stale} yields to fresher
 * ones of other streams (it keeps its turn for its stream's next latent), so the planner threads go
 * to recent latents first. The planner threads run at a lower CPU priority than the rest of the job
 * ({@code planner.plan.niceness}, Linux): when the cores are all busy, the completeness path goes
 * first, and the plans, not the latents and predictions, are what gets sparser.
 *
 * <p>A new goal is planned for at once on the stream's newest latent, unless the stream's next
 * latent is due: when the newest one arrived less than 1.5 of the stream's frame intervals ago
 * (capture times, smoothed), the goal waits for the next latent, at most {@code planner.goal.wait}
 * (processing-time timer). A robot that sets its next goal in the step that publishes a frame so
 * gets a plan from that frame, about one frame interval fresher than one from the frame before, and
 * the planner makes one search instead of two ({@code goalPlansWaited}).
 *
 * <p>A stream silent for {@code planner.idle.timeout.ms} (processing time) loses its state and its
 * timer. Plan requests are not checkpointed: after a restore the next latent of a stream asks
 * again.
 *
 * <p><b>Models deployed into the running job.</b> Connected to the control stream (the second input
 * of {@link #apply(KeyedStream, DataStream, PlannerOptions)}, broadcast to every subtask), the
 * operator loads an announced model's predictor (for predictions and for each planner thread) as
 * the {@link Deployment} arrives, after {@link Deployment#verify()}; a model that does not load or
 * whose contract fails is refused on {@link #REFUSED_DEPLOYMENTS} and nothing changes. The
 * predictor is picked per input by the model tag of its latent (the encoder's sha256), so the
 * predictions of a latent never depend on when a deployment arrived: latents of the old model that
 * are still in flight get the old predictor, those of the new model the new one. Every loaded
 * predictor stays loaded until the job stops (a few MB each; a rollback needs no reload). The
 * <i>active</i> model, the one recorded for a restore and used for inputs without a tag, switches
 * at the next checkpoint barrier ({@link #prepareSnapshotPreBarrier}) and is written to union list
 * state in that checkpoint; a restore reloads it (the encoders, restored from the same checkpoint,
 * emit its latents). A stream whose latent tag changes restarts: its working memory (recent
 * latents, the pending prediction, the last executed action, the warm plan) and its surprise
 * statistics (a fresh warm-up) are cleared, and its goal moves to the new latent space: the goal
 * stage of the job keeps each stream's goal image and re-encodes it with the new encoder at the
 * switch (a goal given as a latent cannot be re-encoded: it waits for a new goal). The re-encoded
 * goal arrives before the first latent of the new model and waits in {@code next-goal} until the
 * stream's latents switch; a goal of the old space is kept there in turn (a rollback). Watermarks
 * of the control input are ignored. A deployment that would change the active model while
 * checkpoints fail (the newest outcome an abort, or none completed for a few intervals: {@link
 * CheckpointHealth}, fed by the barriers and {@code notifyCheckpointComplete/Aborted}) is refused
 * with that reason and nothing is loaded, as in the encoders (the lifecycle is {@link
 * AbstractModelOperator}'s, shared with them; here a model once loaded stays loaded, so staging a
 * rollback loads nothing); an active switch made at a barrier whose checkpoint then aborts stands
 * and is recorded by the next completed checkpoint.
 *
 * <p>Metrics (group {@code worldmodel}): {@code plansEmitted}, {@code plansSkipped}, {@code
 * plansDropped} (goal changed while planning), {@code goalPlansWaited} (new goals that waited for
 * the next latent), {@code planQueue} (streams waiting), {@code plansOutOfTurn} (requests served
 * ahead of a stale one, {@code planner.plan.stale}), {@code planLatencyMs} (histogram: request to
 * emission), {@code planMs} (histogram: the search itself, of all the requests searched with it),
 * {@code planBatch} (histogram: how many requests each plan was searched together with, itself
 * included; {@code planner.plan.batch}).
 *
 * <pre>{@code
 * SingleOutputStreamOperator<Prediction> predictions =
 *     WorldModelOperator.apply(inputs.keyBy(in -> in.streamId), PlannerOptions.defaults());
 * DataStream<Plan> plans = predictions.getSideOutput(WorldModelOperator.PLANS);
 * DataStream<SurpriseEvent> surprise = predictions.getSideOutput(WorldModelOperator.SURPRISE);
 * }</pre>
 */
public final class WorldModelOperator
    extends AbstractModelOperator<WorldModelInput, Prediction, WorldModelOperator.Loaded>
    implements Triggerable<String, VoidNamespace>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  /** How long {@link #close()} waits for a plan still running before leaving its session open. */
  private static final long CLOSE_WAIT_SECONDS = 30;

  /** Surprise events ({@code foresight.surprise}). */
  public static final OutputTag<SurpriseEvent> SURPRISE =
      new OutputTag<>("surprise", avroType(SurpriseEvent.class));

  /** Plans ({@code foresight.plans}). */
  public static final OutputTag<Plan> PLANS = new OutputTag<>("plans", avroType(Plan.class));

  /**
   * The name prefix of the planner threads ({@code foresight-planner-<subtask>-<i>}), by which
   * profilers and {@code bench streams} tell their CPU from the rest of the job's.
   */
  public static final String PLANNER_THREAD_PREFIX = "foresight-planner-";

  /** Inputs that do not fit the model, with the reason (for the dead-letter topic). */
  public static final OutputTag<RejectedInput> REJECTED =
      new OutputTag<>("rejected", TypeInformation.of(RejectedInput.class));

  /** Deployments this subtask could not load, with the reason (it keeps its models). */
  public static final OutputTag<RefusedDeployment> REFUSED_DEPLOYMENTS =
      new OutputTag<>(
          "world-model-refused-deployments", TypeInformation.of(RefusedDeployment.class));

  private final PlannerOptions options;

  private transient WorldModel model;
  private transient SurpriseScorer scorer;
  private transient int dim;
  private transient int adim;
  private transient int threads;
  private transient int planBatch;
  private transient ConcurrentHashMap<String, Loaded> models;
  private transient Loaded configured;
  private transient ValueState<String> streamSpace;
  private transient ValueState<GoalMemory> nextGoal;
  private transient Counter streamRestarts;
  private transient Counter goalsParked;
  private transient int predictHorizon;
  private transient PredictionBatch<Deferred> predictions;
  private transient long predictLingerMs;
  private transient boolean predictFlushScheduled;
  private transient int recentCount;
  private transient long idleMs;
  private transient String latentSpace;
  private transient String plannerName;

  private transient PlanQueue<PlanJob> queue;
  private transient ConcurrentHashMap<String, WarmPlan> newestPlans;
  private transient List<Thread> workers;
  private transient Loaded current;
  private transient MailboxExecutor mailbox;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient InternalTimerService<VoidNamespace> goalTimers;
  private transient long goalWaitMs;

  private transient ValueState<float[]> recent;
  private transient ValueState<Long> latestSequence;
  private transient ValueState<Long> latestTimeUs;
  private transient ValueState<float[]> pending;
  private transient ValueState<float[]> executed;
  private transient ValueState<GoalMemory> goal;
  private transient ValueState<float[]> warmPlan;
  private transient ValueState<Long> warmSequence;
  private transient ValueState<double[]> surprise;
  private transient ValueState<Long> lastSeen;
  private transient ValueState<Long> idleDue;
  private transient ValueState<Long> latestArrivalMs;
  private transient ValueState<Double> frameIntervalMs;
  private transient ValueState<Long> goalPlanDue;

  private transient Counter plansEmitted;
  private transient Counter plansSkipped;
  private transient Counter plansDropped;
  private transient Counter goalPlansWaited;
  private transient Histogram planLatencyMs;
  private transient Histogram planMs;
  private transient Histogram planBatchSizes;
  private transient Histogram predictBatchSizes;
  private transient StreamRecord<Prediction> reuse;

  /** An operator with these options (model folder, planner, surprise, idle timeout, threads). */
  public WorldModelOperator(PlannerOptions options) {
    super("world model", "world-model-deployment", REFUSED_DEPLOYMENTS);
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Adds the world model to a keyed stream of inputs: predictions out, plans on {@link #PLANS},
   * surprise events on {@link #SURPRISE}, refused inputs on {@link #REJECTED}.
   */
  public static SingleOutputStreamOperator<Prediction> apply(
      KeyedStream<WorldModelInput, String> inputs, PlannerOptions options) {
    return inputs.transform(
        "world model", avroType(Prediction.class), new WorldModelOperator(options));
  }

  /**
   * Adds the world model with the control stream of model deployments as its second input,
   * broadcast to every subtask (see the class description).
   */
  public static SingleOutputStreamOperator<Prediction> apply(
      KeyedStream<WorldModelInput, String> inputs,
      DataStream<Deployment> deployments,
      PlannerOptions options) {
    return inputs
        .connect(deployments.broadcast())
        .transform("world model", avroType(Prediction.class), new WorldModelOperator(options));
  }

  /** One loaded model: its predictor for predictions and one per planner thread. */
  static final class Loaded implements AutoCloseable {
    final Deployment deployment;
    final String space;
    final WorldModel model;
    final List<WorldModel> plannerModels = new ArrayList<>();
    final List<Planner> planners = new ArrayList<>();
    final int dim;
    final int adim;

    Loaded(Deployment deployment, String space, WorldModel model) {
      this.deployment = deployment;
      this.space = space;
      this.model = model;
      this.dim = model.latentDim();
      this.adim = model.actionDim();
    }

    String describe() {
      return deployment != null
          ? deployment.describe()
          : model.card().name() + " " + model.card().version() + " (configured)";
    }

    @Override
    public void close() {
      plannerModels.forEach(WorldModel::close);
      model.close();
    }
  }

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

  /** The goal a stream is heading for: a Flink POJO held in keyed state. */
  public static class GoalMemory {
    /** The goal's id. */
    public String goalId;

    /** The goal latent. */
    public float[] latent;

    /** Latent distance that counts as reached. */
    public float tolerance;

    /** The encoder sha256 (lower case) the goal latent belongs to; null in older checkpoints. */
    public String latentSpace;

    /** Flink's POJO constructor. */
    public GoalMemory() {}
  }

  /** One plan request: where the stream is, where it goes, and the plan it had. */
  private record PlanJob(
      String space,
      String goalId,
      float[] goal,
      float[] start,
      long sequence,
      long timeUs,
      long timestamp,
      float[] warm,
      long warmSequence) {}

  /**
   * A stream's newest plan as its planner thread left it (flat actions, the frame it starts at).
   */
  private record WarmPlan(String goalId, long sequence, float[] actions) {}

  /** What a latent whose prediction waits in the batch needs for its prediction record. */
  private record Deferred(
      long sequence, long timeUs, ModelRef model, Double raw, Double normalized, long timestamp) {}

  /** A finished plan, or the error that ended it. */
  private record Finished(
      PlanQueue.Taken<PlanJob> taken, PlanResult result, Throwable error, int together) {}

  /**
   * The planner threads per subtask for {@code planner.plan.threads}: the value when set; for 0,
   * the machine's cores shared out among the subtasks in this JVM, at least one.
   */
  static int plannerThreads(int configured, int cores, int subtasks) {
    if (configured > 0) {
      return configured;
    }
    return Math.max(1, cores / Math.max(1, Math.min(subtasks, cores)));
  }

  @Override
  public void open() throws Exception {
    super.open();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    threads =
        plannerThreads(
            options.get(PlannerOptions.PLAN_THREADS),
            Runtime.getRuntime().availableProcessors(),
            getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    planBatch = options.get(PlannerOptions.PLAN_BATCH);
    models = new ConcurrentHashMap<>();
    configured = openModel(options, null);
    models.put(configured.space, configured);
    select(startModel(() -> configured));
    ModelCard card = model.card();
    plannerName = configured.planners.get(0).name();
    scorer = SurpriseScorer.create(options);
    predictHorizon = options.get(PlannerOptions.PREDICT_HORIZON);
    predictLingerMs = options.get(PlannerOptions.PREDICT_LINGER).toMillis();
    int predictBatch = options.get(PlannerOptions.PREDICT_BATCH);
    predictions =
        predictBatch > 1 && predictLingerMs > 0
            ? new PredictionBatch<>(predictBatch, predictHorizon)
            : null;
    recentCount = options.get(PlannerOptions.RECENT_LATENTS);
    idleMs = options.get(PlannerOptions.IDLE_TIMEOUT).toMillis();
    goalWaitMs = options.get(PlannerOptions.GOAL_WAIT).toMillis();
    TypeInformation<float[]> floats = PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO;
    recent = state("recent-latents", floats);
    latestSequence = state("latest-sequence", Types.LONG);
    latestTimeUs = state("latest-time-us", Types.LONG);
    pending = state("pending", floats);
    executed = state("executed", floats);
    goal = state("goal", TypeInformation.of(GoalMemory.class));
    nextGoal = state("next-goal", TypeInformation.of(GoalMemory.class));
    streamSpace = state("latent-space", Types.STRING);
    warmPlan = state("warm-plan", floats);
    warmSequence = state("warm-plan-sequence", Types.LONG);
    surprise = state("surprise-stats", PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO);
    lastSeen = state("last-seen", Types.LONG);
    idleDue = state("idle-due", Types.LONG);
    latestArrivalMs = state("latest-arrival-ms", Types.LONG);
    frameIntervalMs = state("frame-interval-ms", Types.DOUBLE);
    goalPlanDue = state("goal-plan-due", Types.LONG);
    timers = getInternalTimerService("world-model-idle", VoidNamespaceSerializer.INSTANCE, this);
    goalTimers =
        getInternalTimerService(
            "world-model-goal", VoidNamespaceSerializer.INSTANCE, new GoalPlanTrigger());
    mailbox =
        getContainingTask()
            .getMailboxExecutorFactory()
            .createExecutor(getOperatorConfig().getChainIndex());
    queue = new PlanQueue<>(options.get(PlannerOptions.PLAN_STALE));
    newestPlans = new ConcurrentHashMap<>();
    reuse = new StreamRecord<>(null);
    registerMetrics();
    workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t = new Thread(() -> planLoop(index), PLANNER_THREAD_PREFIX + subtask + "-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    LOG.info(
        "world model {} {} on {}, planner {} on {} thread(s), predictions 1..{}",
        card.name(),
        card.version(),
        model.provider().actual(),
        plannerName,
        threads,
        predictHorizon);
  }

  /** Opens a model's predictors (one for predictions, one per planner thread). */
  private Loaded openModel(PlannerOptions o, Deployment d) {
    WorldModel m = WorldModel.open(o, o.get(PlannerOptions.PREDICT_BATCH));
    ModelCard card = m.card();
    String space =
        card.files().containsKey("encoder")
            ? card.modelRef().getSha256().toLowerCase(Locale.ROOT)
            : "";
    Loaded l = new Loaded(d, space, m);
    try {
      // One graph for all planner threads: its queries are read-only, its cost-to-go cache is
      // shared, and one copy of the nodes stays in the caches of both cores.
      LandmarkGraph graph = graph(o, space);
      for (int i = 0; i < threads; i++) {
        WorldModel pm = WorldModel.open(o);
        l.plannerModels.add(pm);
        l.planners.add(
            graph == null ? Planners.create(options, pm) : Planners.create(options, pm, graph));
      }
    } catch (RuntimeException e) {
      l.close();
      throw e;
    }
    return l;
  }

  /** Checks and opens a deployment's model; throws with the reason. */
  private Loaded openDeployment(Deployment d) {
    ModelCard card = d.verify();
    if (!card.files().containsKey("predictor")) {
      throw new PlannerException(
          "deployment "
              + d.id()
              + ": "
              + d.dir()
              + " has no predictor; the world model needs one (files.predictor in its card)");
    }
    return openModel(
        options.toBuilder().set(PlannerOptions.MODEL_DIR, Optional.of(d.path())).build(), d);
  }

  /**
   * A deployment's model: the one loaded before for its latent space (a rollback loads nothing),
   * else checked and opened, and kept until the job stops.
   */
  @Override
  protected Loaded load(Deployment d) {
    Loaded have = models.get(d.encoderSha256().toLowerCase(Locale.ROOT));
    if (have != null) {
      return have;
    }
    Loaded l = openDeployment(d);
    models.put(l.space, l);
    return l;
  }

  @Override
  protected String modelSha256(Loaded l) {
    return l.space;
  }

  /** Every loaded model stays loaded until the job stops: {@code close()} closes them. */
  @Override
  protected void retire(Loaded l) {}

  /** The per-record model fields for {@code m} (task thread). */
  private void select(Loaded m) {
    model = m.model;
    dim = m.dim;
    adim = m.adim;
    latentSpace = m.space;
    current = m;
  }

  /**
   * The landmark graph of {@code planner.subgoals.graph} for a model opened with {@code o}, or null
   * to plan without. With {@code auto} that is the {@code landmarks.bin} beside the model {@code o}
   * names, so a deployed model plans through its own graph, not the one of the model the job
   * started with (whose latent space it does not share).
   */
  static LandmarkGraph graph(PlannerOptions o, String latentSpace) {
    if (o.subgoalsGraph().isEmpty()) {
      return null;
    }
    Path file = o.subgoalsGraph().get();
    LandmarkGraph graph = LandmarkGraph.load(file);
    boolean auto = o.subgoalsGraphAuto();
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
      return null;
    }
    return graph;
  }

  private <T> ValueState<T> state(String name, TypeInformation<T> type) {
    return getRuntimeContext().getState(new ValueStateDescriptor<>(name, type));
  }

  private void registerMetrics() {
    MetricGroup g = getMetricGroup().addGroup("worldmodel");
    plansEmitted = g.counter("plansEmitted");
    plansSkipped = g.counter("plansSkipped");
    plansDropped = g.counter("plansDropped");
    goalPlansWaited = g.counter("goalPlansWaited");
    planLatencyMs = g.histogram("planLatencyMs", new DescriptiveStatisticsHistogram(1000));
    planMs = g.histogram("planMs", new DescriptiveStatisticsHistogram(1000));
    planBatchSizes = g.histogram("planBatch", new DescriptiveStatisticsHistogram(1000));
    predictBatchSizes = g.histogram("predictBatch", new DescriptiveStatisticsHistogram(1000));
    g.gauge("planQueue", () -> queue.waiting());
    g.gauge("plansOutOfTurn", () -> queue.passedOver());
    streamRestarts = g.counter("streamRestarts");
    goalsParked = g.counter("goalsParked");
  }

  @Override
  public void processElement(StreamRecord<WorldModelInput> element) throws Exception {
    WorldModelInput in = element.getValue();
    if (predictions != null && predictions.holds(in.streamId)) {
      // The stream's newest prediction is still waiting: its next input reads or replaces it.
      flushPredictions();
    }
    touch();
    Loaded m = modelFor(in);
    if (m == null && parkReencodedGoal(in)) {
      return;
    }
    String reason = m == null ? unknownSpace(in) : check(in, m);
    if (reason != null) {
      LOG.debug("rejected {}: {}", in, reason);
      output.collect(REJECTED, new StreamRecord<>(new RejectedInput(in, reason)));
      return;
    }
    long timestamp = element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE;
    switch (in.kind) {
      case LATENT -> onLatent(in, timestamp);
      case ACTION -> onAction(in);
      case GOAL -> onGoal(in, timestamp);
      default -> throw new PlannerException("unknown input kind " + in.kind);
    }
  }

  /**
   * The model for an input: latents and goals by their tag (untagged: the stream's, else the active
   * one), actions by the stream's latent space; null when the tag names no loaded model.
   */
  private Loaded modelFor(WorldModelInput in) throws Exception {
    String stream = streamSpace.value();
    if (in.kind == WorldModelInput.Kind.ACTION
        || (in.kind == WorldModelInput.Kind.GOAL && !in.active)
        || in.modelSha256 == null
        || in.modelSha256.isEmpty()) {
      Loaded l = stream == null ? null : models.get(stream);
      return l != null ? l : currentModel();
    }
    Loaded l = models.get(in.modelSha256.toLowerCase(Locale.ROOT));
    if (l == null && configured.space.isEmpty()) {
      // A predictor-only model names no latent space: it takes latents of any encoder.
      return currentModel();
    }
    return l;
  }

  private String unknownSpace(WorldModelInput in) {
    return in.kind.name().toLowerCase(Locale.ROOT)
        + " comes from encoder "
        + in.modelSha256
        + " but the world model belongs to encoder "
        + String.join(", ", models.keySet())
        + "; the stream and the planner must use the same model (deploy the stream's model with"
        + " `foresight models deploy`)";
  }

  /**
   * A goal re-encoded for a model this subtask has not loaded yet (the control record may reach it
   * after the goal stage's re-encoded goal): kept in next-goal when it re-encodes the stream's
   * goal; anything else in an unknown space is refused.
   */
  private boolean parkReencodedGoal(WorldModelInput in) throws Exception {
    GoalMemory g = goal.value();
    if (in.kind != WorldModelInput.Kind.GOAL
        || !in.active
        || g == null
        || !g.goalId.equals(in.goalId)) {
      return false;
    }
    nextGoal.update(goalMemory(in, in.modelSha256.toLowerCase(Locale.ROOT)));
    goalsParked.inc();
    return true;
  }

  private static GoalMemory goalMemory(WorldModelInput in, String space) {
    GoalMemory g = new GoalMemory();
    g.goalId = in.goalId;
    g.latent = in.values.clone();
    g.tolerance = in.tolerance;
    g.latentSpace = space;
    return g;
  }

  private String spaceOf(GoalMemory g) {
    return g.latentSpace == null ? configured.space : g.latentSpace;
  }

  /**
   * A stream's latents now come from another model: its working memory and surprise warm-up start
   * again, and its goal moves to the new latent space (class description).
   */
  private void restart(String streamId, Loaded m) throws Exception {
    queue.remove(streamId);
    newestPlans.remove(streamId);
    recent.clear();
    latestSequence.clear();
    latestTimeUs.clear();
    pending.clear();
    executed.clear();
    warmPlan.clear();
    warmSequence.clear();
    surprise.clear();
    cancelGoalWait();
    GoalMemory g = goal.value();
    GoalMemory n = nextGoal.value();
    if (n != null && spaceOf(n).equals(m.space) && n.latent.length == m.dim) {
      goal.update(n);
      if (g != null && g.goalId.equals(n.goalId)) {
        nextGoal.update(g);
      } else {
        nextGoal.clear();
      }
    } else if (g != null && !spaceOf(g).equals(m.space)) {
      nextGoal.update(g);
      goal.clear();
    }
    streamRestarts.inc();
    LOG.debug("stream {} switched to {}: working memory restarted", streamId, m.describe());
  }

  private void onLatent(WorldModelInput in, long timestamp) throws Exception {
    String had = streamSpace.value();
    if (!latentSpace.equals(had)) {
      if (had != null) {
        restart(in.streamId, current);
      }
      streamSpace.update(latentSpace);
    }
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
        SurpriseEvent event = score.toEvent(in.streamId, in.sequence, in.timeUs, in.model());
        output.collect(SURPRISE, record(event, timestamp));
      }
    }
    Long lastTimeUs = latestTimeUs.value();
    if (last != null && lastTimeUs != null && in.sequence == last + 1 && in.timeUs > lastTimeUs) {
      double interval = (in.timeUs - lastTimeUs) / 1000.0;
      Double smoothed = frameIntervalMs.value();
      frameIntervalMs.update(smoothed == null ? interval : 0.8 * smoothed + 0.2 * interval);
    }
    latestSequence.update(in.sequence);
    latestTimeUs.update(in.timeUs);
    latestArrivalMs.update(getProcessingTimeService().getCurrentProcessingTime());
    remember(z);

    GoalMemory g = goal.value();
    if (g != null) {
      cancelGoalWait();
      requestPlan(in.streamId, g, z, in.sequence, in.timeUs, timestamp);
    }
    float[][] actions = expectedActions(g != null, in.sequence);
    Deferred d = new Deferred(in.sequence, in.timeUs, in.model(), raw, normalized, timestamp);
    if (predictions == null) {
      emitPrediction(in.streamId, d, model.predict(z, actions));
      return;
    }
    if (!predictions.isEmpty() && predictions.model() != model) {
      flushPredictions();
    }
    long now = getProcessingTimeService().getCurrentProcessingTime();
    if (predictions.add(model, in.streamId, z, actions, d, now)) {
      flushPredictions();
    } else {
      scheduleFlush(now + predictLingerMs);
    }
  }

  /** The stream's prediction for a latent: it becomes the pending one and goes out. */
  private void emitPrediction(String streamId, Deferred d, float[][] future) throws Exception {
    pending.update(future[0]);
    Prediction p = prediction(streamId, d, future);
    if (d.timestamp() == Long.MIN_VALUE) {
      reuse.eraseTimestamp();
      output.collect(reuse.replace(p));
    } else {
      output.collect(reuse.replace(p, d.timestamp()));
    }
  }

  /**
   * Rolls out the waiting latents' predictions in one call and emits them, each under its stream's
   * key; the key of the record being processed, if any, is set again afterwards.
   */
  private void flushPredictions() throws Exception {
    if (predictions == null || predictions.isEmpty()) {
      return;
    }
    Object key = getCurrentKey();
    predictBatchSizes.update(predictions.size());
    try {
      predictions.run(
          (stream, d, future) -> {
            setCurrentKey(stream);
            emitPrediction(stream, d, future);
          });
    } finally {
      if (key != null) {
        setCurrentKey(key);
      }
    }
  }

  /** Runs the waiting predictions at {@code due} unless a flush is scheduled already. */
  private void scheduleFlush(long due) {
    if (!predictFlushScheduled) {
      predictFlushScheduled = true;
      getProcessingTimeService().registerTimer(due, this::onPredictFlushDue);
    }
  }

  /**
   * A scheduled flush: runs the batch when its oldest latent has waited {@code
   * planner.predict.linger}, else (the batch ran since and a younger one waits) schedules again.
   */
  private void onPredictFlushDue(long time) throws Exception {
    predictFlushScheduled = false;
    if (predictions.isEmpty()) {
      return;
    }
    long due = predictions.firstAddedMs() + predictLingerMs;
    if (due > time) {
      scheduleFlush(due);
    } else {
      flushPredictions();
    }
  }

  /** A record with the input's timestamp, or none ({@code Long.MIN_VALUE}). */
  private static <T> StreamRecord<T> record(T value, long timestamp) {
    return timestamp == Long.MIN_VALUE
        ? new StreamRecord<>(value)
        : new StreamRecord<>(value, timestamp);
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

  private void onGoal(WorldModelInput in, long timestamp) throws Exception {
    cancelGoalWait();
    if (!in.active) {
      warmPlan.clear();
      warmSequence.clear();
      newestPlans.remove(in.streamId);
      goal.clear();
      nextGoal.clear();
      queue.remove(in.streamId);
      return;
    }
    String stream = streamSpace.value();
    GoalMemory g = goalMemory(in, latentSpace);
    if (stream != null && !stream.equals(latentSpace)) {
      // A goal in another latent space than the stream's latents: it waits for them.
      nextGoal.update(g);
      GoalMemory current = goal.value();
      if (current != null && !current.goalId.equals(g.goalId)) {
        goal.clear();
        queue.remove(in.streamId);
      }
      goalsParked.inc();
      return;
    }
    warmPlan.clear();
    warmSequence.clear();
    newestPlans.remove(in.streamId);
    GoalMemory n = nextGoal.value();
    if (n != null && !n.goalId.equals(g.goalId)) {
      nextGoal.clear();
    }
    goal.update(g);
    long now = getProcessingTimeService().getCurrentProcessingTime();
    long wait = goalWait(now);
    if (wait > 0) {
      goalPlanDue.update(now + wait);
      goalTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + wait);
      goalPlansWaited.inc();
      return;
    }
    planOnNewest(in.streamId, g, timestamp);
  }

  /** Plans toward {@code g} from the stream's newest latent, if it has one. */
  private void planOnNewest(String streamId, GoalMemory g, long timestamp) throws Exception {
    float[] latest = latestLatent();
    Long last = latestSequence.value();
    if (latest != null && last != null) {
      Long t = latestTimeUs.value();
      requestPlan(streamId, g, latest, last, t == null ? 0 : t, timestamp);
    }
  }

  /**
   * How long a new goal waits for the stream's next latent: 0 when waiting is off, the stream has
   * no latent or no frame interval yet, or its next latent is overdue; else until 1.5 frame
   * intervals after the newest latent arrived, at most {@code planner.goal.wait}.
   */
  private long goalWait(long now) throws Exception {
    Long arrived = latestArrivalMs.value();
    Double interval = frameIntervalMs.value();
    if (goalWaitMs <= 0 || arrived == null || interval == null) {
      return 0;
    }
    long due = arrived + Math.round(1.5 * interval);
    return due <= now ? 0 : Math.min(goalWaitMs, due - now);
  }

  private void cancelGoalWait() throws Exception {
    Long due = goalPlanDue.value();
    if (due != null) {
      goalTimers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, due);
      goalPlanDue.clear();
    }
  }

  /** A new goal's wait for the next latent is over: plan from the newest latent there is. */
  private final class GoalPlanTrigger implements Triggerable<String, VoidNamespace> {
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
      Long due = goalPlanDue.value();
      if (due == null || timer.getTimestamp() < due) {
        return;
      }
      goalPlanDue.clear();
      GoalMemory g = goal.value();
      if (g != null) {
        planOnNewest(timer.getKey(), g, Long.MIN_VALUE);
      }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
      // processing time only
    }
  }

  private void requestPlan(
      String streamId, GoalMemory g, float[] z, long sequence, long timeUs, long timestamp)
      throws Exception {
    Long ws = warmSequence.value();
    PlanJob job =
        new PlanJob(
            latentSpace,
            g.goalId,
            g.latent,
            z.clone(),
            sequence,
            timeUs,
            timestamp,
            warmPlan.value(),
            ws == null ? Long.MIN_VALUE : ws);
    plansSkipped.inc(queue.offer(streamId, job));
  }

  /**
   * A planner thread: takes its share of the waiting requests (at most {@code planner.plan.batch}),
   * plans those of each latent space together, hands each plan to the task thread.
   */
  private void planLoop(int index) {
    lowerPriority();
    while (true) {
      List<PlanQueue.Taken<PlanJob>> taken;
      try {
        taken = queue.take(planBatch);
      } catch (InterruptedException e) {
        return;
      }
      if (taken.isEmpty()) {
        return;
      }
      Map<String, List<PlanQueue.Taken<PlanJob>>> bySpace = new LinkedHashMap<>();
      for (PlanQueue.Taken<PlanJob> t : taken) {
        bySpace.computeIfAbsent(t.request().space(), k -> new ArrayList<>()).add(t);
      }
      for (Map.Entry<String, List<PlanQueue.Taken<PlanJob>>> e : bySpace.entrySet()) {
        List<PlanQueue.Taken<PlanJob>> group = e.getValue();
        List<Finished> finished = new ArrayList<>(group.size());
        try {
          Loaded m = models.get(e.getKey());
          if (m == null) {
            throw new PlannerException("no model loaded for latent space " + e.getKey());
          }
          List<PlanResult> results = plan(m.planners.get(index), m.adim, group);
          for (int i = 0; i < group.size(); i++) {
            finished.add(new Finished(group.get(i), results.get(i), null, group.size()));
          }
        } catch (RuntimeException | Error err) {
          finished.clear();
          for (PlanQueue.Taken<PlanJob> t : group) {
            finished.add(new Finished(t, null, err, group.size()));
          }
        }
        for (Finished f : finished) {
          try {
            mailbox.execute(() -> emitPlan(f), "emit plan");
          } catch (RejectedExecutionException rejected) {
            // The task is shutting down; the plan is worth nothing now.
            queue.settled();
          } finally {
            queue.done(f.taken().stream());
          }
        }
      }
    }
  }

  /**
   * Lowers this planner thread's CPU priority by {@code planner.plan.niceness}, so that when the
   * cores are all busy the frames' path (encoders, this task thread, the sinks) goes first.
   */
  private void lowerPriority() {
    int increment = options.get(PlannerOptions.PLAN_NICENESS);
    if (increment > 0) {
      OptionalInt now = ThreadPriority.lowerCurrentThread(increment);
      if (now.isPresent()) {
        LOG.debug("{} at niceness {}", Thread.currentThread().getName(), now.getAsInt());
      }
    }
  }

  /**
   * Plans for requests of one latent space together, each warm-started from its stream's newest
   * plan.
   */
  private List<PlanResult> plan(Planner planner, int adim, List<PlanQueue.Taken<PlanJob>> taken) {
    List<PlanRequest> requests = new ArrayList<>(taken.size());
    for (PlanQueue.Taken<PlanJob> t : taken) {
      PlanJob job = t.request();
      float[] warm = job.warm();
      long warmSeq = job.warmSequence();
      WarmPlan newest = newestPlans.get(t.stream());
      if (newest != null && newest.goalId().equals(job.goalId()) && newest.sequence() > warmSeq) {
        warm = newest.actions();
        warmSeq = newest.sequence();
      }
      PlanRequest request = PlanRequest.of(job.start(), job.goal());
      if (warm != null && warm.length >= adim && warm.length % adim == 0) {
        request = request.withWarmStart(warmStart(warm, adim, warmSeq, job.sequence()));
      }
      requests.add(request);
    }
    List<PlanResult> results = planner.planAll(requests);
    for (int i = 0; i < taken.size(); i++) {
      PlanJob job = taken.get(i).request();
      newestPlans.put(
          taken.get(i).stream(),
          new WarmPlan(job.goalId(), job.sequence(), flatten(results.get(i))));
    }
    return results;
  }

  /**
   * The rows of a plan made at frame {@code from} that a warm start for frame {@code to} should
   * see: the planners shift a warm start by one step, so the rows before frame {@code to - 1} go.
   */
  private static float[][] warmStart(float[] flat, int adim, long from, long to) {
    int rows = flat.length / adim;
    int drop = (int) Math.max(0, Math.min(rows - 1, to - from - 1));
    float[][] warm = new float[rows - drop][adim];
    for (int t = 0; t < warm.length; t++) {
      System.arraycopy(flat, (t + drop) * adim, warm[t], 0, adim);
    }
    return warm;
  }

  private static float[] flatten(PlanResult r) {
    int adim = r.horizon() == 0 ? 0 : r.actions()[0].length;
    float[] flat = new float[r.horizon() * adim];
    for (int t = 0; t < r.horizon(); t++) {
      System.arraycopy(r.actions()[t], 0, flat, t * adim, adim);
    }
    return flat;
  }

  /** Emits a finished plan (task thread), unless its stream's goal changed meanwhile. */
  private void emitPlan(Finished f) throws Exception {
    try {
      emitOrDrop(f);
    } finally {
      queue.settled();
    }
  }

  private void emitOrDrop(Finished f) throws Exception {
    if (f.error() != null) {
      if (f.error() instanceof RuntimeException re) {
        throw re;
      }
      throw new PlannerException("the planner failed: " + f.error(), f.error());
    }
    PlanQueue.Taken<PlanJob> taken = f.taken();
    PlanJob job = taken.request();
    setCurrentKey(taken.stream());
    GoalMemory g = goal.value();
    Long ws = warmSequence.value();
    String stream = streamSpace.value();
    if (g == null
        || !g.goalId.equals(job.goalId())
        || (ws != null && ws > job.sequence())
        || (stream != null && !stream.equals(job.space()))) {
      plansDropped.inc();
      return;
    }
    PlanResult r = f.result();
    warmPlan.update(flatten(r));
    warmSequence.update(job.sequence());
    long now = getProcessingTimeService().getCurrentProcessingTime();
    Plan plan =
        r.toAvro(
            taken.stream(),
            taken.stream() + "/" + job.goalId() + "/" + job.sequence(),
            job.goalId(),
            now * 1000L,
            job.sequence());
    plan.setBasedOnTimeUs(job.timeUs());
    plan.getStats().setSkipped(taken.skipped());
    double queuedMs = Math.max(0, (System.nanoTime() - taken.offeredNanos()) / 1e6 - r.elapsedMs());
    plan.getStats().setQueuedMs(queuedMs);
    output.collect(PLANS, record(plan, job.timestamp()));
    plansEmitted.inc();
    planMs.update(Math.round(r.elapsedMs()));
    planBatchSizes.update(f.together());
    planLatencyMs.update((System.nanoTime() - taken.offeredNanos()) / 1_000_000);
  }

  /** The actions a stream is expected to take after frame {@code sequence}. */
  private float[][] expectedActions(boolean planning, long sequence) throws Exception {
    float[][] a = new float[predictHorizon][];
    float[] plan = planning ? warmPlan.value() : null;
    Long from = planning ? warmSequence.value() : null;
    if (plan != null && from != null && plan.length >= adim) {
      int rows = plan.length / adim;
      long shift = Math.max(0, sequence - from);
      for (int t = 0; t < predictHorizon; t++) {
        int row = (int) Math.min(rows - 1, t + shift);
        a[t] = Arrays.copyOfRange(plan, row * adim, (row + 1) * adim);
      }
      return a;
    }
    float[] last = executed.value();
    float[] held = last != null ? last : new float[adim];
    Arrays.fill(a, held);
    return a;
  }

  private static Prediction prediction(String streamId, Deferred d, float[][] future) {
    int n = future[0].length;
    float[] flat = new float[future.length * n];
    List<Integer> horizons = new ArrayList<>(future.length);
    for (int t = 0; t < future.length; t++) {
      System.arraycopy(future[t], 0, flat, t * n, n);
      horizons.add(t + 1);
    }
    return Prediction.newBuilder()
        .setStreamId(streamId)
        .setSequence(d.sequence())
        .setTimeUs(d.timeUs())
        .setModel(d.model())
        .setHorizons(horizons)
        .setPredicted(Tensors.tensor(flat, future.length, n))
        .setSurprise(d.raw())
        .setSurpriseNormalized(d.normalized())
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

  /**
   * Notes the stream's activity. One idle timer per stream at a time: when it fires early (the
   * stream was active since), it moves to the new deadline, so activity costs a state write, not a
   * timer deletion and registration per record.
   */
  private void touch() throws Exception {
    long now = getProcessingTimeService().getCurrentProcessingTime();
    lastSeen.update(now);
    if (idleDue.value() == null) {
      long due = now + idleMs;
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, due);
      idleDue.update(due);
    }
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    if (predictions != null && predictions.holds(timer.getKey())) {
      flushPredictions();
    }
    Long seen = lastSeen.value();
    if (seen == null) {
      return;
    }
    long due = seen + idleMs;
    if (timer.getTimestamp() >= due) {
      LOG.debug("stream {} idle for {} ms; clearing its working memory", timer.getKey(), idleMs);
      clearAll(timer.getKey());
    } else {
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, due);
      idleDue.update(due);
    }
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
    // The operator uses processing-time timers only.
  }

  private void clearAll(String streamId) {
    queue.remove(streamId);
    newestPlans.remove(streamId);
    recent.clear();
    latestSequence.clear();
    latestTimeUs.clear();
    pending.clear();
    executed.clear();
    goal.clear();
    nextGoal.clear();
    streamSpace.clear();
    warmPlan.clear();
    warmSequence.clear();
    surprise.clear();
    lastSeen.clear();
    idleDue.clear();
    latestArrivalMs.clear();
    frameIntervalMs.clear();
    goalPlanDue.clear();
  }

  private String check(WorldModelInput in, Loaded m) {
    select(m);
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

  /** Emits every plan still waiting or running (task thread), for a bounded input's end. */
  private void drain() throws Exception {
    while (queue.busy()) {
      mailbox.yield();
    }
  }

  @Override
  public void endInput() throws Exception {
    flushPredictions();
    drain();
  }

  /** The waiting predictions go out before the barrier: they belong to this checkpoint. */
  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flushPredictions();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  /** The waiting predictions go out before the watermark that would make them late. */
  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flushPredictions();
    super.processWatermark(mark);
  }

  @Override
  public void finish() throws Exception {
    flushPredictions();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      boolean idle = true;
      if (queue != null) {
        queue.close();
      }
      if (workers != null) {
        for (Thread t : workers) {
          try {
            t.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          idle &= !t.isAlive();
        }
        workers = null;
      }
      if (idle) {
        closeLoadedModels();
      } else {
        // Closing a session under a running plan could crash the JVM: leave them.
        LOG.error(
            "A plan was still running {} s after close; sessions left open", CLOSE_WAIT_SECONDS);
      }
    } finally {
      super.close();
    }
  }

  private void closeLoadedModels() {
    if (models != null) {
      models.values().forEach(Loaded::close);
      models = null;
    }
    model = null;
  }

  /** Holds the planner threads back (true) or lets them go (tests: a burst behind busy threads). */
  void holdPlanning(boolean hold) {
    queue.hold(hold);
  }

  /** Plan requests waiting now (tests). */
  int waitingPlans() {
    return queue.waiting();
  }

  /** true while a plan waits or runs (tests). */
  boolean planning() {
    return queue.busy();
  }

  /** The options this operator was built with. */
  public PlannerOptions options() {
    return options;
  }
}
