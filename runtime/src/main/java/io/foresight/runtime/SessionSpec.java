package io.foresight.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What an ONNX Runtime session is made from. Two users with equal specs share one session in a JVM
 * (see {@link ModelSessions}).
 *
 * <pre>{@code
 * SessionSpec spec =
 *     SessionSpec.builder(card.file("predictor"))
 *         .sha256(card.fileInfo("predictor").sha256())
 *         .device(Device.parse("auto"))
 *         .deviceOption("planner.device")
 *         .intraOpThreads(1)
 *         .build();
 * }</pre>
 *
 * @param modelFile the ONNX file (absolute, normalised)
 * @param sha256 the file's hash from its model card, so a re-exported file gets a new session; ""
 *     when unknown
 * @param device the requested device (auto, cpu, cuda:N)
 * @param intraOpThreads intra-op threads, 0 = ONNX Runtime's default (one per core)
 * @param interOpThreads inter-op threads, 0 = ONNX Runtime's default
 * @param spinning whether idle ONNX Runtime threads spin
 * @param cudaMemoryLimitBytes CUDA arena limit, 0 = none
 * @param cudnnConvAlgoSearch cuDNN convolution algorithm search
 * @param deviceOption the configuration key that chose the device, named in error messages (e.g.
 *     {@code encoder.device})
 */
public record SessionSpec(
    Path modelFile,
    String sha256,
    Device device,
    int intraOpThreads,
    int interOpThreads,
    boolean spinning,
    long cudaMemoryLimitBytes,
    CudnnConvAlgoSearch cudnnConvAlgoSearch,
    String deviceOption) {

  public SessionSpec {
    Objects.requireNonNull(modelFile, "modelFile");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(cudnnConvAlgoSearch, "cudnnConvAlgoSearch");
    sha256 = sha256 == null ? "" : sha256;
    deviceOption = deviceOption == null || deviceOption.isBlank() ? "device" : deviceOption;
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException(
          "ONNX Runtime thread counts must be >= 0 (0 = its default), got intra-op "
              + intraOpThreads
              + " and inter-op "
              + interOpThreads);
    }
    if (cudaMemoryLimitBytes < 0) {
      throw new IllegalArgumentException(
          "the CUDA memory limit must be >= 0 (0 = none), got " + cudaMemoryLimitBytes);
    }
  }

  /** A builder for a session over {@code modelFile}; the path is made absolute and normalised. */
  public static Builder builder(Path modelFile) {
    return new Builder(modelFile);
  }

  /** Builds a {@link SessionSpec}; everything but the model file is optional. */
  public static final class Builder {
    private final Path modelFile;
    private String sha256 = "";
    private Device device = Device.AUTO;
    private int intraOpThreads;
    private int interOpThreads;
    private boolean spinning = true;
    private long cudaMemoryLimitBytes;
    private CudnnConvAlgoSearch cudnnConvAlgoSearch = CudnnConvAlgoSearch.EXHAUSTIVE;
    private String deviceOption = "device";

    private Builder(Path modelFile) {
      this.modelFile = Objects.requireNonNull(modelFile, "modelFile").toAbsolutePath().normalize();
    }

    /** The file's hash from its model card (default: unknown). */
    public Builder sha256(String sha256) {
      this.sha256 = sha256;
      return this;
    }

    /** The device (default {@link Device#AUTO}). */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** Intra-op threads (default 0: ONNX Runtime's choice). */
    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    /** Inter-op threads (default 0: ONNX Runtime's choice). */
    public Builder interOpThreads(int threads) {
      this.interOpThreads = threads;
      return this;
    }

    /** Whether idle threads spin (default true, as in ONNX Runtime). */
    public Builder spinning(boolean spinning) {
      this.spinning = spinning;
      return this;
    }

    /** The CUDA arena limit in bytes (default 0: none). */
    public Builder cudaMemoryLimitBytes(long bytes) {
      this.cudaMemoryLimitBytes = bytes;
      return this;
    }

    /** cuDNN's convolution algorithm search (default EXHAUSTIVE, as in ONNX Runtime). */
    public Builder cudnnConvAlgoSearch(CudnnConvAlgoSearch search) {
      this.cudnnConvAlgoSearch = search;
      return this;
    }

    /** The configuration key to name in error messages (default {@code device}). */
    public Builder deviceOption(String key) {
      this.deviceOption = key;
      return this;
    }

    /** Validates the settings. */
    public SessionSpec build() {
      return new SessionSpec(
          modelFile,
          sha256,
          device,
          intraOpThreads,
          interOpThreads,
          spinning,
          cudaMemoryLimitBytes,
          cudnnConvAlgoSearch,
          deviceOption);
    }
  }
}
