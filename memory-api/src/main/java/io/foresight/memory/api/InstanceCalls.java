package io.foresight.memory.api;

import java.util.List;

/**
 * The bodies and answers of the instance-to-instance endpoints that {@code GET /landmarks} gathers
 * with ({@code POST /internal/landmarks/sample} and {@code /internal/landmarks/edges}). Not meant
 * for other callers.
 */
public final class InstanceCalls {
  private InstanceCalls() {}

  /**
   * Asks an instance for a uniform sample of its stored latents.
   *
   * @param model the model's sha256
   * @param stream only this stream, or {@code null}
   * @param max at most this many
   */
  public record SampleRequest(String model, String stream, int max) {}

  /**
   * One sampled state.
   *
   * @param stream its stream
   * @param sequence its sequence
   * @param timeUs its time
   * @param latent its latent
   */
  public record Sample(String stream, long sequence, long timeUs, float[] latent) {}

  /** The answer to a {@link SampleRequest}. */
  public record Samples(List<Sample> samples) {
    /** Copies the list. */
    public Samples {
      samples = List.copyOf(samples);
    }
  }

  /**
   * Asks an instance to assign its stored latents to the nearest landmark and count the edges.
   *
   * @param model the model's sha256
   * @param stream only this stream, or {@code null}
   * @param landmarks the landmark latents
   */
  public record EdgesRequest(String model, String stream, float[][] landmarks) {}

  /**
   * The answer to an {@link EdgesRequest}.
   *
   * @param members per landmark, the states nearest to it
   * @param edges the edges counted
   */
  public record EdgeCounts(long[] members, List<LandmarkExport.Edge> edges) {
    /** Copies the list. */
    public EdgeCounts {
      edges = List.copyOf(edges);
    }
  }
}
