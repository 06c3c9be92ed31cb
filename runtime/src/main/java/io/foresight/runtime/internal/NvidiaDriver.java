package io.foresight.runtime.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A cheap look for an NVIDIA driver before {@code auto} tries ONNX Runtime's CUDA execution
 * provider: building a CUDA session on a machine without one costs seconds (the provider library
 * alone is hundreds of MB, and it fails to find its CUDA libraries) and makes ONNX Runtime log a
 * warning with a native stack. A machine, container or WSL 2 guest that can run CUDA has at least
 * one of the driver's files: {@code /proc/driver/nvidia/version} (the kernel module), {@code
 * /dev/nvidiactl} (its control device, also what the NVIDIA container runtime passes in) or {@code
 * /dev/dxg} (WSL 2's GPU device). None of them: no CUDA, whatever the libraries.
 *
 * <pre>{@code
 * Optional<String> why = NvidiaDriver.SYSTEM.absent();   // empty: worth trying CUDA
 * }</pre>
 */
public final class NvidiaDriver {
  /** The driver files of this machine. */
  public static final NvidiaDriver SYSTEM = new NvidiaDriver(Path.of("/"));

  private static final List<String> FILES =
      List.of("proc/driver/nvidia/version", "dev/nvidiactl", "dev/dxg");

  private final Path root;

  /** The driver files under {@code root} (tests give a folder standing in for {@code /}). */
  public NvidiaDriver(Path root) {
    this.root = root;
  }

  /** Why there is no NVIDIA driver here, or empty when one of its files exists. */
  public Optional<String> absent() {
    for (String f : FILES) {
      if (Files.exists(root.resolve(f))) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "no NVIDIA driver on this machine (none of /" + String.join(", /", FILES) + ")");
  }
}
