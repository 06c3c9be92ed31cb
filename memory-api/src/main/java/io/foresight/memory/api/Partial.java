package io.foresight.memory.api;

import java.util.List;

/**
 * An answer merged from every instance: when some instance did not answer, {@code partial} is true
 * and {@code errors} says which and why (both are left out of the JSON otherwise).
 */
public interface Partial {
  /** Whether an instance is missing from the answer. */
  boolean partial();

  /** {@code url: reason} of each instance that did not answer; empty when complete. */
  List<String> errors();
}
