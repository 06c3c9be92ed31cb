package io.foresight.planner;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.foresight.runtime.Device;
import io.foresight.runtime.ModelRuntimeException;
import io.foresight.runtime.ModelSession;
import io.foresight.runtime.ModelSessions;
import io.foresight.runtime.ProviderSelection;
import io.foresight.runtime.SessionSpec;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The action-conditioned latent predictor of a shipped world model ({@code predictor.onnx}: {@code
 * latents [B,D]}, {@code actions [B,A]} -> {@code next_latents [B,D]}) with batched multi-step
 * rollouts.
 *
 * <p>A rollout of {@code B} sequences over {@code H} steps is {@code H} calls of the predictor on
 * one batch. The whole trajectory lives in one direct, native-order buffer: step {@code t} reads
 * slice {@code t} and writes slice {@code t + 1} through ONNX Runtime tensors created once over
 * those slices (inputs and pinned outputs), so nothing is copied or allocated between steps.
 *
 * <pre>{@code
 * try (WorldModel model = WorldModel.builder(ModelCard.load(dir)).maxBatch(512).build()) {
 *   Planner cem = CemPlanner.builder(model).build();
 * }
 * }</pre>
 *
 * <p>The predictor's session comes from the runtime's {@link ModelSessions}: world models of the
 * same file, device and threads in a JVM (one per Flink subtask) share one session, and the device
 * follows the {@link Device} rules ({@code auto} falls back to the CPU with an INFO line, an
 * explicit {@code cuda:N} fails if CUDA cannot start).
 *
 * <p>Calls are synchronized: share one instance between threads only if they may wait for each
 * other.
 */
public final class WorldModel implements Dynamics, AutoCloseable {
  private static final int MAX_CACHED_BATCH_SIZES = 16;

  private final ModelCard card;
  private final ModelSession lease;
  private final OrtSession session;
  private final String latentsName;
  private final String actionsName;
  private final String outputName;
  private final int dim;
  private final int adim;
  private final int maxBatch;
  private final int maxHorizon;
  private final float[] low;
  private final float[] high;
  private final FloatBuffer lat;
  private final FloatBuffer act;
  private final LinkedHashMap<Integer, Slots> slots = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  private WorldModel(Builder b) {
    this.card = b.card;
    this.dim = card.latentSize();
    this.adim = card.action().dim();
    this.low = card.action().low().clone();
    this.high = card.action().high().clone();
    this.maxBatch = b.maxBatch;
    this.maxHorizon = b.maxHorizon;
    Path file = card.file("predictor");
    try {
      this.lease =
          ModelSessions.acquire(
              SessionSpec.builder(file)
                  .sha256(card.fileInfo("predictor").sha256())
                  .device(b.device)
                  .deviceOption("planner.device")
                  .intraOpThreads(b.threads)
                  .interOpThreads(1)
                  .build());
    } catch (ModelRuntimeException e) {
      throw new PlannerException(e.getMessage(), e);
    }
    this.session = lease.session();
    try {
      ModelCard.ModelFile info = card.fileInfo("predictor");
      List<String> ins =
          info.inputs().isEmpty() ? new ArrayList<>(session.getInputNames()) : info.inputs();
      List<String> outs =
          info.outputs().isEmpty() ? new ArrayList<>(session.getOutputNames()) : info.outputs();
      if (ins.size() != 2 || outs.isEmpty()) {
        throw new PlannerException(
            "predictor "
                + file
                + " must take (latents, actions) and give next latents; it takes "
                + ins
                + " and gives "
                + outs);
      }
      this.latentsName = ins.get(0);
      this.actionsName = ins.get(1);
      this.outputName = outs.get(0);
      checkShape(session.getInputInfo().get(latentsName), dim, "latents input", file);
      checkShape(session.getInputInfo().get(actionsName), adim, "actions input", file);
      checkShape(session.getOutputInfo().get(outputName), dim, "output", file);
    } catch (OrtException e) {
      releaseSession();
      throw new PlannerException("Error reading the inputs of predictor " + file, e);
    } catch (RuntimeException e) {
      releaseSession();
      throw e;
    }
    this.lat = Tensors.directFloats((maxHorizon + 1) * maxBatch * dim);
    this.act = Tensors.directFloats(maxHorizon * maxBatch * adim);
  }

  /** A builder for the model of a card (its {@code predictor} file). */
  public static Builder builder(ModelCard card) {
    return new Builder(card);
  }

  /** Opens the predictor of the model in {@code modelDir} with default settings. */
  public static WorldModel open(Path modelDir) {
    return builder(ModelCard.load(modelDir)).build();
  }

  /** Opens the world model {@code options} name, with buffers for the planner's batches. */
  public static WorldModel open(PlannerOptions options) {
    return open(
        options,
        Math.max(options.get(PlannerOptions.MAX_BATCH), options.get(PlannerOptions.SAMPLES)));
  }

  /**
   * Opens the world model {@code options} name with rollout buffers for at most {@code maxBatch}
   * sequences (1 for a session that only predicts one stream's future).
   */
  public static WorldModel open(PlannerOptions options, int maxBatch) {
    int horizon =
        Math.max(options.get(PlannerOptions.HORIZON), options.get(PlannerOptions.PREDICT_HORIZON));
    return builder(ModelCard.load(options.modelDir()))
        .device(options.get(PlannerOptions.DEVICE))
        .threads(options.get(PlannerOptions.THREADS))
        .maxBatch(maxBatch)
        .maxHorizon(Math.max(32, horizon))
        .build();
  }

  /** The model card. */
  public ModelCard card() {
    return card;
  }

  /** The device asked for and the one that runs the predictor ({@code cpu} or {@code cuda:N}). */
  public ProviderSelection provider() {
    return lease.selection();
  }

  @Override
  public int latentDim() {
    return dim;
  }

  @Override
  public int actionDim() {
    return adim;
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }

  @Override
  public int maxHorizon() {
    return maxHorizon;
  }

  @Override
  public float[] actionLow() {
    return low.clone();
  }

  @Override
  public float[] actionHigh() {
    return high.clone();
  }

  @Override
  public synchronized void step(float[] latents, float[] actions, int batch, float[] out) {
    checkBatch(batch, 1);
    Slots s = slots(batch);
    lat.put(0, latents, 0, batch * dim);
    act.put(0, actions, 0, batch * adim);
    run(s, 0);
    lat.get(batch * dim, out, 0, batch * dim);
  }

  @Override
  public synchronized void rollout(
      float[] start, int batch, int horizon, float[] actions, float[] out) {
    checkBatch(batch, horizon);
    if (start.length != dim) {
      throw new PlannerException(
          "start latent has " + start.length + " floats but the model's latents have " + dim);
    }
    rolloutGroups(start, 1, batch, horizon, actions, out);
  }

  @Override
  public synchronized void rolloutGroups(
      float[] starts, int groups, int batch, int horizon, float[] actions, float[] out) {
    checkBatch(batch, horizon);
    Dynamics.checkGroups(starts, groups, batch, dim);
    Slots s = slots(batch);
    int per = batch / groups;
    for (int b = 0; b < batch; b++) {
      lat.put(b * dim, starts, (b / per) * dim, dim);
    }
    act.put(0, actions, 0, horizon * batch * adim);
    for (int t = 0; t < horizon; t++) {
      run(s, t);
    }
    lat.get(batch * dim, out, 0, horizon * batch * dim);
  }

  /**
   * Predicted latents after each of {@code actions.length} steps from one latent: {@code
   * [steps][latentDim]}.
   */
  public float[][] predict(float[] start, float[][] actions) {
    int h = actions.length;
    float[] flat = new float[h * adim];
    for (int t = 0; t < h; t++) {
      if (actions[t].length != adim) {
        throw new PlannerException(
            "action " + t + " has " + actions[t].length + " values; the model takes " + adim);
      }
      System.arraycopy(actions[t], 0, flat, t * adim, adim);
    }
    float[] out = new float[h * dim];
    rollout(start, 1, h, flat, out);
    float[][] rows = new float[h][];
    for (int t = 0; t < h; t++) {
      rows[t] = java.util.Arrays.copyOfRange(out, t * dim, (t + 1) * dim);
    }
    return rows;
  }

  private void run(Slots s, int t) {
    try (OrtSession.Result ignored = session.run(s.inputs.get(t), s.outputs.get(t))) {
      // The output was written into the pinned slice t + 1; nothing to read here.
    } catch (OrtException e) {
      throw new PlannerException(
          "Error running predictor " + card.file("predictor") + ": " + e.getMessage(), e);
    }
  }

  private void checkBatch(int batch, int horizon) {
    if (closed) {
      throw new PlannerException("world model " + card.name() + " is closed");
    }
    if (batch < 1 || batch > maxBatch) {
      throw new PlannerException(
          "batch "
              + batch
              + " is outside [1, "
              + maxBatch
              + "]; raise the world model's max batch");
    }
    if (horizon < 1 || horizon > maxHorizon) {
      throw new PlannerException(
          "horizon "
              + horizon
              + " is outside [1, "
              + maxHorizon
              + "]; raise the world model's max horizon");
    }
  }

  private Slots slots(int batch) {
    Slots s = slots.get(batch);
    if (s == null) {
      s = new Slots(batch);
      slots.put(batch, s);
      if (slots.size() > MAX_CACHED_BATCH_SIZES) {
        Iterator<Map.Entry<Integer, Slots>> it = slots.entrySet().iterator();
        it.next().getValue().close();
        it.remove();
      }
    }
    return s;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    slots.values().forEach(Slots::close);
    slots.clear();
    releaseSession();
  }

  private void releaseSession() {
    lease.close();
  }

  private static void checkShape(NodeInfo node, int expected, String what, Path file) {
    if (node == null || !(node.getInfo() instanceof TensorInfo ti)) {
      throw new PlannerException("predictor " + file + " has no tensor " + what);
    }
    long[] shape = ti.getShape();
    if (shape.length != 2 || shape[1] != expected) {
      throw new PlannerException(
          "predictor "
              + file
              + " "
              + what
              + " has shape "
              + java.util.Arrays.toString(shape)
              + " but the model card implies [batch, "
              + expected
              + "]; the card and the model do not belong together");
    }
  }

  /** ONNX tensors over the slices of the trajectory buffers for one batch size, made once. */
  private final class Slots implements AutoCloseable {
    final List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
    final List<Map<String, OnnxTensor>> outputs = new ArrayList<>();
    final List<OnnxTensor> all = new ArrayList<>();

    Slots(int batch) {
      OrtEnvironment env = ModelSessions.environment();
      try {
        OnnxTensor[] latents = new OnnxTensor[maxHorizon + 1];
        for (int t = 0; t <= maxHorizon; t++) {
          latents[t] = tensor(env, lat, t * batch * dim, batch, dim);
        }
        for (int t = 0; t < maxHorizon; t++) {
          OnnxTensor a = tensor(env, act, t * batch * adim, batch, adim);
          inputs.add(Map.of(latentsName, latents[t], actionsName, a));
          outputs.add(Map.of(outputName, latents[t + 1]));
        }
      } catch (OrtException e) {
        close();
        throw new PlannerException("Error creating rollout tensors for batch " + batch, e);
      }
    }

    private OnnxTensor tensor(OrtEnvironment env, FloatBuffer buf, int offset, int rows, int cols)
        throws OrtException {
      FloatBuffer slice = buf.slice(offset, rows * cols);
      OnnxTensor t = OnnxTensor.createTensor(env, slice, new long[] {rows, cols});
      all.add(t);
      return t;
    }

    @Override
    public void close() {
      all.forEach(OnnxTensor::close);
      all.clear();
    }
  }

  /** Builds a {@link WorldModel}. */
  public static final class Builder {
    private final ModelCard card;
    private int maxBatch = 1024;
    private int maxHorizon = 32;
    private Device device = Device.CPU;
    private int threads = 0;

    private Builder(ModelCard card) {
      this.card = Objects.requireNonNull(card, "card");
    }

    /** The largest batch of a rollout (default 1024); sets the buffer size. */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    /** The longest rollout (default 32). */
    public Builder maxHorizon(int maxHorizon) {
      this.maxHorizon = maxHorizon;
      return this;
    }

    /** The device (default {@link Device#CPU}); see {@link Device} for auto and cuda:N. */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /**
     * The device as text ({@code auto}, {@code cpu}, {@code cuda}, {@code cuda:N}), parsed by
     * {@link Device#parse}.
     */
    public Builder device(String device) {
      try {
        return device(Device.parse(device));
      } catch (IllegalArgumentException e) {
        throw new PlannerException(e.getMessage() + " (planner.device)", e);
      }
    }

    /** ONNX Runtime intra-op threads (default 0: its own choice, one per core). */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Validates and opens the predictor. */
    public WorldModel build() {
      if (maxBatch < 1 || maxHorizon < 1) {
        throw new PlannerException(
            "max batch and max horizon must be >= 1, got " + maxBatch + " and " + maxHorizon);
      }
      long floats = (long) (maxHorizon + 1) * maxBatch * card.latentSize();
      if (floats * Float.BYTES > Integer.MAX_VALUE) {
        throw new PlannerException(
            "max batch "
                + maxBatch
                + " x max horizon "
                + maxHorizon
                + " needs more than 2 GiB of rollout buffer; lower one of them");
      }
      if (threads < 0) {
        throw new PlannerException("threads must be >= 0, got " + threads);
      }
      return new WorldModel(this);
    }
  }
}
