package io.foresight.encoders;

import io.foresight.runtime.CudnnConvAlgoSearch;
import io.foresight.runtime.Deployment;
import io.foresight.runtime.Device;
import io.foresight.runtime.ImageEncoder;
import io.foresight.runtime.ModelRuntimeException;
import io.foresight.runtime.ProviderSelection;
import io.foresight.schemas.ContractException;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.config.ConfigBuilder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs a shipped encoder (ONNX) on batches of decoded frames and returns latents tagged with the
 * model's reference, on CUDA where it can and on the CPU otherwise.
 *
 * <p>The builder loads the model card and checks the model file's hash; the runtime's {@link
 * ImageEncoder} checks the input and output names and shapes against the card and leases a session
 * shared by every encoder of the same model and settings in this JVM (the first one warms it up).
 * {@link #encode} is thread-safe as long as each thread fills its own {@link FrameBatch}.
 *
 * <pre>{@code
 * try (OnnxFrameEncoder encoder =
 *     OnnxFrameEncoder.builder().modelDir(Path.of("models/two-rooms")).device(Device.AUTO).build()) {
 *   FrameDecoder decoder = encoder.newDecoder();
 *   FrameBatch batch = encoder.newBatch();
 *   batch.add(decoder, frame);
 *   LatentBatch latents = encoder.encode(batch);
 *   LatentState state = latents.latentState(0, frame.getStreamId(), frame.getSequence(), t);
 * }
 * }</pre>
 */
public final class OnnxFrameEncoder implements AutoCloseable {
  private final ModelCard card;
  private final ModelRef modelRef;
  private final EncoderOptions options;
  private final ImageEncoder model;
  private final int frameSize;
  private final int latentSize;
  private final int maxBatch;

  private OnnxFrameEncoder(ModelCard card, EncoderOptions options, Device device) {
    this.card = card;
    this.options = options;
    this.modelRef = card.modelRef();
    this.maxBatch = options.batchSize();
    ModelCard.Input in = card.input();
    this.frameSize = in.channels() * in.height() * in.width();
    this.latentSize = card.latentSize();
    try {
      this.model =
          ImageEncoder.builder(card)
              .session(
                  s ->
                      s.device(device)
                          .deviceOption("encoder.device")
                          .intraOpThreads(options.threads())
                          .interOpThreads(options.interOpThreads())
                          .spinning(options.threadsSpin())
                          .cudaMemoryLimitBytes(options.cudaMemoryLimitBytes())
                          .cudnnConvAlgoSearch(
                              CudnnConvAlgoSearch.valueOf(options.cudnnConvAlgoSearch().name())))
              .maxBatch(maxBatch)
              .batchOption("encoder.batch.size")
              .warmupRuns(options.warmupRuns())
              .build();
    } catch (ModelRuntimeException e) {
      throw new EncoderException(e.getMessage(), e);
    }
  }

  /** A builder; the options default to {@link EncoderOptions#defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The model card of the encoder. */
  public ModelCard card() {
    return card;
  }

  /** The reference every latent of this encoder carries. */
  public ModelRef modelRef() {
    return modelRef;
  }

  /** The options the encoder was built with. */
  public EncoderOptions options() {
    return options;
  }

  /** The execution provider that actually runs the model, and any fallback. */
  public ProviderSelection provider() {
    return model.provider();
  }

  /** The largest batch {@link #encode} takes ({@code encoder.batch.size}). */
  public int maxBatchSize() {
    return maxBatch;
  }

  /** Floats per decoded frame. */
  public int frameSize() {
    return frameSize;
  }

  /** Floats per latent. */
  public int latentSize() {
    return latentSize;
  }

  /** A new decoder for this model's input, with this encoder's frame limits. */
  public FrameDecoder newDecoder() {
    return FrameDecoder.forInput(card.input(), options);
  }

  /** A new batch of {@link #maxBatchSize()} slots for this model's input. */
  public FrameBatch newBatch() {
    return FrameBatch.allocate(card.input(), maxBatch);
  }

  /** Encodes the frames of a batch (the batch is left as it is). */
  public LatentBatch encode(FrameBatch batch) {
    if (batch.frameSize() != frameSize) {
      throw new IllegalArgumentException(
          "batch holds frames of " + batch.frameSize() + " floats, this model takes " + frameSize);
    }
    return encode(batch.buffer(), batch.size());
  }

  /**
   * Encodes {@code count} frames laid out NCHW from float 0 of {@code frames}. A direct,
   * native-order buffer is read in place; any other buffer is copied by ONNX Runtime.
   */
  public LatentBatch encode(FloatBuffer frames, int count) {
    float[] out = new float[count * latentSize];
    encodeInto(frames, count, out, 0);
    return new LatentBatch(modelRef, card.latentShape(), count, out);
  }

  /**
   * Encodes {@code count} frames into {@code out} from {@code offset} ({@code count x latentSize()}
   * floats), without allocating a result.
   */
  public void encodeInto(FloatBuffer frames, int count, float[] out, int offset) {
    try {
      model.encode(frames, count, out, offset);
    } catch (ModelRuntimeException e) {
      throw new EncoderException(e.getMessage(), e);
    }
  }

  /** Releases this encoder's lease on the shared session (the last one closes it). */
  @Override
  public void close() {
    model.close();
  }

  /** Builds an {@link OnnxFrameEncoder}; setters override the options given to {@link #options}. */
  public static final class Builder {
    private EncoderOptions options = EncoderOptions.defaults();
    private ModelCard card;
    private Path modelDir;
    private Device device;
    private Integer batchSize;
    private Integer threads;
    private Integer warmupRuns;
    private Deployment deployment;

    private Builder() {}

    /** All options at once (model folder, device, batch size, threads, CUDA settings...). */
    public Builder options(EncoderOptions options) {
      this.options = options;
      return this;
    }

    /**
     * The folder with {@code model-card.json}; default: {@code encoder.model.dir}, else shipped.
     */
    public Builder modelDir(Path modelDir) {
      this.modelDir = modelDir;
      return this;
    }

    /** An already loaded model card (instead of a folder). */
    public Builder card(ModelCard card) {
      this.card = card;
      return this;
    }

    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** The largest batch (default {@code encoder.batch.size}). */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder warmupRuns(int warmupRuns) {
      this.warmupRuns = warmupRuns;
      return this;
    }

    /**
     * The model of a deployment (instead of a folder): {@link #build()} first checks it ({@link
     * Deployment#verify()}: directory, card, file hashes, announced hashes), then loads it from its
     * directory and checks that the encoder is the announced one.
     */
    public Builder deployment(Deployment deployment) {
      this.deployment = deployment;
      return this;
    }

    /**
     * Loads and checks the model and leases its session.
     *
     * @throws EncoderException (or, for a deployment that fails its check, the {@link
     *     io.foresight.runtime.ModelRuntimeException} of {@link Deployment#verify()}) saying what
     *     is wrong and how to fix it
     */
    public OnnxFrameEncoder build() {
      if (deployment == null) {
        return open(modelDir);
      }
      deployment.verify();
      OnnxFrameEncoder e = open(deployment.path());
      if (!e.modelRef().getSha256().equalsIgnoreCase(deployment.encoderSha256())) {
        e.close();
        throw new EncoderException(
            "deployment "
                + deployment.id()
                + " announced encoder "
                + deployment.encoderSha256()
                + " but the encoder loaded from "
                + deployment.dir()
                + " is "
                + e.modelRef().getSha256()
                + "; the directory changed after the deploy: deploy it again");
      }
      return e;
    }

    private OnnxFrameEncoder open(Path dir) {
      ConfigBuilder<EncoderOptions> b = options.toBuilder();
      if (dir != null) {
        b.set(EncoderOptions.MODEL_DIR, Optional.of(dir.toAbsolutePath()));
      }
      if (batchSize != null) {
        b.set(EncoderOptions.BATCH_SIZE, batchSize);
      }
      if (threads != null) {
        b.set(EncoderOptions.THREADS, threads);
      }
      if (warmupRuns != null) {
        b.set(EncoderOptions.WARMUP_RUNS, warmupRuns);
      }
      EncoderOptions o = b.build();
      ModelCard c = card;
      try {
        if (c == null) {
          c = ModelCard.load(o.modelDir().orElseGet(ModelCard::shippedDir));
        }
        if (o.verifyModel()) {
          Path file = c.file("encoder");
          String actual = ModelCard.sha256(file);
          if (!actual.equalsIgnoreCase(c.fileInfo("encoder").sha256())) {
            throw new EncoderException(
                "encoder file "
                    + file
                    + " has sha256 "
                    + actual
                    + " but its model card says "
                    + c.fileInfo("encoder").sha256()
                    + "; the file and the card do not belong together (re-export the model or"
                    + " fix the card; encoder.model.verify=false skips this check)");
          }
        }
      } catch (ContractException e) {
        throw new EncoderException("Error loading the encoder model: " + e.getMessage(), e);
      }
      // the device stays apart from the options: Flink's GPU assignment gives auto an index
      return new OnnxFrameEncoder(c, o, device != null ? device : o.device());
    }
  }
}
