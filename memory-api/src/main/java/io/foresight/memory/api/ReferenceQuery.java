package io.foresight.memory.api;

import java.util.Locale;
import java.util.Objects;

/**
 * The parameters of {@code GET /nearest}: the nearest states to a stored reference state (the
 * reference itself left out); {@code null} fields are left to the server.
 *
 * <pre>{@code
 * Neighbors n = memory.nearest(ReferenceQuery.of("robot-1").withK(5).withScope(Scope.OTHERS));
 * }</pre>
 *
 * @param stream the reference's stream
 * @param timeUs the reference is the state at or before this time (default: the newest)
 * @param k how many (default 10)
 * @param model the model's sha256 (default: the stream's newest)
 * @param ef HNSW search list size
 * @param exact brute force instead of the HNSW graph
 * @param scope which streams to search (default {@link Scope#ALL})
 */
public record ReferenceQuery(
    String stream, Long timeUs, Integer k, String model, Integer ef, Boolean exact, Scope scope) {
  /** Which streams a reference search looks in. */
  public enum Scope {
    /** Every stream. */
    ALL,
    /** The reference's stream only. */
    SAME,
    /** Every stream but the reference's. */
    OTHERS;

    /** The query-string form: {@code all}, {@code same} or {@code others}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the stream. */
  public ReferenceQuery {
    Objects.requireNonNull(stream, "stream");
  }

  /** The 10 nearest states to the newest state of {@code stream}. */
  public static ReferenceQuery of(String stream) {
    return new ReferenceQuery(stream, null, null, null, null, null, null);
  }

  public ReferenceQuery withTime(Long timeUs) {
    return new ReferenceQuery(stream, timeUs, k, model, ef, exact, scope);
  }

  public ReferenceQuery withK(Integer k) {
    return new ReferenceQuery(stream, timeUs, k, model, ef, exact, scope);
  }

  public ReferenceQuery withModel(String model) {
    return new ReferenceQuery(stream, timeUs, k, model, ef, exact, scope);
  }

  public ReferenceQuery withEf(Integer ef) {
    return new ReferenceQuery(stream, timeUs, k, model, ef, exact, scope);
  }

  public ReferenceQuery withExact(Boolean exact) {
    return new ReferenceQuery(stream, timeUs, k, model, ef, exact, scope);
  }

  public ReferenceQuery withScope(Scope scope) {
    return new ReferenceQuery(stream, timeUs, k, model, ef, exact, scope);
  }
}
