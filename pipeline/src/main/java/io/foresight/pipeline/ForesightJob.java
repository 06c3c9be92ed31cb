package io.foresight.pipeline;

import io.foresight.encoders.flink.EncodeRequest;
import io.foresight.encoders.flink.EncodedFrame;
import io.foresight.encoders.flink.FrameEncoderOperator;
import io.foresight.pipeline.internal.DecodeFunction;
import io.foresight.pipeline.internal.GoalEncodeOperator;
import io.foresight.pipeline.internal.ReadingAligner;
import io.foresight.pipeline.internal.RejectedInputs;
import io.foresight.pipeline.internal.Validators;
import io.foresight.planner.WorldModelInput;
import io.foresight.planner.WorldModelOperator;
import io.foresight.runtime.Deployment;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelDeployment;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.schemas.avro.SurpriseEvent;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Foresight job: sensor topics in; latents, predictions, surprise events, plans and dead
 * letters out. It takes its sources and sinks in its constructor, so that tests can inject their
 * own.
 *
 * <pre>
 * frames ──decode──► encoder (micro-batches across streams) ─┬─► align readings ──► latents
 * readings ──decode────────────────────────────────────────────│──────┘
 *                                                              ▼
 * actions ──decode───────────────────────────────────────┐   latent
 * goals ──decode + encode goal images ───────────────────┴──► world model (keyed by stream)
 *                                                                    ├► predictions
 *                                                                    ├► surprise
 *                                                                    └► plans (planner threads)
 * control (model deployments) ──decode──broadcast──► encoder, goal encoder, world model
 * every refused record and refused deployment ─────────────────────────► dead letters
 * </pre>
 *
 * <p>A model is deployed without a restart by a {@code ModelDeployment} on {@code
 * foresight.control} ({@code foresight models deploy}): the frame encoder, the goal encoder and the
 * world model load it on every subtask and switch at the next checkpoint barrier (see {@link
 * FrameEncoderOperator} for why a restore then repeats the same switch). The control topic is read
 * like the others (committed offsets of the job's group, else {@code job.starting.offsets}): a job
 * started from scratch with the earliest offsets replays every deployment and ends on the newest.
 *
 * <pre>{@code
 * JobConfig config = JobConfig.of(Map.of("kafka.bootstrap.servers", "localhost:9092"));
 * new ForesightJob(ForesightJob.kafkaSources(config), ForesightJob.kafkaSinks(config), config).build(env);
 * env.execute("foresight");
 * }</pre>
 */
public final class ForesightJob {

  /** Opens one input as a stream of raw records (Kafka in production, anything in tests). */
  @FunctionalInterface
  public interface RawSource extends Serializable {
    DataStream<RawRecord> open(StreamExecutionEnvironment env, String name);
  }

  /**
   * The job's inputs; {@code control} (model deployments) may be null: the job then runs its
   * configured models only.
   */
  public record Sources(
      RawSource frames, RawSource readings, RawSource actions, RawSource goals, RawSource control) {
    /** Inputs without a control topic. */
    public Sources(RawSource frames, RawSource readings, RawSource actions, RawSource goals) {
      this(frames, readings, actions, goals, null);
    }
  }

  /** The job's outputs. */
  public record Sinks(
      Sink<LatentState> latents,
      Sink<Prediction> predictions,
      Sink<SurpriseEvent> surprise,
      Sink<Plan> plans,
      Sink<DeadLetter> deadLetters) {}

  private final Sources sources;
  private final Sinks sinks;
  private final JobConfig config;

  public ForesightJob(Sources sources, Sinks sinks, JobConfig config) {
    this.sources = sources;
    this.sinks = sinks;
    this.config = config;
  }

  /** Kafka sources for the four input topics. */
  public static Sources kafkaSources(JobConfig config) {
    long outOfOrderMs = config.job().get(JobOptions.OUT_OF_ORDERNESS).toMillis();
    // Readings only feed the latents topic (committed at checkpoints), so their fetches may wait
    // to fill; frames, actions (surprise needs them before the next frame) and goals are fetched
    // at once.
    return new Sources(
        kafka(config, Topics.FRAMES, outOfOrderMs, false),
        kafka(config, Topics.READINGS, outOfOrderMs, true),
        kafka(config, Topics.ACTIONS, outOfOrderMs, false),
        kafka(config, Topics.GOALS, outOfOrderMs, false),
        (env, name) ->
            env.fromSource(
                    KafkaConnectors.source(config.job(), Topics.CONTROL, false),
                    WatermarkStrategy.noWatermarks(),
                    name)
                .setParallelism(1)
                .uid("source-" + Topics.CONTROL));
  }

  private static RawSource kafka(
      JobConfig config, String topic, long outOfOrderMs, boolean batched) {
    return (env, name) ->
        env.fromSource(
                KafkaConnectors.source(config.job(), topic, batched),
                WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(
                        Duration.ofMillis(outOfOrderMs))
                    .withTimestampAssigner((r, ts) -> r.timestampMs())
                    .withIdleness(Duration.ofSeconds(5)),
                name)
            .uid("source-" + topic);
  }

  /** Kafka sinks for the five output topics, with the configured delivery guarantees. */
  public static Sinks kafkaSinks(JobConfig config) {
    DeliveryGuarantee g = KafkaConnectors.guarantee(config.job().get(JobOptions.DELIVERY));
    DeliveryGuarantee pg = KafkaConnectors.guarantee(config.job().get(JobOptions.PLANS_DELIVERY));
    var s = config.job();
    return new Sinks(
        KafkaConnectors.sink(
            s,
            Topics.LATENTS,
            LatentState.class,
            KafkaConnectors.streamIdKey(LatentState::getStreamId),
            g),
        KafkaConnectors.sink(
            s,
            Topics.PREDICTIONS,
            Prediction.class,
            KafkaConnectors.streamIdKey(Prediction::getStreamId),
            g),
        KafkaConnectors.sink(
            s,
            Topics.SURPRISE,
            SurpriseEvent.class,
            KafkaConnectors.streamIdKey(SurpriseEvent::getStreamId),
            g),
        KafkaConnectors.sink(
            s, Topics.PLANS, Plan.class, KafkaConnectors.streamIdKey(Plan::getStreamId), pg),
        KafkaConnectors.sink(
            s,
            Topics.DEADLETTER,
            DeadLetter.class,
            KafkaConnectors.<DeadLetter>streamIdKey(
                d ->
                    d.getKey() == null
                        ? ""
                        : java.nio.charset.StandardCharsets.UTF_8
                            .decode(d.getKey().duplicate())
                            .toString()),
            g));
  }

  /** Adds the job's operators to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    var job = config.job();
    TypeInformation<LatentState> latentType = new AvroTypeInfo<>(LatentState.class);
    TypeInformation<SensorReading> readingType = new AvroTypeInfo<>(SensorReading.class);

    // 0. model deployments, broadcast to the encoders and the world model
    SingleOutputStreamOperator<Deployment> deployments = null;
    if (sources.control() != null) {
      deployments =
          sources
              .control()
              .open(env, "control")
              .process(
                  new DecodeFunction<ModelDeployment, Deployment>(
                      ModelDeployment.class,
                      (d, raw) -> Deployment.of(d, raw.partition(), raw.offset())))
              .setParallelism(1)
              .returns(TypeInformation.of(Deployment.class))
              .name("decode deployments")
              .uid("decode-deployments");
    }

    // 1. frames: decode + validate, then encode in micro-batches across streams
    SingleOutputStreamOperator<EncodeRequest> requests =
        sources
            .frames()
            .open(env, "frames")
            .process(
                new DecodeFunction<CameraFrame, EncodeRequest>(
                    CameraFrame.class,
                    (f, raw) -> {
                      Validators.frame(f, raw);
                      return EncodeRequest.of(f, raw.topic(), raw.partition(), raw.offset());
                    }))
            .returns(TypeInformation.of(EncodeRequest.class))
            .name("decode frames")
            .uid("decode-frames");
    // A stable uid: the encoder checkpoints the deployment it switched to.
    SingleOutputStreamOperator<EncodedFrame> encoded =
        (deployments == null
                ? FrameEncoderOperator.apply(
                    requests.keyBy(EncodeRequest::streamId), config.encoder())
                : FrameEncoderOperator.apply(
                    requests.keyBy(EncodeRequest::streamId), deployments, config.encoder()))
            .uid("encode-frames");

    // 2. latents with the readings aligned to them (for the latents topic and the memory)
    SingleOutputStreamOperator<LatentState> encodedLatents =
        encoded
            .map(EncodedFrame::toLatentState)
            .returns(latentType)
            .name("to latent state")
            .uid("to-latent-state");
    SingleOutputStreamOperator<SensorReading> readings =
        sources
            .readings()
            .open(env, "readings")
            .process(
                new DecodeFunction<SensorReading, SensorReading>(
                    SensorReading.class,
                    (r, raw) -> {
                      Validators.reading(r, raw);
                      return r;
                    }))
            .returns(readingType)
            .name("decode readings")
            .uid("decode-readings");
    SingleOutputStreamOperator<LatentState> latents =
        encodedLatents
            .keyBy(LatentState::getStreamId)
            .connect(readings.keyBy(SensorReading::getStreamId))
            .process(
                new ReadingAligner(
                    job.get(JobOptions.READINGS_TOLERANCE),
                    job.get(JobOptions.READINGS_MAX_WAIT),
                    job.get(JobOptions.IDLE_TIMEOUT)))
            .returns(latentType)
            .name("align readings")
            .uid("align-readings");
    latents.sinkTo(sinks.latents()).name("latents sink").uid("sink-latents");

    // 3. the world model, keyed by stream: latents, executed actions, goal latents. It takes the
    // latents straight from the encoder: it needs no readings, and a plan must not wait for them.
    SingleOutputStreamOperator<WorldModelInput> actions =
        sources
            .actions()
            .open(env, "actions")
            .process(
                new DecodeFunction<ActionCommand, WorldModelInput>(
                    ActionCommand.class,
                    (a, raw) -> {
                      Validators.action(a, raw);
                      return WorldModelInput.action(a);
                    }))
            .returns(TypeInformation.of(WorldModelInput.class))
            .name("decode actions")
            .uid("decode-actions");
    // Goals are keyed by stream so that the goal stage can keep each stream's goal image and
    // re-encode it when a deployment switches the encoder.
    TypeInformation<WorldModelInput> inputType = TypeInformation.of(WorldModelInput.class);
    var goalRecords = sources.goals().open(env, "goals").keyBy(RawRecord::keyString);
    var goalEncoder = new GoalEncodeOperator(config.encoder());
    SingleOutputStreamOperator<WorldModelInput> goals =
        (deployments == null
                ? goalRecords.transform("encode goals", inputType, goalEncoder)
                : goalRecords
                    .connect(deployments.broadcast())
                    .transform("encode goals", inputType, goalEncoder))
            .name("encode goals")
            .uid("encode-goals");
    var worldModelInputs =
        encodedLatents
            .map(WorldModelInput::latent)
            .returns(inputType)
            .name("latent input")
            .uid("latent-input")
            .union(actions, goals)
            .keyBy(in -> in.streamId);
    SingleOutputStreamOperator<Prediction> predictions =
        (deployments == null
                ? WorldModelOperator.apply(worldModelInputs, config.planner())
                : WorldModelOperator.apply(worldModelInputs, deployments, config.planner()))
            .returns(new AvroTypeInfo<>(Prediction.class))
            .name("world model")
            .uid("world-model");
    predictions.sinkTo(sinks.predictions()).name("predictions sink").uid("sink-predictions");
    predictions
        .getSideOutput(WorldModelOperator.SURPRISE)
        .sinkTo(sinks.surprise())
        .name("surprise sink")
        .uid("sink-surprise");
    predictions
        .getSideOutput(WorldModelOperator.PLANS)
        .sinkTo(sinks.plans())
        .name("plans sink")
        .uid("sink-plans");

    // 4. every refused record, with its reason
    DataStream<DeadLetter> deadLetters =
        requests
            .getSideOutput(DeadLetters.TAG)
            .union(
                encoded
                    .getSideOutput(FrameEncoderOperator.DECODE_FAILURES)
                    .map(f -> f.toDeadLetter(System.currentTimeMillis() * 1000))
                    .returns(new AvroTypeInfo<>(DeadLetter.class))
                    .name("frame decode failures")
                    .uid("frame-decode-failures"),
                readings.getSideOutput(DeadLetters.TAG),
                actions.getSideOutput(DeadLetters.TAG),
                goals.getSideOutput(DeadLetters.TAG),
                predictions
                    .getSideOutput(WorldModelOperator.REJECTED)
                    .map(RejectedInputs::toDeadLetter)
                    .returns(new AvroTypeInfo<>(DeadLetter.class))
                    .name("rejected by the world model")
                    .uid("world-model-rejected"),
                encoded
                    .getSideOutput(FrameEncoderOperator.REFUSED_DEPLOYMENTS)
                    .union(
                        goals.getSideOutput(GoalEncodeOperator.REFUSED_DEPLOYMENTS),
                        predictions.getSideOutput(WorldModelOperator.REFUSED_DEPLOYMENTS))
                    .map(ForesightJob::refused)
                    .returns(new AvroTypeInfo<>(DeadLetter.class))
                    .name("refused deployments")
                    .uid("refused-deployments"));
    if (deployments != null) {
      deadLetters = deadLetters.union(deployments.getSideOutput(DeadLetters.TAG));
    }
    deadLetters.sinkTo(sinks.deadLetters()).name("dead-letter sink").uid("sink-deadletter");
  }

  /** A deployment one subtask refused, as a dead letter on the control topic's record. */
  static DeadLetter refused(RefusedDeployment r) {
    Deployment d = r.deployment();
    ModelDeployment avro =
        ModelDeployment.newBuilder()
            .setDeploymentId(d.id())
            .setModelDir(d.dir())
            .setModelName(d.name())
            .setModelVersion(d.version())
            .setEncoderSha256(d.encoderSha256())
            .setPredictorSha256(d.predictorSha256())
            .setRequestedAtUs(d.requestedAtUs())
            .build();
    return DeadLetters.of(
        new RawRecord(
            Topics.CONTROL,
            d.sourcePartition(),
            d.sourceOffset(),
            System.currentTimeMillis(),
            d.id().getBytes(java.nio.charset.StandardCharsets.UTF_8),
            AvroCodec.of(ModelDeployment.class).encode(avro)),
        "deploy (" + r.stage() + ")",
        r.reason(),
        "REFUSED_DEPLOYMENT");
  }
}
