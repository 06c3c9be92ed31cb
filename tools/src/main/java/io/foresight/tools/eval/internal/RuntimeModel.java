package io.foresight.tools.eval.internal;

import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.FrameDecoder;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.planner.WorldModel;
import io.foresight.runtime.Device;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.FrameEncoding;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * The shipped world model as the runtime runs it: frames through the encoders module's {@link
 * FrameDecoder} and {@link OnnxFrameEncoder}, latents through the planner module's {@link
 * WorldModel}. The evaluations use this, so they measure what the runtime computes, not PyTorch.
 */
public final class RuntimeModel implements AutoCloseable {
  private static final int ENCODE_BATCH = 128;
  private static final int PREDICT_BATCH = 1024;

  private final ModelCard card;
  private final OnnxFrameEncoder encoder;
  private final WorldModel predictor;
  private final FrameDecoder decoder;
  private final FrameBatch batch;
  private final int dim;
  private final int adim;
  private final float[] zIn;
  private final float[] aIn;
  private final float[] zOut;

  private RuntimeModel(ModelCard card, String device, int threads) {
    this.card = card;
    OnnxFrameEncoder.Builder eb =
        OnnxFrameEncoder.builder().card(card).device(Device.parse(device)).batchSize(ENCODE_BATCH);
    if (threads > 0) {
      eb.threads(threads);
    }
    this.encoder = eb.build();
    try {
      this.predictor =
          WorldModel.builder(card)
              .maxBatch(PREDICT_BATCH)
              .maxHorizon(1)
              .device(device)
              .threads(Math.max(0, threads))
              .build();
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
    this.decoder = encoder.newDecoder();
    this.batch = encoder.newBatch();
    this.dim = card.latentSize();
    this.adim = card.action().dim();
    this.zIn = new float[PREDICT_BATCH * dim];
    this.aIn = new float[PREDICT_BATCH * adim];
    this.zOut = new float[PREDICT_BATCH * dim];
  }

  /** Opens the model in {@code modelDir} on {@code device} ({@code cpu}, {@code auto}, ...). */
  public static RuntimeModel open(Path modelDir, String device, int threads) {
    return new RuntimeModel(ModelCard.load(modelDir), device, threads);
  }

  public ModelCard card() {
    return card;
  }

  /** Floats per latent. */
  public int latentDim() {
    return dim;
  }

  /** The execution provider of the encoder, as the encoders module reports it. */
  public String encoderProvider() {
    return String.valueOf(encoder.provider().actual());
  }

  /** The execution provider of the predictor. */
  public String predictorProvider() {
    return predictor.provider().actual().toString();
  }

  /**
   * Encodes {@code count} RGB8 frames of {@code width x height} stored back to back in {@code rgb}
   * from byte {@code offset}, into {@code out} from float {@code outOffset}.
   */
  public void encode(
      byte[] rgb, int offset, int count, int width, int height, float[] out, int outOffset) {
    int frameBytes = width * height * 3;
    FloatBuffer buf = batch.buffer();
    for (int done = 0; done < count; ) {
      int n = Math.min(ENCODE_BATCH, count - done);
      for (int i = 0; i < n; i++) {
        decoder.decode(
            FrameEncoding.RGB8,
            width,
            height,
            rgb,
            offset + (done + i) * frameBytes,
            frameBytes,
            buf,
            i);
      }
      encoder.encodeInto(buf, n, out, outOffset + done * dim);
      done += n;
    }
  }

  /**
   * One predictor step for {@code count} latent/action pairs: {@code out[i] = P(z[i], a[i])}
   * (arrays laid out row by row; {@code out} may be {@code z}).
   */
  public void predict(float[] z, float[] a, int count, float[] out) {
    for (int done = 0; done < count; ) {
      int n = Math.min(PREDICT_BATCH, count - done);
      System.arraycopy(z, done * dim, zIn, 0, n * dim);
      System.arraycopy(a, done * adim, aIn, 0, n * adim);
      predictor.step(zIn, aIn, n, zOut);
      System.arraycopy(zOut, 0, out, done * dim, n * dim);
      done += n;
    }
  }

  @Override
  public void close() {
    try {
      predictor.close();
    } finally {
      encoder.close();
    }
  }
}
