package io.foresight.runtime;

/**
 * Which execution provider a model session asked for and which one actually runs it, with the
 * reason when it fell back from CUDA to the CPU.
 *
 * @param requested the device asked for ({@code auto}, {@code cpu}, {@code cuda:N})
 * @param actual the device the session runs on: {@code cpu} or {@code cuda:N}
 * @param fallbackReason why CUDA was not used, or null when nothing fell back
 */
public record ProviderSelection(Device requested, Device actual, String fallbackReason) {

  public ProviderSelection {
    if (requested == null || actual == null) {
      throw new IllegalArgumentException("requested and actual device must be set");
    }
    if (actual.kind() == Device.Kind.AUTO) {
      throw new IllegalArgumentException("the actual device is cpu or cuda:N, not auto");
    }
  }

  /** Whether the session runs on a GPU. */
  public boolean isCuda() {
    return actual.kind() == Device.Kind.CUDA;
  }

  /** Whether a CUDA request ended on the CPU. */
  public boolean fellBack() {
    return fallbackReason != null;
  }
}
