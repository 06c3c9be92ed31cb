package io.foresight.planner;

import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.SurpriseEvent;

/**
 * The surprise of one frame: how far its encoded latent is from the latent predicted for it, raw
 * and in running standard deviations of its stream.
 *
 * @param raw the distance between predicted and encoded latent
 * @param normalized {@code (raw - mean) / std} of the stream's earlier scores; NaN during warm-up
 * @param threshold the threshold in force
 * @param surprising true when past warm-up and {@code normalized > threshold}
 * @param statistics the stream's statistics including this score: keep them for the next frame
 */
public record SurpriseScore(
    double raw,
    double normalized,
    double threshold,
    boolean surprising,
    SurpriseStatistics statistics) {

  /** The wire record for {@code foresight.surprise}. */
  public SurpriseEvent toEvent(String streamId, long sequence, long timeUs, ModelRef model) {
    return SurpriseEvent.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setTimeUs(timeUs)
        .setModel(model)
        .setScore(raw)
        .setNormalizedScore(normalized)
        .setThreshold(threshold)
        .build();
  }
}
