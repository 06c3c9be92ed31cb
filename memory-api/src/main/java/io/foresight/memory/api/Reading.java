package io.foresight.memory.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sensor reading carried with a stored latent state (for example the agent's position), as
 * aligned to the frame by the pipeline.
 *
 * @param kind what was measured, e.g. {@code proprio}
 * @param timeUs when it was measured, in microseconds
 * @param values the measured values
 */
public record Reading(String kind, long timeUs, double[] values) {
  /** Validates the fields. */
  public Reading {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(values, "values");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reading r
        && kind.equals(r.kind)
        && timeUs == r.timeUs
        && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, timeUs, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "Reading[" + kind + " @" + timeUs + " " + Arrays.toString(values) + "]";
  }
}
