package io.foresight.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the memory holds for one stream: how many states, over which time span, per model. The
 * answer of {@code GET /streams/{stream}}; {@code GET /streams} lists them without the running
 * statistics ({@link #withoutStats()}).
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

  /** The same summary without each model's newest latent, mean and variance. */
  public StreamSummary withoutStats() {
    return new StreamSummary(
        stream,
        count,
        firstTimeUs,
        lastTimeUs,
        models.stream()
            .map(
                m ->
                    new ModelSummary(
                        m.model,
                        m.shape,
                        m.count,
                        m.firstTimeUs,
                        m.lastTimeUs,
                        m.lastSequence,
                        null,
                        null,
                        null))
            .toList());
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
   * @param lastLatent the newest latent ({@code null} in listings)
   * @param mean per-value mean of the stored latents ({@code null} in listings)
   * @param variance per-value population variance of the stored latents ({@code null} in listings)
   */
  public record ModelSummary(
      ModelId model,
      int[] shape,
      long count,
      long firstTimeUs,
      long lastTimeUs,
      long lastSequence,
      @JsonInclude(JsonInclude.Include.NON_NULL) float[] lastLatent,
      @JsonInclude(JsonInclude.Include.NON_NULL) double[] mean,
      @JsonInclude(JsonInclude.Include.NON_NULL) double[] variance) {}
}
