package io.foresight.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code GET /models}: every model stored on any instance, counts summed.
 *
 * @param models the models, sorted by sha256
 * @param partial whether an instance is missing (see {@link Partial})
 * @param errors why, per missing instance
 */
public record ModelList(
    List<ModelInfo> models,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean partial,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> errors)
    implements Partial {
  /** Copies the lists. */
  public ModelList {
    models = List.copyOf(models);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
