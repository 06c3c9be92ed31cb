package io.foresight.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model one subtask of the job runs and the one it has staged to switch to: the deployment
 * lifecycle that every operator on the control stream shares (the frame encoder, the goal encoder,
 * the world model), whatever a model is for it ({@code M}: an encoder session, a predictor with its
 * planners). It is plain Java; the operator feeds it from Flink's callbacks, each a one-line
 * delegation, and keeps only what is its own (what to do with the model it switched to).
 *
 * <p>The lifecycle, per subtask:
 *
 * <ol>
 *   <li><b>Restore</b> ({@link #restore}, in {@code initializeState} when restored): the lines of
 *       the union list state name the deployment this subtask had switched to ({@link
 *       DeploymentState#choose}: its own line, or for a subtask added by rescaling the newest
 *       switch of any subtask). {@link #start} (in {@code open()}) loads it; a restored deployment
 *       that no longer loads is logged as an error and the subtask runs the configured model (a
 *       crash loop would help nobody).
 *   <li><b>Admit</b> ({@link #offer}, for each {@link Deployment} of the control input): a
 *       deployment of the model the subtask runs is ignored and discards a staged one (that is how
 *       a deploy of the running model cancels a pending switch). Any other deployment is refused
 *       while checkpoints fail ({@link CheckpointHealth}: nothing is loaded and the subtask keeps
 *       its models, the staged one included). A deployment of the staged model loads nothing again.
 *   <li><b>Load</b>: the loader opens the model on the task thread, after its own checks (it starts
 *       with {@link Deployment#verify()}); an unchecked exception becomes a {@link
 *       RefusedDeployment} whose reason is the exception's message, which says what is wrong and
 *       what to do, and the subtask keeps its models.
 *   <li><b>Stage</b>: the loaded model waits for the next checkpoint barrier and replaces (and
 *       retires) a model staged before it.
 *   <li><b>Switch</b> ({@link #barrier}, in {@code prepareSnapshotPreBarrier}): at barrier {@code
 *       n} the staged model becomes the running one, the old one is retired, and {@link #snapshot}
 *       (in {@code snapshotState} of that same checkpoint {@code n}) records the switch. A switch
 *       whose checkpoint then aborts ({@link #aborted}) stands: what went out after the barrier was
 *       made with the new model, and the snapshot of the next completed checkpoint records it; a
 *       failure before that restores the checkpoint before the switch and replays the control
 *       record, which switches again at the first barrier after the restore. When the abort reaches
 *       the subtask before the barrier (Flink then skips that barrier here), the staged model stays
 *       staged and switches at the next barrier: a staged model is never dropped because of an
 *       abort, since other subtasks may have switched already.
 *   <li><b>Close</b> ({@link #close}): the running and the staged model are retired.
 * </ol>
 *
 * <p>To retire a model is to close it, unless the builder says otherwise ({@link Builder#retire}):
 * the world model keeps every model it loaded (a rollback needs no reload) and closes them itself.
 *
 * <pre>{@code
 * StagedDeployment<OnnxFrameEncoder> deployments =
 *     StagedDeployment.<OnnxFrameEncoder>builder()
 *         .stage("encoder", subtask)                  // refusals say "encoder subtask 0"
 *         .loader(this::load)                         // verify, open, check; throws with the reason
 *         .modelSha256(e -> e.modelRef().getSha256()) // what a deployment is matched on
 *         .clock(() -> getProcessingTimeService().getCurrentProcessingTime())
 *         .build();
 * deployments.restore(unionState.get());                  // initializeState, when restored
 * encoder = deployments.start(() -> openConfigured());    // open
 * deployments.offer(d).ifPresent(refusal -> ...);         // processElement2
 * if (deployments.barrier(checkpointId)) { encoder = deployments.model(); } // pre-barrier
 * unionState.update(deployments.snapshot());              // snapshotState
 * }</pre>
 *
 * <p>Not thread-safe: the operator calls it on its task thread only.
 *
 * @param <M> the loaded model
 */
public final class StagedDeployment<M extends AutoCloseable> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagedDeployment.class);

  private final String stage;
  private final int subtask;
  private final Function<Deployment, ? extends M> loader;
  private final Function<? super M, String> modelSha256;
  private final Consumer<? super M> retire;
  private final LongSupplier clock;
  private final CheckpointHealth health = new CheckpointHealth();

  private Deployment restored;
  private M model;
  private Deployment deployment;
  private long since;
  private M staged;
  private Deployment stagedDeployment;

  private StagedDeployment(Builder<M> b) {
    this.stage = b.role + " subtask " + b.subtask;
    this.subtask = b.subtask;
    this.loader = b.loader;
    this.modelSha256 = b.modelSha256;
    this.retire = b.retire;
    this.clock = b.clock;
  }

  /** A builder; stage, loader, model sha256 and clock are required. */
  public static <M extends AutoCloseable> Builder<M> builder() {
    return new Builder<>();
  }

  /** Who refuses and logs, e.g. {@code encoder subtask 0}. */
  public String stage() {
    return stage;
  }

  /**
   * Takes the checkpointed lines of the union list state ({@link #snapshot} of every subtask) after
   * a restore; {@link #start} then loads the deployment they name for this subtask.
   */
  public void restore(Iterable<String> lines) {
    restored = DeploymentState.choose(lines, subtask).orElse(null);
  }

  /**
   * The model the subtask starts with: the restored deployment's, or when there is none or it no
   * longer loads (logged as an error), {@code configured}'s.
   */
  public M start(Supplier<? extends M> configured) {
    if (restored != null) {
      try {
        model = loader.apply(restored);
        deployment = restored;
        LOG.info("{} restored deployment {}", stage, restored.describe());
      } catch (RuntimeException e) {
        LOG.error(
            "{} cannot reload the checkpointed deployment {}: {}; it runs the configured model",
            stage,
            restored.describe(),
            e.getMessage());
      }
      restored = null;
    }
    if (model == null) {
      model = Objects.requireNonNull(configured.get(), "the configured model");
    }
    return model;
  }

  /**
   * A deployment from the control input: ignored, refused or loaded and staged (class description).
   *
   * @return the refusal to send to the dead-letter topic, or empty when nothing is refused
   */
  public Optional<RefusedDeployment> offer(Deployment d) {
    if (runs(model, d)) {
      LOG.info("{} already runs {}; nothing to switch", stage, d.describe());
      discardStaged();
      return Optional.empty();
    }
    Optional<RefusedDeployment> unhealthy = health.refuse(d, stage, clock.getAsLong());
    if (unhealthy.isPresent()) {
      LOG.warn("{} refused {}: {}", stage, d.describe(), unhealthy.get().reason());
      return unhealthy;
    }
    if (runs(staged, d)) {
      LOG.info("{} has {} loaded already; switching at the next checkpoint", stage, d.describe());
      stagedDeployment = d;
      return Optional.empty();
    }
    M loaded;
    try {
      loaded = Objects.requireNonNull(loader.apply(d), "the loader returned no model");
    } catch (RuntimeException e) {
      LOG.warn("{} refused {}: {}", stage, d.describe(), e.getMessage());
      return Optional.of(new RefusedDeployment(d, stage, String.valueOf(e.getMessage())));
    }
    discardStaged();
    staged = loaded;
    stagedDeployment = d;
    LOG.info("{} loaded {}; switching at the next checkpoint", stage, d.describe());
    return Optional.empty();
  }

  private boolean runs(M m, Deployment d) {
    return m != null && d.encoderSha256().equalsIgnoreCase(modelSha256.apply(m));
  }

  /**
   * The barrier of checkpoint {@code checkpointId} reached this subtask ({@code
   * prepareSnapshotPreBarrier}, after everything before the barrier was emitted): a staged model
   * becomes the running one and the old one is retired.
   *
   * @return whether the model switched (the operator then takes {@link #model()})
   */
  public boolean barrier(long checkpointId) {
    health.barrier(checkpointId, clock.getAsLong());
    if (staged == null) {
      return false;
    }
    M old = model;
    model = staged;
    deployment = stagedDeployment;
    since = checkpointId;
    staged = null;
    stagedDeployment = null;
    if (old != null) {
      retire.accept(old);
    }
    LOG.info("{} switched to {} at checkpoint {}", stage, deployment.describe(), checkpointId);
    return true;
  }

  /** Checkpoint {@code checkpointId} completed ({@code notifyCheckpointComplete}). */
  public void completed(long checkpointId) {
    health.completed(checkpointId, clock.getAsLong());
  }

  /**
   * Checkpoint {@code checkpointId} was aborted ({@code notifyCheckpointAborted}): later
   * deployments are refused until one completes; a switch already made stands and a staged model
   * stays staged (class description).
   */
  public void aborted(long checkpointId) {
    health.aborted(checkpointId, clock.getAsLong());
  }

  /**
   * This subtask's line for the union list state ({@code snapshotState}): the deployment it
   * switched to and the checkpoint it switched at; none while it runs the configured model.
   */
  public List<String> snapshot() {
    return deployment == null
        ? List.of()
        : List.of(DeploymentState.encode(subtask, since, deployment));
  }

  /** The model the subtask runs now. */
  public M model() {
    return model;
  }

  /** The deployment the subtask switched to (or restored), empty while it runs the configured. */
  public Optional<Deployment> deployment() {
    return Optional.ofNullable(deployment);
  }

  /** The deployment loaded and waiting for the next barrier, if any. */
  public Optional<Deployment> staged() {
    return Optional.ofNullable(stagedDeployment);
  }

  private void discardStaged() {
    if (staged != null) {
      M s = staged;
      staged = null;
      stagedDeployment = null;
      retire.accept(s);
    }
  }

  /** Retires the staged and the running model; call it only when no thread uses them any more. */
  @Override
  public void close() {
    try {
      discardStaged();
    } finally {
      if (model != null) {
        M m = model;
        model = null;
        retire.accept(m);
      }
    }
  }

  /** Builds a {@link StagedDeployment}; {@link #build()} says what is missing. */
  public static final class Builder<M extends AutoCloseable> {
    private String role;
    private int subtask = -1;
    private Function<Deployment, ? extends M> loader;
    private Function<? super M, String> modelSha256;
    private Consumer<? super M> retire = Builder::close;
    private LongSupplier clock;

    private Builder() {}

    /**
     * Who refuses: {@code role} and the subtask index make the {@link RefusedDeployment#stage()},
     * e.g. {@code encoder subtask 0}; the index also picks the line of a restore.
     */
    public Builder<M> stage(String role, int subtask) {
      this.role = role;
      this.subtask = subtask;
      return this;
    }

    /**
     * Opens a deployment's model after checking it ({@link Deployment#verify()} first); throws an
     * unchecked exception whose message says what is wrong and what to do.
     */
    public Builder<M> loader(Function<Deployment, ? extends M> loader) {
      this.loader = loader;
      return this;
    }

    /**
     * The encoder sha256 a model is (the latent space it makes or reads), matched against {@link
     * Deployment#encoderSha256()} ignoring case.
     */
    public Builder<M> modelSha256(Function<? super M, String> modelSha256) {
      this.modelSha256 = modelSha256;
      return this;
    }

    /** What to do with a model the subtask no longer runs or stages; closes it by default. */
    public Builder<M> retire(Consumer<? super M> retire) {
      this.retire = retire;
      return this;
    }

    /** Milliseconds now, for {@link CheckpointHealth} (the operator's processing time). */
    public Builder<M> clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /** The staged deployment; throws naming what is missing. */
    public StagedDeployment<M> build() {
      if (role == null || role.isBlank() || subtask < 0) {
        throw new IllegalStateException(
            "StagedDeployment needs stage(role, subtask) with a role and a subtask index >= 0");
      }
      if (loader == null || modelSha256 == null || clock == null || retire == null) {
        throw new IllegalStateException(
            "StagedDeployment needs loader(...), modelSha256(...) and clock(...) (retire(...) may"
                + " not be null)");
      }
      return new StagedDeployment<>(this);
    }

    private static void close(AutoCloseable m) {
      try {
        m.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new ModelRuntimeException("closing a model the subtask no longer uses failed", e);
      }
    }
  }
}
