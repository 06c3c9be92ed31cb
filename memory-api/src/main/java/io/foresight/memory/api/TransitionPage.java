package io.foresight.memory.api;

import java.util.List;

/**
 * The answer of {@code GET /streams/{stream}/transitions}: one page of transitions, oldest first.
 *
 * @param stream the stream id
 * @param items the transitions
 * @param nextCursor the {@code cursor} of the next page, {@code null} on the last page
 */
public record TransitionPage(String stream, List<Transition> items, String nextCursor) {
  /** Copies the list. */
  public TransitionPage {
    items = List.copyOf(items);
  }
}
