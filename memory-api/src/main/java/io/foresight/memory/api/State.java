package io.foresight.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One stored latent state as the API answers it ({@code /latest}, {@code /at}, the items of {@code
 * /range}, both ends of a transition).
 *
 * @param stream the stream id
 * @param sequence the frame's sequence number
 * @param timeUs the frame's time in microseconds
 * @param model the model that encoded it
 * @param shape the latent's shape
 * @param latent the latent values, row-major; {@code null} (left out) when asked without latents
 * @param readings the readings aligned with the frame
 * @param surprise the surprise of the prediction for this state, if known
 * @param surpriseNormalized the surprise normalised by the scorer's running statistics, if known
 * @param surpriseEvent the surprise event raised at this state, if any
 */
public record State(
    String stream,
    long sequence,
    long timeUs,
    ModelId model,
    int[] shape,
    @JsonInclude(JsonInclude.Include.NON_NULL) float[] latent,
    List<Reading> readings,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double surprise,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double surpriseNormalized,
    @JsonInclude(JsonInclude.Include.NON_NULL) SurpriseEvent surpriseEvent) {
  /** Copies the readings. */
  public State {
    readings = readings == null ? List.of() : List.copyOf(readings);
  }

  /**
   * A surprise event raised at a state.
   *
   * @param score the raw surprise
   * @param normalizedScore the normalised surprise
   * @param threshold the threshold it crossed
   */
  public record SurpriseEvent(double score, double normalizedScore, double threshold) {}
}
