package io.foresight.deploy;

import io.foresight.runtime.Deployment;
import io.foresight.runtime.DeploymentState;
import io.foresight.runtime.ModelRuntimeException;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.runtime.StagedDeployment;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Base class of the job's operators that run a model and take deployments of new ones without a
 * restart: its first input is the operator's own, its optional second input the control stream of
 * {@link Deployment}s (broadcast to every subtask). The deployment lifecycle is the runtime's
 * {@link StagedDeployment} (admit, load, stage, switch at a barrier, discard, record); this class
 * wires it to Flink, and a subclass says only what a model is for it: how to {@link #load} one,
 * which encoder sha256 it is ({@link #modelSha256}), what a switch means ({@link #switched}) and,
 * when it keeps its models, {@link #retire}.
 *
 * <p>What it does in Flink's callbacks:
 *
 * <ul>
 *   <li>{@code initializeState}: the switched deployment is union list state named by the subclass
 *       (one line per subtask, {@link DeploymentState}); on a restore each subtask takes its own
 *       line, a subtask added by rescaling the newest switch of any subtask, and {@link
 *       #startModel} (called by the subclass in {@code open()}) reloads it, or runs the configured
 *       model when it no longer loads (an error in the log: a crash loop would help nobody).
 *   <li>{@code processElement2}: a deployment is loaded on the task thread, or refused on the side
 *       output given to the constructor with the reason (the subtask keeps its model): because
 *       checkpoints fail, or because it does not load.
 *   <li>{@code prepareSnapshotPreBarrier}: a staged model becomes the running one and {@link
 *       #switched} runs, before the barrier goes downstream; a subclass that buffers emits what it
 *       holds first (override, emit, then call this). {@code snapshotState} of the same checkpoint
 *       records the switch. A switch whose checkpoint then aborts stands and the next completed
 *       checkpoint records it; when the abort reaches the subtask before the barrier, the staged
 *       model switches at the next barrier.
 *   <li>{@code notifyCheckpointComplete}, {@code notifyCheckpointAborted} and the barriers feed the
 *       checkpoint health that refuses deployments while checkpoints fail.
 *   <li>The control input's watermarks and watermark status are ignored (it counts as idle for good
 *       from {@code open()}): the watermark and the idleness the operator passes on are its first
 *       input's alone, as with one input.
 * </ul>
 *
 * <p>A subclass calls {@code super} in the callbacks it overrides, {@link #startModel} in {@code
 * open()} and {@link #closeModels} in {@code close()} once no thread of its own uses the models.
 *
 * <pre>{@code
 * public final class MyOperator extends AbstractModelOperator<In, Out, MyModel> {
 *   public MyOperator() { super("my stage", "my-stage-deployment", REFUSED_DEPLOYMENTS); }
 *   public void open() throws Exception { super.open(); model = startModel(MyModel::configured); }
 *   protected MyModel load(Deployment d) { d.verify(); return MyModel.open(d.path()); }
 *   protected String modelSha256(MyModel m) { return m.encoderSha256(); }
 *   protected void switched(MyModel m, long checkpointId) { model = m; }
 *   public void processElement(StreamRecord<In> element) { ... }
 * }
 * }</pre>
 *
 * @param <IN> the operator's own input
 * @param <OUT> its output
 * @param <M> the loaded model
 */
public abstract class AbstractModelOperator<IN, OUT, M extends AutoCloseable>
    extends AbstractStreamOperator<OUT>
    implements OneInputStreamOperator<IN, OUT>, TwoInputStreamOperator<IN, Deployment, OUT> {
  private static final long serialVersionUID = 1L;

  private final String role;
  private final String stateName;
  private final OutputTag<RefusedDeployment> refusals;

  private transient ListState<String> deploymentState;
  private transient StagedDeployment<M> deployments;

  /**
   * @param role who refuses, with the subtask index: {@code encoder} makes {@code encoder subtask
   *     0}
   * @param stateName the union list state of the switched deployment (part of the savepoint format:
   *     never rename it)
   * @param refusals the side output of refused deployments
   */
  protected AbstractModelOperator(
      String role, String stateName, OutputTag<RefusedDeployment> refusals) {
    this.role = Objects.requireNonNull(role, "role");
    this.stateName = Objects.requireNonNull(stateName, "stateName");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
  }

  /**
   * Opens a deployment's model after checking it ({@link Deployment#verify()} first), on the task
   * thread.
   *
   * @throws RuntimeException whose message says what is wrong and what to do: the refusal's reason
   */
  protected abstract M load(Deployment d);

  /**
   * The encoder sha256 of {@code model}: a deployment of the model the subtask runs switches
   * nothing (and cancels a switch still waiting for its barrier).
   */
  protected abstract String modelSha256(M model);

  /**
   * The subtask now runs {@code model}, from barrier {@code checkpointId} on (task thread, before
   * the barrier goes downstream); the model it ran before was retired.
   */
  protected void switched(M model, long checkpointId) throws Exception {}

  /**
   * What becomes of a model the subtask no longer runs or stages: closed, unless a subclass keeps
   * its models (and closes them itself).
   */
  protected void retire(M model) {
    try {
      model.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ModelRuntimeException(role + ": closing a model it no longer uses failed: " + e, e);
    }
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    deploymentState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>(stateName, Types.STRING));
    deployments =
        StagedDeployment.<M>builder()
            .stage(role, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())
            .loader(this::load)
            .modelSha256(this::modelSha256)
            .retire(this::retire)
            .clock(() -> getProcessingTimeService().getCurrentProcessingTime())
            .build();
    if (context.isRestored()) {
      deployments.restore(deploymentState.get());
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    // The control input (second) never holds the event time back: see processWatermarkStatus.
    combinedWatermark.updateStatus(1, true);
  }

  /**
   * The model the subtask starts with (call it in {@code open()}): the restored deployment's, or
   * {@code configured}'s.
   */
  protected final M startModel(Supplier<? extends M> configured) {
    return deployments.start(configured);
  }

  /** The model the subtask runs now. */
  protected final M currentModel() {
    return deployments.model();
  }

  /** The deployment the subtask switched to or restored; empty while it runs the configured. */
  protected final Optional<Deployment> deployment() {
    return deployments.deployment();
  }

  /** Retires the running and the staged model (call it in {@code close()}). */
  protected final void closeModels() {
    if (deployments != null) {
      deployments.close();
    }
  }

  @Override
  public final void processElement1(StreamRecord<IN> element) throws Exception {
    processElement(element);
  }

  /** A deployment: load it now, switch at the next checkpoint barrier, or refuse it. */
  @Override
  public final void processElement2(StreamRecord<Deployment> element) {
    deployments
        .offer(element.getValue())
        .ifPresent(r -> output.collect(refusals, new StreamRecord<>(r)));
  }

  @Override
  public final void processWatermark2(Watermark mark) {
    // The control input's event time says nothing about the operator's own input.
  }

  /**
   * The control input counts as idle for good (set in {@code open()}), so the watermark and the
   * idleness this operator passes on are its first input's alone, as with one input.
   */
  @Override
  protected final void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
    if (index == 0) {
      super.processWatermarkStatus(status, index);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    if (deployments.barrier(checkpointId)) {
      switched(deployments.model(), checkpointId);
    }
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    deployments.completed(checkpointId);
    super.notifyCheckpointComplete(checkpointId);
  }

  @Override
  public void notifyCheckpointAborted(long checkpointId) throws Exception {
    deployments.aborted(checkpointId);
    super.notifyCheckpointAborted(checkpointId);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    deploymentState.update(deployments.snapshot());
  }
}
