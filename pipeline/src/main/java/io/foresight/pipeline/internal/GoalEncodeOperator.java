package io.foresight.pipeline.internal;

import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.LatentBatch;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.pipeline.DeadLetters;
import io.foresight.pipeline.RawRecord;
import io.foresight.planner.WorldModelInput;
import io.foresight.runtime.CheckpointHealth;
import io.foresight.runtime.Deployment;
import io.foresight.runtime.DeploymentState;
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
import java.util.Optional;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Turns goals into goal latents for the world-model operator, keyed by stream: latent goals pass
 * through, goal images are encoded with the same encoder as the frames (goals are rare, so one at a
 * time). Goals that do not decode, validate or encode go to the dead-letter topic.
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
 * anything is loaded, as in the frame encoder. A switch made at a barrier whose checkpoint then
 * aborts stands (its re-encoded goals were emitted) and the next completed checkpoint records it;
 * when the abort comes before the barrier, the loaded encoder switches at the next barrier.
 */
public final class GoalEncodeOperator extends AbstractStreamOperator<WorldModelInput>
    implements TwoInputStreamOperator<RawRecord, Deployment, WorldModelInput>,
        OneInputStreamOperator<RawRecord, WorldModelInput> {
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
  private transient ValueState<byte[]> goalImage;
  private transient ListState<String> deploymentState;
  private transient Deployment restored;
  private transient Deployment active;
  private transient long activeSince;
  private transient Deployment staged;
  private transient OnnxFrameEncoder stagedEncoder;
  private transient CheckpointHealth health;

  public GoalEncodeOperator(EncoderOptions options) {
    this.options = options;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    deploymentState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>("goal-encoder-deployment", Types.STRING));
    if (context.isRestored()) {
      restored =
          DeploymentState.choose(
                  deploymentState.get(), getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())
              .orElse(null);
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    // The control input (second) never holds the event time back: see processWatermarkStatus.
    combinedWatermark.updateStatus(1, true);
    codec = AvroCodec.of(Goal.class);
    if (restored != null) {
      try {
        encoder = load(restored);
        active = restored;
      } catch (RuntimeException e) {
        LOG.error(
            "goal encoder cannot reload the checkpointed deployment {}: {}; it runs the configured"
                + " model",
            restored.describe(),
            e.getMessage());
      }
    }
    if (encoder == null) {
      encoder = OnnxFrameEncoder.builder().options(options).batchSize(1).build();
    }
    batch = encoder.newBatch();
    goalImage = getRuntimeContext().getState(GOAL_IMAGE);
    health = new CheckpointHealth();
  }

  private OnnxFrameEncoder load(Deployment d) {
    d.verify();
    OnnxFrameEncoder e =
        OnnxFrameEncoder.builder()
            .options(
                options.toBuilder().set(EncoderOptions.MODEL_DIR, Optional.of(d.path())).build())
            .batchSize(1)
            .build();
    if (!e.modelRef().getSha256().equalsIgnoreCase(d.encoderSha256())) {
      e.close();
      throw new ContractException(
          "deployment "
              + d.id()
              + " announced encoder "
              + d.encoderSha256()
              + " but "
              + d.dir()
              + " holds "
              + e.modelRef().getSha256());
    }
    return e;
  }

  @Override
  public void close() throws Exception {
    try {
      if (encoder != null) {
        encoder.close();
        encoder = null;
      }
      if (stagedEncoder != null) {
        stagedEncoder.close();
        stagedEncoder = null;
      }
    } finally {
      super.close();
    }
  }

  @Override
  public void processElement(StreamRecord<RawRecord> element) throws Exception {
    processElement1(element);
  }

  @Override
  public void processElement1(StreamRecord<RawRecord> element) throws Exception {
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
      batch.add(encoder.newDecoder(), img.getEncoding(), img.getWidth(), img.getHeight(), data);
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

  @Override
  public void processElement2(StreamRecord<Deployment> element) throws Exception {
    Deployment d = element.getValue();
    if (d.encoderSha256().equalsIgnoreCase(encoder.modelRef().getSha256())) {
      discardStaged();
      return;
    }
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    Optional<RefusedDeployment> unhealthy =
        health.refuse(d, "goal encoder subtask " + subtask, now());
    if (unhealthy.isPresent()) {
      LOG.warn(
          "goal encoder subtask {} refused {}: {}",
          subtask,
          d.describe(),
          unhealthy.get().reason());
      output.collect(REFUSED_DEPLOYMENTS, new StreamRecord<>(unhealthy.get()));
      return;
    }
    OnnxFrameEncoder loaded;
    try {
      loaded = load(d);
    } catch (RuntimeException e) {
      LOG.warn("goal encoder subtask {} refused {}: {}", subtask, d.describe(), e.getMessage());
      output.collect(
          REFUSED_DEPLOYMENTS,
          new StreamRecord<>(
              new RefusedDeployment(
                  d, "goal encoder subtask " + subtask, String.valueOf(e.getMessage()))));
      return;
    }
    discardStaged();
    staged = d;
    stagedEncoder = loaded;
  }

  private void discardStaged() {
    if (stagedEncoder != null) {
      stagedEncoder.close();
    }
    stagedEncoder = null;
    staged = null;
  }

  @Override
  public void processWatermark2(Watermark mark) {
    // The control input's event time says nothing about the goals'.
  }

  /**
   * The control input counts as idle for good (set in {@code open()}), so the watermark and the
   * idleness this operator passes on are its first input's alone, as with one input.
   */
  @Override
  protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
    if (index == 0) {
      super.processWatermarkStatus(status, index);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    health.barrier(checkpointId, now());
    if (staged != null) {
      OnnxFrameEncoder old = encoder;
      encoder = stagedEncoder;
      batch = encoder.newBatch();
      active = staged;
      activeSince = checkpointId;
      stagedEncoder = null;
      staged = null;
      old.close();
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
        } catch (RuntimeException e) {
          LOG.warn(
              "a kept goal image does not encode with {}: {}", active.describe(), e.getMessage());
        }
      }
      LOG.info(
          "goal encoder switched to {} at checkpoint {}; {} goal image(s) re-encoded",
          active.describe(),
          checkpointId,
          kept.size());
    }
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    health.completed(checkpointId, now());
    super.notifyCheckpointComplete(checkpointId);
  }

  @Override
  public void notifyCheckpointAborted(long checkpointId) throws Exception {
    health.aborted(checkpointId, now());
    super.notifyCheckpointAborted(checkpointId);
  }

  private long now() {
    return getProcessingTimeService().getCurrentProcessingTime();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    List<String> lines = new ArrayList<>(1);
    if (active != null) {
      lines.add(
          DeploymentState.encode(
              getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), activeSince, active));
    }
    deploymentState.update(lines);
  }
}
