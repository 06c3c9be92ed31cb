package io.foresight.encoders.flink.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

/**
 * Picks a GPU index for a subtask from Flink's external resource {@code gpu} (the GPUs the task
 * manager was given by {@code external-resource.gpu.*} and the GPU discovery script): the indices
 * sorted, subtask {@code i} on {@code indices[i % count]}, so the slots of a task manager spread
 * over its GPUs.
 */
public final class GpuAssignment {
  private GpuAssignment() {}

  /** The GPU for {@code subtask}, or empty when Flink reports no GPU. */
  public static OptionalInt choose(Collection<ExternalResourceInfo> gpus, int subtask) {
    List<Integer> indices = new ArrayList<>();
    if (gpus != null) {
      for (ExternalResourceInfo info : gpus) {
        Optional<String> index = info.getProperty("index");
        if (index.isPresent()) {
          try {
            indices.add(Integer.parseInt(index.get().trim()));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "Flink's external resource 'gpu' reports index '"
                    + index.get()
                    + "', not a number; check the GPU discovery script's output",
                e);
          }
        }
      }
    }
    if (indices.isEmpty()) {
      return OptionalInt.empty();
    }
    indices.sort(null);
    return OptionalInt.of(indices.get(Math.floorMod(subtask, indices.size())));
  }
}
