package io.foresight.runtime;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where a model runs, for every ONNX session of Foresight (the encoder and the planner's
 * predictor): {@code auto}, {@code cpu}, or {@code cuda:N}.
 *
 * <ul>
 *   <li>{@code auto}: CUDA if it can be initialised, else the CPU, with one INFO line saying why;
 *   <li>{@code cuda} or {@code cuda:N}: GPU {@code N} (0 when not given) and no fallback: if CUDA
 *       cannot start, opening the session fails with a {@link DeviceUnavailableException} that says
 *       what failed and how to fix it;
 *   <li>{@code cpu}: the CPU; CUDA is never tried.
 * </ul>
 *
 * <pre>{@code
 * Device d = Device.parse("cuda:1");
 * }</pre>
 *
 * @param kind auto, cpu or cuda
 * @param index the CUDA device index; -1 when not given (auto, cpu, or {@code cuda} without index)
 */
public record Device(Kind kind, int index) implements Serializable {

  /** The three kinds of device request. */
  public enum Kind {
    AUTO,
    CPU,
    CUDA
  }

  /** CUDA when it can be initialised, else the CPU. */
  public static final Device AUTO = new Device(Kind.AUTO, -1);

  /** The CPU execution provider. */
  public static final Device CPU = new Device(Kind.CPU, -1);

  public Device {
    if (kind == null) {
      throw new IllegalArgumentException("device kind must not be null");
    }
    if (index < -1) {
      throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
    }
    if (kind == Kind.CPU && index != -1) {
      throw new IllegalArgumentException("the CPU device takes no index");
    }
  }

  /** GPU {@code index} through the CUDA execution provider. */
  public static Device cuda(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
    }
    return new Device(Kind.CUDA, index);
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code cuda}, {@code cuda:N} or {@code gpu:N}
   * (case-insensitive).
   */
  public static Device parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (s.isEmpty() || s.equals("auto")) {
      return AUTO;
    }
    if (s.equals("cpu")) {
      return CPU;
    }
    if (s.equals("cuda") || s.equals("gpu")) {
      return new Device(Kind.CUDA, -1);
    }
    if (s.startsWith("cuda:") || s.startsWith("gpu:")) {
      String n = s.substring(s.indexOf(':') + 1);
      try {
        return cuda(Integer.parseInt(n));
      } catch (IllegalArgumentException e) {
        // NumberFormatException is an IllegalArgumentException too.
      }
    }
    throw new IllegalArgumentException(
        "unknown device '"
            + text
            + "'; use auto, cpu, cuda or cuda:N (N = GPU index, e.g. cuda:0)");
  }

  /** This request with a GPU index filled in where none was given (auto and cuda only). */
  public Device withDefaultIndex(int gpuIndex) {
    if (kind == Kind.CPU || index >= 0) {
      return this;
    }
    return new Device(kind, gpuIndex);
  }

  /** The CUDA index to use: the given one, else 0. */
  public int cudaIndexOrZero() {
    return Math.max(index, 0);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AUTO -> index < 0 ? "auto" : "auto(cuda:" + index + ")";
      case CPU -> "cpu";
      case CUDA -> index < 0 ? "cuda" : "cuda:" + index;
    };
  }
}
