package io.foresight.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code GET /nearest} and {@code POST /nearest}: the nearest stored states, nearest
 * first.
 *
 * @param reference the reference state of {@code GET /nearest} ({@code null}, left out, for a
 *     search by latent)
 * @param model the model searched
 * @param k how many were asked for
 * @param approximate whether the HNSW graph was used
 * @param pending latents not yet in the graph (searched exactly)
 * @param neighbors the hits
 * @param partial whether an instance is missing (see {@link Partial})
 * @param errors why, per missing instance
 */
public record Neighbors(
    @JsonInclude(JsonInclude.Include.NON_NULL) Reference reference,
    String model,
    int k,
    boolean approximate,
    long pending,
    List<Neighbor> neighbors,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean partial,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> errors)
    implements Partial {
  /** Copies the lists. */
  public Neighbors {
    neighbors = List.copyOf(neighbors);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** The same answer about {@code reference}. */
  public Neighbors withReference(Reference reference) {
    return new Neighbors(reference, model, k, approximate, pending, neighbors, partial, errors);
  }

  /**
   * One hit.
   *
   * @param stream its stream
   * @param sequence its sequence
   * @param timeUs its time
   * @param distance Euclidean distance to the query latent
   */
  public record Neighbor(String stream, long sequence, long timeUs, float distance) {}

  /**
   * The state a reference search started from.
   *
   * @param stream its stream
   * @param sequence its sequence
   * @param timeUs its time
   */
  public record Reference(String stream, long sequence, long timeUs) {}
}
