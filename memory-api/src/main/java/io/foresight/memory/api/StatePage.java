package io.foresight.memory.api;

import java.util.List;

/**
 * The answer of {@code GET /streams/{stream}/range}: one page of states, oldest first.
 *
 * @param stream the stream id
 * @param items the states
 * @param nextCursor the {@code cursor} of the next page, {@code null} on the last page
 */
public record StatePage(String stream, List<State> items, String nextCursor) {
  /** Copies the list. */
  public StatePage {
    items = List.copyOf(items);
  }
}
