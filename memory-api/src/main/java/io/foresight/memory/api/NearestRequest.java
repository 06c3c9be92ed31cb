package io.foresight.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Objects;

/**
 * The body of {@code POST /nearest}: a search by latent. Only {@code latent} is required; {@code
 * null} fields take the server's defaults.
 *
 * <pre>{@code
 * Neighbors n = memory.nearest(NearestRequest.of(latent).withK(5).withModel(sha));
 * }</pre>
 *
 * @param latent the query latent
 * @param k how many (default 10, at most 1000)
 * @param model the model's sha256 (default: the only model stored)
 * @param ef HNSW search list size (default: the server's {@code memory.index.ef-search})
 * @param exact brute force instead of the HNSW graph
 * @param stream only this stream's states (exact)
 * @param excludeStream with {@code excludeSequence}: leave this state out
 * @param excludeSequence the sequence of the state to leave out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NearestRequest(
    @JsonDeserialize(using = FiniteFloats.class) float[] latent,
    Integer k,
    String model,
    Integer ef,
    Boolean exact,
    String stream,
    String excludeStream,
    Long excludeSequence) {
  /** A search for the 10 nearest states to {@code latent}. */
  public static NearestRequest of(float[] latent) {
    return new NearestRequest(
        Objects.requireNonNull(latent, "latent"), null, null, null, null, null, null, null);
  }

  public NearestRequest withK(int k) {
    return new NearestRequest(latent, k, model, ef, exact, stream, excludeStream, excludeSequence);
  }

  public NearestRequest withModel(String model) {
    return new NearestRequest(latent, k, model, ef, exact, stream, excludeStream, excludeSequence);
  }

  public NearestRequest withEf(int ef) {
    return new NearestRequest(latent, k, model, ef, exact, stream, excludeStream, excludeSequence);
  }

  public NearestRequest withExact(boolean exact) {
    return new NearestRequest(latent, k, model, ef, exact, stream, excludeStream, excludeSequence);
  }

  public NearestRequest withStream(String stream) {
    return new NearestRequest(latent, k, model, ef, exact, stream, excludeStream, excludeSequence);
  }

  /** Leaves the state ({@code stream}, {@code sequence}) out of the answer. */
  public NearestRequest excluding(String stream, long sequence) {
    return new NearestRequest(latent, k, model, ef, exact, this.stream, stream, sequence);
  }
}
