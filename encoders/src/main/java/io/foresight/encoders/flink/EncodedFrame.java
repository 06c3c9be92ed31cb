package io.foresight.encoders.flink;

import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelRef;
import java.io.Serializable;
import java.util.List;

/**
 * The latent of one frame as it leaves the encoder operator, convertible to the {@link LatentState}
 * record published on {@code foresight.latents}.
 *
 * <p>Flink-serializable as a POJO (a record of strings, longs and primitive arrays); the Avro
 * record is built at the Kafka edge with {@link #toLatentState()}.
 *
 * @param streamId the stream
 * @param sequence the frame's per-stream counter
 * @param timeUs the frame's capture time, microseconds since the epoch
 * @param modelName the encoder's model name
 * @param modelVersion the encoder's model version
 * @param modelSha256 the encoder file's SHA-256 (names the latent space)
 * @param latentShape the shape of the latent
 * @param latent the latent values, row-major
 */
public record EncodedFrame(
    String streamId,
    long sequence,
    long timeUs,
    String modelName,
    String modelVersion,
    String modelSha256,
    int[] latentShape,
    float[] latent)
    implements Serializable {

  /** The model reference. */
  public ModelRef modelRef() {
    return new ModelRef(modelName, modelVersion, modelSha256);
  }

  /** The wire record for {@code foresight.latents}. */
  public LatentState toLatentState() {
    return LatentState.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setTimeUs(timeUs)
        .setModel(modelRef())
        .setLatent(Tensors.tensor(latent, latentShape))
        .setReadings(List.of())
        .build();
  }
}
