package io.foresight.encoders;

import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The latents of one encoded batch, tagged with the model that made them: {@code count} latents of
 * {@code latentShape}, row-major in one flat array.
 *
 * @param model the model reference every latent carries
 * @param latentShape the shape of one latent (no batch axis)
 * @param count how many latents
 * @param values {@code count x product(latentShape)} floats
 */
public record LatentBatch(ModelRef model, int[] latentShape, int count, float[] values) {

  public LatentBatch {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    long size = Tensors.elementCount(latentShape);
    if (count < 0 || size * count != values.length) {
      throw new IllegalArgumentException(
          count
              + " latents of shape "
              + Arrays.toString(latentShape)
              + " need "
              + size * count
              + " floats, got "
              + values.length);
    }
  }

  /** Floats per latent. */
  public int latentSize() {
    return count == 0 ? (int) Tensors.elementCount(latentShape) : values.length / count;
  }

  /** A copy of latent {@code i}. */
  public float[] latent(int i) {
    int n = latentSize();
    return Arrays.copyOfRange(values, checkIndex(i) * n, (i + 1) * n);
  }

  /** Latent {@code i} as a wire tensor. */
  public Tensor tensor(int i) {
    return Tensors.tensor(latent(i), latentShape);
  }

  /** Latent {@code i} as the record published on {@code foresight.latents}. */
  public LatentState latentState(int i, String streamId, long sequence, long timeUs) {
    return LatentState.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setTimeUs(timeUs)
        .setModel(model)
        .setLatent(tensor(i))
        .setReadings(List.of())
        .build();
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("latent " + i + " of a batch of " + count);
    }
    return i;
  }
}
