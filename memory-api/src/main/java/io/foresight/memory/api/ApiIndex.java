package io.foresight.memory.api;

import java.util.List;

/**
 * The answer of {@code GET /}: what this service is and its endpoints.
 *
 * @param service {@code foresight-memory}
 * @param endpoints {@code METHOD /path?params}, one per endpoint
 */
public record ApiIndex(String service, List<String> endpoints) {
  /** Copies the list. */
  public ApiIndex {
    endpoints = List.copyOf(endpoints);
  }
}
