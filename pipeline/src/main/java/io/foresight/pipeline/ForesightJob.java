package io.foresight.pipeline;

import io.foresight.encoders.flink.EncodeRequest;
import io.foresight.encoders.flink.EncodedFrame;
import io.foresight.encoders.flink.FrameEncoderOperator;
import io.foresight.pipeline.internal.DecodeFunction;
import io.foresight.pipeline.internal.GoalEncodeFunction;
import io.foresight.pipeline.internal.ReadingAligner;
import io.foresight.pipeline.internal.RejectedInputs;
import io.foresight.pipeline.internal.Validators;
import io.foresight.planner.WorldModelInput;
import io.foresight.planner.WorldModelOperator;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
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
 * every refused record ──────────────────────────────────────────────► dead letters
 * </pre>
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

  /** The job's inputs. */
  public record Sources(RawSource frames, RawSource readings, RawSource actions, RawSource goals) {}

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
        kafka(config, Topics.GOALS, outOfOrderMs, false));
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
    SingleOutputStreamOperator<EncodedFrame> encoded =
        FrameEncoderOperator.apply(requests.keyBy(EncodeRequest::streamId), config.encoder());

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
    SingleOutputStreamOperator<WorldModelInput> goals =
        sources
            .goals()
            .open(env, "goals")
            .process(new GoalEncodeFunction(config.encoder()))
            .returns(TypeInformation.of(WorldModelInput.class))
            .name("encode goals")
            .uid("encode-goals");
    SingleOutputStreamOperator<Prediction> predictions =
        WorldModelOperator.apply(
                encodedLatents
                    .map(WorldModelInput::latent)
                    .returns(TypeInformation.of(WorldModelInput.class))
                    .name("latent input")
                    .uid("latent-input")
                    .union(actions, goals)
                    .keyBy(in -> in.streamId),
                config.planner())
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
                    .uid("world-model-rejected"));
    deadLetters.sinkTo(sinks.deadLetters()).name("dead-letter sink").uid("sink-deadletter");
  }
}
