package io.foresight.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A state, its successor in the same stream and model, the latent distance between them and the
 * action executed in between ({@code null} if none was found).
 *
 * @param from the first state
 * @param to its successor
 * @param distance the Euclidean distance between their latents
 * @param action the action, or {@code null}
 */
public record Transition(State from, State to, double distance, Action action) {
  /**
   * An action joined to a transition.
   *
   * @param timeUs when it was executed
   * @param values the action values
   * @param source who chose it ({@code ActionSource} name, e.g. {@code PLANNER})
   * @param frameSequence the sequence of the frame it answered, if given
   * @param planId the plan it belongs to, if given
   * @param matchedBy {@code frame_sequence} or {@code time}: how it was joined
   */
  public record Action(
      long timeUs,
      float[] values,
      String source,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long frameSequence,
      @JsonInclude(JsonInclude.Include.NON_NULL) String planId,
      String matchedBy) {}
}
