package io.foresight.runtime.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.foresight.runtime.Device;
import io.foresight.runtime.DeviceUnavailableException;
import io.foresight.runtime.ModelRuntimeException;
import io.foresight.runtime.ProviderSelection;
import io.foresight.runtime.SessionSpec;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions for a {@link SessionSpec} and chooses the execution provider: {@code
 * cpu}; {@code cuda:N} (a {@link DeviceUnavailableException} if CUDA cannot start); {@code auto}
 * (CUDA if it can be initialised, else the CPU with one INFO line saying why).
 *
 * <p>{@code OrtEnvironment.getAvailableProviders()} lists CUDA in the GPU jar even on a machine
 * without a GPU, so the only reliable check is to build a session with it. Building one that fails
 * costs seconds, so auto first looks for the NVIDIA driver's files ({@link NvidiaDriver}) and goes
 * straight to the CPU without them; and after one auto failure later auto sessions go straight to
 * the CPU too.
 */
public final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  /** Where auto looks for an NVIDIA driver first; guarded by the class lock for tests. */
  private static NvidiaDriver driver = NvidiaDriver.SYSTEM;

  /** Why CUDA failed in auto mode earlier in this JVM; guarded by the class lock. */
  private static String cudaUnavailable;

  /**
   * Looked up once: {@code OrtEnvironment.getEnvironment(level, name)} logs a warning on every call
   * once another caller created the environment with other settings.
   */
  private static volatile OrtEnvironment environment;

  private SessionFactory() {}

  /** A session and the provider it runs on. */
  public record Opened(OrtSession session, ProviderSelection selection) {}

  /** Where auto looks for an NVIDIA driver (tests); returns the one used before. */
  public static synchronized NvidiaDriver useDriverFiles(NvidiaDriver d) {
    NvidiaDriver before = driver;
    driver = d;
    return before;
  }

  private static synchronized NvidiaDriver driver() {
    return driver;
  }

  /** Forgets an earlier CUDA failure so that the next auto session tries CUDA again. */
  public static synchronized void forgetCudaFailure() {
    cudaUnavailable = null;
  }

  private static synchronized String cudaUnavailable() {
    return cudaUnavailable;
  }

  private static synchronized void cudaFailed(String reason) {
    cudaUnavailable = reason;
  }

  /** The shared ONNX Runtime environment (never closed; one per JVM). */
  public static OrtEnvironment environment() {
    OrtEnvironment env = environment;
    if (env != null) {
      return env;
    }
    try {
      env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "foresight");
      environment = env;
      return env;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new ModelRuntimeException(
          "cannot load ONNX Runtime's native library on "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch")
              + ": "
              + e.getMessage()
              + "; ONNX Runtime's jars ship linux-x64 and win-x64 (GPU jar) natives",
          e);
    }
  }

  /** Opens a session for {@code spec} on the device it asks for. */
  public static Opened open(SessionSpec spec) {
    OrtEnvironment env = environment();
    Device requested = spec.device();
    if (requested.kind() == Device.Kind.CPU) {
      return new Opened(cpuSession(env, spec), selected(spec, Device.CPU));
    }
    String earlier = cudaUnavailable();
    if (requested.kind() == Device.Kind.AUTO && earlier != null) {
      String reason = "CUDA failed earlier in this JVM: " + earlier;
      OrtSession session = cpuSession(env, spec);
      LOG.info(
          "Model {}: running on the CPU (requested auto; {}); set {}=cpu to skip the attempt",
          spec.modelFile(),
          reason,
          spec.deviceOption());
      return new Opened(session, new ProviderSelection(requested, Device.CPU, reason));
    }
    if (requested.kind() == Device.Kind.AUTO) {
      Optional<String> noDriver = driver().absent();
      if (noDriver.isPresent()) {
        cudaFailed(noDriver.get());
        OrtSession session = cpuSession(env, spec);
        LOG.info(
            "Model {}: running on the CPU (requested auto; {}, so CUDA was not tried)",
            spec.modelFile(),
            noDriver.get());
        return new Opened(session, new ProviderSelection(requested, Device.CPU, noDriver.get()));
      }
    }
    int index = requested.cudaIndexOrZero();
    long start = System.nanoTime();
    try {
      OrtSession session = cudaSession(env, spec, index);
      return new Opened(session, selected(spec, Device.cuda(index)));
    } catch (OrtException | LinkageError | RuntimeException e) {
      String reason = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (requested.kind() == Device.Kind.CUDA) {
        throw new DeviceUnavailableException(requested, cudaFailure(spec, index, reason), e);
      }
      cudaFailed(reason);
      OrtSession session = cpuSession(env, spec);
      LOG.info(
          "Model {}: running on the CPU (requested auto; the CUDA execution provider could not"
              + " start on GPU {} after {} ms: {}); set {}=cpu to skip the attempt, see"
              + " docs/encoders.md for the CUDA 12 / cuDNN 9 requirements",
          spec.modelFile(),
          index,
          ms,
          reason,
          spec.deviceOption());
      return new Opened(session, new ProviderSelection(requested, Device.CPU, reason));
    }
  }

  private static String cudaFailure(SessionSpec spec, int index, String reason) {
    boolean gpuBuild = false;
    try {
      gpuBuild = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    } catch (RuntimeException | LinkageError e) {
      // The native library is missing or broken; the reason already says so.
    }
    String fix =
        gpuBuild
            ? "Check that GPU "
                + index
                + " exists (nvidia-smi lists the indices) and that an NVIDIA driver, CUDA 12 and"
                + " cuDNN 9 are on the library path (see docs/encoders.md)"
            : "This ONNX Runtime build has no CUDA execution provider: install the GPU build"
                + " (com.microsoft.onnxruntime:onnxruntime_gpu, the default without -Pcpu-only)"
                + " with an NVIDIA driver, CUDA 12 and cuDNN 9 on the library path (see"
                + " docs/encoders.md)";
    return "cannot start the CUDA execution provider on GPU "
        + index
        + " for "
        + spec.modelFile()
        + " ("
        + reason
        + "). "
        + fix
        + "; or set "
        + spec.deviceOption()
        + "=auto to fall back to the CPU, or "
        + spec.deviceOption()
        + "=cpu to run on the CPU";
  }

  private static ProviderSelection selected(SessionSpec spec, Device actual) {
    LOG.info(
        "Model {}: execution provider {} (requested {}, intra-op threads {}, inter-op threads"
            + " {}, spinning {})",
        spec.modelFile(),
        actual.kind() == Device.Kind.CPU ? "CPU" : "CUDA on GPU " + actual.index(),
        spec.device(),
        spec.intraOpThreads() == 0 ? "default" : spec.intraOpThreads(),
        spec.interOpThreads() == 0 ? "default" : spec.interOpThreads(),
        spec.spinning());
    return new ProviderSelection(spec.device(), actual, null);
  }

  private static OrtSession.SessionOptions baseOptions(SessionSpec spec) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    if (spec.intraOpThreads() > 0) {
      so.setIntraOpNumThreads(spec.intraOpThreads());
    }
    if (spec.interOpThreads() > 0) {
      so.setInterOpNumThreads(spec.interOpThreads());
    }
    if (!spec.spinning()) {
      so.addConfigEntry("session.intra_op.allow_spinning", "0");
      so.addConfigEntry("session.inter_op.allow_spinning", "0");
    }
    return so;
  }

  private static OrtSession cpuSession(OrtEnvironment env, SessionSpec spec) {
    try (OrtSession.SessionOptions so = baseOptions(spec)) {
      return env.createSession(spec.modelFile().toString(), so);
    } catch (OrtException e) {
      throw new ModelRuntimeException(
          "Error loading model "
              + spec.modelFile()
              + " on the CPU: "
              + e.getMessage()
              + "; check that the file is a valid ONNX model (re-export it if needed)",
          e);
    }
  }

  private static OrtSession cudaSession(OrtEnvironment env, SessionSpec spec, int index)
      throws OrtException {
    try (OrtSession.SessionOptions so = baseOptions(spec);
        OrtCUDAProviderOptions cuda = cudaOptions(spec, index)) {
      so.addCUDA(cuda);
      return env.createSession(spec.modelFile().toString(), so);
    }
  }

  /** The CUDA provider options a spec sets. */
  public static OrtCUDAProviderOptions cudaOptions(SessionSpec spec, int index)
      throws OrtException {
    OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(index);
    cuda.add("cudnn_conv_algo_search", spec.cudnnConvAlgoSearch().name());
    if (spec.cudaMemoryLimitBytes() > 0) {
      cuda.add("gpu_mem_limit", Long.toString(spec.cudaMemoryLimitBytes()));
    }
    return cuda;
  }

  /** Opens a private CPU session over an in-memory model. */
  public static OrtSession openInMemory(byte[] model, int threads) {
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setInterOpNumThreads(1);
      if (threads > 0) {
        so.setIntraOpNumThreads(threads);
      }
      return environment().createSession(model, so);
    } catch (OrtException e) {
      throw new ModelRuntimeException(
          "Error opening an in-memory ONNX model: " + e.getMessage(), e);
    }
  }

  /** Closes a session whose last lease was released; a failure is logged, not thrown. */
  public static void close(SessionSpec spec, OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("Error closing the session for {}: {}", spec.modelFile(), e.getMessage());
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
