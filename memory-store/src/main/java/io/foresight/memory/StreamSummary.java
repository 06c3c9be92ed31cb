package io.foresight.memory;

import java.util.List;

/**
 * What the memory holds for one stream: how many states, over which time span, per model.
 *
 * @param stream the stream id
 * @param count states stored, over all models
 * @param firstTimeUs time of the oldest stored state
 * @param lastTimeUs time of the newest stored state
 * @param models per-model statistics, the model of the newest state first
 */
public record StreamSummary(
    String stream, long count, long firstTimeUs, long lastTimeUs, List<ModelSummary> models) {
  /** Copies the list. */
  public StreamSummary {
    models = List.copyOf(models);
  }

  /**
   * The states of one stream encoded by one model, with running statistics of their latents.
   *
   * @param model the model
   * @param shape the latent shape
   * @param count states stored
   * @param firstTimeUs time of the oldest
   * @param lastTimeUs time of the newest
   * @param lastSequence sequence of the newest
   * @param lastLatent the newest latent
   * @param mean per-value mean of the stored latents
   * @param variance per-value population variance of the stored latents
   */
  public record ModelSummary(
      ModelId model,
      int[] shape,
      long count,
      long firstTimeUs,
      long lastTimeUs,
      long lastSequence,
      float[] lastLatent,
      double[] mean,
      double[] variance) {}
}
