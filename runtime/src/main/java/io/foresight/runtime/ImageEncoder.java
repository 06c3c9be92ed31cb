package io.foresight.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model card's encoder on a shared session: checks the model against its card ({@link
 * ModelContract}), runs batches of preprocessed NCHW frames and returns latents. The translator
 * seam of the runtime: {@link ImagePreprocessor} before, {@link #encode} in the middle, the caller
 * tags the latents. The encoders' {@code OnnxFrameEncoder} runs on it, and so does the planner's
 * goal and graph encoding (through {@link #encodeRgb8}).
 *
 * <p>{@link #encode} is thread-safe as long as each thread passes its own buffer; {@link
 * #encodeRgb8} uses this encoder's own buffer and is synchronized.
 *
 * <pre>{@code
 * try (ImageEncoder encoder =
 *     ImageEncoder.builder(card).session(s -> s.device(Device.AUTO)).maxBatch(64).build()) {
 *   float[] latent = encoder.encodeRgb8(rgb, 64, 64);
 * }
 * }</pre>
 */
public final class ImageEncoder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageEncoder.class);

  private final ModelCard card;
  private final ModelSession lease;
  private final ModelContract contract;
  private final int frameSize;
  private final int latentSize;
  private final int maxBatch;
  private final OrtEnvironment env;
  private ImagePreprocessor preprocessor;
  private FloatBuffer rgbBatch;

  /**
   * Output tensors that ONNX Runtime writes the latents into (pinned outputs), one set per call in
   * flight, reused across calls: without them every call made a Java tensor of the output through
   * JNI (class and method lookups by name) and copied it into a new direct buffer.
   */
  private final ConcurrentLinkedQueue<PinnedOutputs> pinned = new ConcurrentLinkedQueue<>();

  private volatile boolean closed;

  private ImageEncoder(Builder b, SessionSpec spec) {
    this.card = b.card;
    this.maxBatch = b.maxBatch;
    ModelCard.Input in = card.input();
    this.frameSize = in.channels() * in.height() * in.width();
    this.latentSize = card.latentSize();
    this.env = ModelSessions.environment();
    this.lease = ModelSessions.acquire(spec);
    try {
      this.contract = ModelContract.check(lease.session(), card, maxBatch, b.batchOption);
      if (lease.created() && b.warmupRuns > 0) {
        warmUp(b.warmupRuns);
      }
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /** A builder for the card's {@code encoder} file. */
  public static Builder builder(ModelCard card) {
    return new Builder(card);
  }

  /** The model card. */
  public ModelCard card() {
    return card;
  }

  /** The execution provider that actually runs the model, and any fallback. */
  public ProviderSelection provider() {
    return lease.selection();
  }

  /** The input and output names and the fixed batch, if any. */
  public ModelContract contract() {
    return contract;
  }

  /** The largest batch {@link #encode} takes. */
  public int maxBatch() {
    return maxBatch;
  }

  /** Floats per preprocessed frame. */
  public int frameSize() {
    return frameSize;
  }

  /** Floats per latent. */
  public int latentSize() {
    return latentSize;
  }

  /**
   * Encodes {@code count} preprocessed frames laid out NCHW from float 0 of {@code frames} into
   * {@code out} from {@code offset} ({@code count x latentSize()} floats). A direct, native-order
   * buffer is read in place; any other buffer is copied by ONNX Runtime. A model with a fixed batch
   * size runs on that many frames (the buffer must hold them) and the extra latents are dropped.
   */
  public void encode(FloatBuffer frames, int count, float[] out, int offset) {
    if (closed) {
      throw new IllegalStateException("encoder " + card.name() + " is closed");
    }
    if (count < 0 || count > maxBatch) {
      throw new IllegalArgumentException(
          "batch of " + count + " frames; this encoder takes 1.." + maxBatch);
    }
    if (count == 0) {
      return;
    }
    int run = contract.fixedBatch() > 0 ? (int) contract.fixedBatch() : count;
    if ((long) run * frameSize > frames.capacity()) {
      throw new IllegalArgumentException(
          "buffer of " + frames.capacity() + " floats holds fewer than " + run + " frames");
    }
    FloatBuffer view = frames.duplicate();
    view.clear().limit(run * frameSize);
    ModelCard.Input in = card.input();
    long[] shape = {run, in.channels(), in.height(), in.width()};
    PinnedOutputs outputs = pinned.poll();
    if (outputs == null) {
      outputs = new PinnedOutputs();
    }
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, view, shape);
        OrtSession.Result ignored =
            lease
                .session()
                .run(
                    Map.of(contract.inputName(), tensor),
                    Map.of(contract.outputName(), outputs.tensor(run)))) {
      FloatBuffer latents = outputs.buffer(run);
      latents.get(0, out, offset, count * latentSize);
    } catch (OrtException e) {
      throw new ModelRuntimeException(
          "Error running encoder "
              + card.file("encoder")
              + " on "
              + provider().actual()
              + " with a batch of "
              + count
              + ": "
              + e.getMessage(),
          e);
    } finally {
      // Back to the pool, unless close() ran meanwhile: then it may have drained the pool already.
      pinned.offer(outputs);
      if (closed && pinned.remove(outputs)) {
        outputs.close();
      }
    }
  }

  /** The most frames one call runs: the model's fixed batch, else {@link #maxBatch()}. */
  private int largestRun() {
    return contract.fixedBatch() > 0 ? (int) contract.fixedBatch() : maxBatch;
  }

  /**
   * One caller's output tensors, one per batch size it has run (created on first use), each over a
   * direct buffer of that many latents in the model card's shape ({@code [N, latent.shape...]},
   * which {@link ModelContract#check} checked against the model's output).
   */
  private final class PinnedOutputs implements AutoCloseable {
    private final OnnxTensor[] tensors = new OnnxTensor[largestRun() + 1];
    private final FloatBuffer[] buffers = new FloatBuffer[tensors.length];

    OnnxTensor tensor(int run) throws OrtException {
      if (tensors[run] == null) {
        int[] latent = card.latentShape();
        long[] shape = new long[latent.length + 1];
        shape[0] = run;
        for (int i = 0; i < latent.length; i++) {
          shape[i + 1] = latent[i];
        }
        FloatBuffer buffer = Tensors.directFloats(run * latentSize);
        tensors[run] = OnnxTensor.createTensor(env, buffer, shape);
        buffers[run] = buffer;
      }
      return tensors[run];
    }

    FloatBuffer buffer(int run) {
      return buffers[run];
    }

    @Override
    public void close() {
      for (int i = 0; i < tensors.length; i++) {
        if (tensors[i] != null) {
          tensors[i].close();
          tensors[i] = null;
        }
      }
    }
  }

  /** Encodes one RGB8 frame ({@code width * height * 3} bytes, row-major, interleaved). */
  public float[] encodeRgb8(byte[] rgb, int width, int height) {
    float[] out = new float[latentSize];
    encodeRgb8(List.of(rgb), width, height, out);
    return out;
  }

  /**
   * Preprocesses (see {@link ImagePreprocessor}) and encodes up to {@link #maxBatch()} RGB8 frames
   * of {@code width x height} into {@code out[i * latentSize() ...]}.
   */
  public synchronized void encodeRgb8(List<byte[]> frames, int width, int height, float[] out) {
    int n = frames.size();
    if (n < 1 || n > maxBatch) {
      throw new IllegalArgumentException(
          "batch of " + n + " frames; this encoder takes 1.." + maxBatch);
    }
    if (preprocessor == null) {
      preprocessor = ImagePreprocessor.forInput(card.input());
      int slots = largestRun();
      rgbBatch = Tensors.directFloats(slots * frameSize);
    }
    for (int i = 0; i < n; i++) {
      preprocessor.rgb8(frames.get(i), width, height, rgbBatch, i);
    }
    encode(rgbBatch, n, out, 0);
  }

  private void warmUp(int runs) {
    long start = System.nanoTime();
    int slots = largestRun();
    FloatBuffer zeros = Tensors.directFloats(slots * frameSize);
    float[] sink = new float[slots * latentSize];
    for (int i = 0; i < runs; i++) {
      encode(zeros, 1, sink, 0);
      encode(zeros, maxBatch, sink, 0);
    }
    LOG.info(
        "Encoder {} {}: warmed up with {} runs at batch 1 and {} in {} ms",
        card.name(),
        card.version(),
        runs,
        maxBatch,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Releases this encoder's lease on the shared session (the last one closes it). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      for (PinnedOutputs o; (o = pinned.poll()) != null; ) {
        o.close();
      }
      lease.close();
    }
  }

  /** Builds an {@link ImageEncoder}. */
  public static final class Builder {
    private final ModelCard card;
    private Consumer<SessionSpec.Builder> session = s -> {};
    private int maxBatch = 1;
    private String batchOption = "batch size";
    private int warmupRuns;

    private Builder(ModelCard card) {
      this.card = Objects.requireNonNull(card, "card");
    }

    /** Session settings (device, threads, CUDA options) on top of the card's file and hash. */
    public Builder session(Consumer<SessionSpec.Builder> session) {
      this.session = Objects.requireNonNull(session, "session");
      return this;
    }

    /** The largest batch (default 1). */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    /** The configuration key of the batch size, named in messages (e.g. encoder.batch.size). */
    public Builder batchOption(String key) {
      this.batchOption = Objects.requireNonNull(key, "key");
      return this;
    }

    /** Warm-up runs at batch 1 and the maximum when this encoder opens the session (default 0). */
    public Builder warmupRuns(int runs) {
      this.warmupRuns = runs;
      return this;
    }

    /** Validates, leases the session and checks the model against its card. */
    public ImageEncoder build() {
      if (maxBatch < 1) {
        throw new IllegalArgumentException(batchOption + " must be >= 1, got " + maxBatch);
      }
      if (warmupRuns < 0) {
        throw new IllegalArgumentException("warm-up runs must be >= 0, got " + warmupRuns);
      }
      SessionSpec.Builder spec =
          SessionSpec.builder(card.file("encoder")).sha256(card.fileInfo("encoder").sha256());
      session.accept(spec);
      return new ImageEncoder(this, spec.build());
    }
  }
}
