package io.foresight.pipeline.internal;

import io.foresight.deploy.AbstractModelOperator;
import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.FrameDecoder;
import io.foresight.encoders.LatentBatch;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.pipeline.DeadLetters;
import io.foresight.pipeline.RawRecord;
import io.foresight.planner.WorldModelInput;
import io.foresight.runtime.CheckpointHealth;
import io.foresight.runtime.Deployment;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ContractException;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Turns goals into goal latents for the world-model operator, keyed by stream: latent goals pass
 * through, goal images are encoded with the same encoder as the frames (goals are rare, so one at a
 * time, with one ONNX Runtime thread: the task thread's). Goals that do not decode, validate or
 * encode go to the dead-letter topic.
 *
 * <p>Its second input is the control stream of model deployments (broadcast). Like the frame
 * encoder it loads an announced encoder at once (refusals on {@link #REFUSED_DEPLOYMENTS}, the old
 * encoder kept) and switches at the next checkpoint barrier, recorded in union list state in that
 * checkpoint. It keeps each stream's newest active goal image in keyed state ({@code goal-image},
 * the goal's Avro bytes), and at the switch re-encodes every kept goal with the new encoder and
 * emits it before the barrier: the world model then has the goal in the new latent space before the
 * first latent of the new model reaches it, and a restore from that checkpoint holds both the
 * switch and the re-encoded goals. Goals given as latents cannot be re-encoded: the stream has to
 * send a new goal after a deployment of another latent space.
 *
 * <p>A deployment that arrives while checkpoints fail (the newest outcome an abort, or none
 * completed for a few intervals: {@link CheckpointHealth}) is refused with that reason before
 * anything is loaded, as in the frame encoder (both are {@link AbstractModelOperator}s, which hold
 * the deployment lifecycle of every operator on the control stream; this one adds the goal
 * re-encoding at the switch). A switch made at a barrier whose checkpoint then aborts stands (its
 * re-encoded goals were emitted) and the next completed checkpoint records it; when the abort comes
 * before the barrier, the loaded encoder switches at the next barrier.
 */
public final class GoalEncodeOperator
    extends AbstractModelOperator<RawRecord, WorldModelInput, OnnxFrameEncoder> {
  private static final long serialVersionUID = 1L;

  /** Deployments this subtask could not load, with the reason. */
  public static final OutputTag<RefusedDeployment> REFUSED_DEPLOYMENTS =
      new OutputTag<>("goal-refused-deployments", TypeInformation.of(RefusedDeployment.class));

  private static final ValueStateDescriptor<byte[]> GOAL_IMAGE =
      new ValueStateDescriptor<>(
          "goal-image", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  private final EncoderOptions options;
  private transient AvroCodec<Goal> codec;
  private transient OnnxFrameEncoder encoder;
  private transient FrameBatch batch;

  /** The encoder's decoder, made with the batch and reused for every goal image. */
  private transient FrameDecoder decoder;

  private transient ValueState<byte[]> goalImage;

  public GoalEncodeOperator(EncoderOptions options) {
    super("goal encoder", "goal-encoder-deployment", REFUSED_DEPLOYMENTS);
    this.options = options;
  }

  @Override
  public void open() throws Exception {
    super.open();
    codec = AvroCodec.of(Goal.class);
    encoder = startModel(() -> builder().build());
    batch = encoder.newBatch();
    decoder = encoder.newDecoder();
    goalImage = getRuntimeContext().getState(GOAL_IMAGE);
  }

  /** Opens the encoder of a deployment after checking it; throws with the reason. */
  @Override
  protected OnnxFrameEncoder load(Deployment d) {
    return builder().deployment(d).build();
  }

  /**
   * The goal encoder's settings: one goal at a time, on the task thread (one intra-op thread), so
   * no ONNX Runtime thread pool waits, or spins, between goals that come a few times a second.
   */
  private OnnxFrameEncoder.Builder builder() {
    return OnnxFrameEncoder.builder().options(options).batchSize(1).threads(1);
  }

  @Override
  protected String modelSha256(OnnxFrameEncoder e) {
    return e.modelRef().getSha256();
  }

  @Override
  public void close() throws Exception {
    try {
      closeModels();
      encoder = null;
    } finally {
      super.close();
    }
  }

  @Override
  public void processElement(StreamRecord<RawRecord> element) throws Exception {
    RawRecord raw = element.getValue();
    try {
      Goal g = codec.decode(raw.value());
      Validators.goal(g, raw);
      if (!g.getActive()) {
        goalImage.clear();
        output.collect(
            new StreamRecord<>(
                WorldModelInput.cancelGoal(g.getStreamId(), g.getGoalId(), g.getTimeUs())));
        return;
      }
      WorldModelInput in = encode(g);
      if (g.getTarget() instanceof GoalImage) {
        goalImage.update(raw.value());
      } else {
        goalImage.clear();
      }
      output.collect(new StreamRecord<>(in));
    } catch (RuntimeException e) {
      // ContractException (bad record), FrameDecodeException (bad image), EncoderException
      output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.of(raw, "goal", e)));
    }
  }

  private WorldModelInput encode(Goal g) {
    float[] latent;
    if (g.getTarget() instanceof Tensor t) {
      latent = Tensors.values(t);
      if (latent.length != encoder.latentSize()) {
        throw new ContractException(
            "the goal latent has "
                + latent.length
                + " values but the model's latent has "
                + encoder.latentSize());
      }
    } else {
      GoalImage img = (GoalImage) g.getTarget();
      ByteBuffer b = img.getData().duplicate();
      byte[] data = new byte[b.remaining()];
      b.get(data);
      batch.clear();
      batch.add(decoder, img.getEncoding(), img.getWidth(), img.getHeight(), data);
      LatentBatch lb = encoder.encode(batch);
      latent = lb.latent(0);
    }
    return WorldModelInput.goal(
        g.getStreamId(),
        g.getGoalId(),
        g.getTimeUs(),
        latent,
        g.getTolerance(),
        encoder.modelRef());
  }

  /**
   * The new encoder runs from this barrier on: every kept goal image is encoded with it and emitted
   * before the barrier.
   */
  @Override
  protected void switched(OnnxFrameEncoder e, long checkpointId) throws Exception {
    encoder = e;
    batch = encoder.newBatch();
    decoder = encoder.newDecoder();
    Deployment active = deployment().orElseThrow();
    List<byte[]> kept = new ArrayList<>();
    getKeyedStateBackend()
        .applyToAllKeys(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            GOAL_IMAGE,
            (key, state) -> {
              byte[] v = state.value();
              if (v != null) {
                kept.add(v);
              }
            });
    for (byte[] v : kept) {
      try {
        output.collect(new StreamRecord<>(encode(codec.decode(v))));
      } catch (RuntimeException ex) {
        LOG.warn(
            "a kept goal image does not encode with {}: {}", active.describe(), ex.getMessage());
      }
    }
    LOG.info(
        "goal encoder switched to {} at checkpoint {}; {} goal image(s) re-encoded",
        active.describe(),
        checkpointId,
        kept.size());
  }
}
