package io.foresight.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code GET /streams}: every stream of every instance, sorted by id, without the
 * running statistics.
 *
 * @param streams the streams
 * @param partial whether an instance is missing (see {@link Partial})
 * @param errors why, per missing instance
 */
public record StreamList(
    List<StreamSummary> streams,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean partial,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> errors)
    implements Partial {
  /** Copies the lists. */
  public StreamList {
    streams = List.copyOf(streams);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
