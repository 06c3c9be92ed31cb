package io.foresight.planner.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.foresight.planner.PlannerException;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal encoder for RGB8 frames held in memory (the closed-loop evaluation and graph building):
 * the model card's preprocessing and one ONNX Runtime session. The pipeline's encoder lives in the
 * encoders module; this one exists so the planner needs neither it nor Flink.
 */
public final class FrameEncoderLite implements AutoCloseable {
  private final OrtSession session;
  private final String inputName;
  private final int channels;
  private final int height;
  private final int width;
  private final int dim;
  private final int maxBatch;
  private final float[] mul;
  private final float[] add;
  private final int[] source;
  private final FloatBuffer input;

  /** An encoder for the card's {@code encoder} file, batches of up to {@code maxBatch} frames. */
  public FrameEncoderLite(ModelCard card, int maxBatch, int threads) {
    ModelCard.Input in = card.input();
    this.channels = in.channels();
    this.height = in.height();
    this.width = in.width();
    this.dim = card.latentSize();
    this.maxBatch = maxBatch;
    this.session = OnnxSessions.open(card.file("encoder"), "cpu", threads).session();
    List<String> names = card.fileInfo("encoder").inputs();
    this.inputName = names.isEmpty() ? session.getInputNames().iterator().next() : names.get(0);
    // value = (pixel / scale - mean) / std = pixel * mul + add
    this.mul = new float[channels];
    this.add = new float[channels];
    for (int c = 0; c < channels; c++) {
      mul[c] = 1f / (in.scale() * in.std()[c]);
      add[c] = -in.mean()[c] / in.std()[c];
    }
    String order = in.channelOrder().toUpperCase(Locale.ROOT);
    this.source =
        switch (order) {
          case "RGB" -> new int[] {0, 1, 2};
          case "BGR" -> new int[] {2, 1, 0};
          case "GRAY" -> new int[] {-1};
          default ->
              throw new PlannerException(
                  "model card channel order " + order + " is not RGB, BGR or GRAY");
        };
    this.input = Tensors.directFloats(maxBatch * channels * height * width);
  }

  /** The number of floats in a latent. */
  public int latentDim() {
    return dim;
  }

  /** Encodes one RGB8 frame ({@code height * width * 3} bytes, row-major, interleaved). */
  public float[] encode(byte[] rgb) {
    float[] out = new float[dim];
    encode(List.of(rgb), out);
    return out;
  }

  /** Encodes up to {@code maxBatch} RGB8 frames into {@code out[i * dim ...]}. */
  public void encode(List<byte[]> frames, float[] out) {
    int n = frames.size();
    if (n < 1 || n > maxBatch) {
      throw new PlannerException("batch of " + n + " frames outside [1, " + maxBatch + "]");
    }
    int plane = height * width;
    for (int i = 0; i < n; i++) {
      byte[] rgb = frames.get(i);
      if (rgb.length != plane * 3) {
        throw new PlannerException(
            "frame has "
                + rgb.length
                + " bytes; the encoder wants "
                + width
                + "x"
                + height
                + " RGB8");
      }
      int base = i * channels * plane;
      for (int c = 0; c < channels; c++) {
        int src = source[c];
        int o = base + c * plane;
        for (int p = 0; p < plane; p++) {
          float px;
          if (src < 0) {
            px =
                0.299f * (rgb[p * 3] & 0xff)
                    + 0.587f * (rgb[p * 3 + 1] & 0xff)
                    + 0.114f * (rgb[p * 3 + 2] & 0xff);
          } else {
            px = rgb[p * 3 + src] & 0xff;
          }
          input.put(o + p, px * mul[c] + add[c]);
        }
      }
    }
    FloatBuffer slice = input.slice(0, n * channels * plane);
    try (OnnxTensor t =
            OnnxTensor.createTensor(
                OrtEnvironment.getEnvironment(), slice, new long[] {n, channels, height, width});
        OrtSession.Result r = session.run(Map.of(inputName, t))) {
      FloatBuffer latents = ((OnnxTensor) r.get(0)).getFloatBuffer();
      latents.get(out, 0, n * dim);
    } catch (OrtException e) {
      throw new PlannerException("Error running the encoder: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new PlannerException("Error closing the encoder session: " + e.getMessage(), e);
    }
  }
}
