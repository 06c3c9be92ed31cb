package io.foresight.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code GET /landmarks}: a compact map of the visited latent space, landmarks chosen
 * by farthest-point sampling and the directed edges between them that consecutive states went.
 *
 * @param model the model's sha256
 * @param stream the stream it was restricted to, or {@code null} for all
 * @param sampled how many states were sampled for the selection
 * @param landmarks the landmarks, {@code id} = index
 * @param edges the edges, sorted by (from, to)
 * @param partial whether an instance is missing (see {@link Partial})
 * @param errors why, per missing instance
 */
public record LandmarkExport(
    String model,
    String stream,
    long sampled,
    List<Landmark> landmarks,
    List<Edge> edges,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean partial,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> errors)
    implements Partial {
  /** Copies the lists. */
  public LandmarkExport {
    landmarks = landmarks == null ? List.of() : List.copyOf(landmarks);
    edges = edges == null ? List.of() : List.copyOf(edges);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /**
   * One landmark: a stored state.
   *
   * @param id its index in {@code landmarks}
   * @param stream the state's stream
   * @param sequence the state's sequence
   * @param timeUs the state's time
   * @param members stored states nearest to this landmark
   * @param latent the latent ({@code null}, left out, with {@code latents=false})
   * @param readings the state's readings, when the answering instance holds it (else {@code null})
   */
  public record Landmark(
      long id,
      String stream,
      long sequence,
      long timeUs,
      long members,
      @JsonInclude(JsonInclude.Include.NON_NULL) float[] latent,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Reading> readings) {}

  /**
   * A directed edge between two landmarks.
   *
   * @param from the landmark left
   * @param to the landmark reached
   * @param count how often consecutive states of a stream went from one to the other
   */
  public record Edge(long from, long to, long count) {}
}
