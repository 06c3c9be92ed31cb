package io.foresight.encoders.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.foresight.encoders.Device;
import io.foresight.encoders.EncoderException;
import io.foresight.encoders.EncoderOptions.CudnnConvAlgoSearch;
import io.foresight.encoders.ProviderSelection;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session per model and settings per JVM, shared by reference count: every encoder
 * (every Flink subtask in a task manager) leases the same session, and the last lease to close
 * closes it. {@code OrtSession.run} is thread-safe, so sharing costs nothing.
 *
 * <p>This is also where the execution provider is chosen: {@code cpu}; {@code cuda:N} (an error if
 * CUDA cannot start); {@code auto} (CUDA if it can be initialised, else the CPU, with a warning
 * saying why). {@code OrtEnvironment.getAvailableProviders()} lists CUDA in the GPU jar even on a
 * machine without a GPU, so the only reliable check is to build a session with it.
 */
public final class SharedSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SharedSessions.class);
  private static final Map<Spec, Entry> SESSIONS = new HashMap<>();

  /** Why CUDA failed in auto mode earlier in this JVM; later auto sessions go straight to CPU. */
  private static String cudaUnavailable;

  private SharedSessions() {}

  /**
   * What a session is made from; two encoders with equal specs share a session.
   *
   * @param modelFile the ONNX file
   * @param sha256 the model file's hash from its card (a re-exported file gets a new session)
   * @param device the requested device (auto, cpu, cuda:N)
   * @param threads intra-op threads, 0 = ONNX Runtime's default
   * @param interOpThreads inter-op threads
   * @param threadsSpin whether idle ONNX Runtime threads spin
   * @param cudaMemoryLimitBytes CUDA arena limit, 0 = none
   * @param cudnnConvAlgoSearch cuDNN convolution algorithm search
   */
  public record Spec(
      Path modelFile,
      String sha256,
      Device device,
      int threads,
      int interOpThreads,
      boolean threadsSpin,
      long cudaMemoryLimitBytes,
      CudnnConvAlgoSearch cudnnConvAlgoSearch) {}

  /** A reference to a shared session; closing it releases the reference. */
  public static final class Lease implements AutoCloseable {
    private final Spec spec;
    private final Entry entry;
    private final boolean created;
    private boolean closed;

    private Lease(Spec spec, Entry entry, boolean created) {
      this.spec = spec;
      this.entry = entry;
      this.created = created;
    }

    public OrtSession session() {
      if (closed) {
        throw new IllegalStateException("the session lease for " + spec.modelFile() + " is closed");
      }
      return entry.session;
    }

    public ProviderSelection selection() {
      return entry.selection;
    }

    /** Whether this lease created the session (the first user warms it up). */
    public boolean created() {
      return created;
    }

    @Override
    public void close() {
      synchronized (SESSIONS) {
        if (closed) {
          return;
        }
        closed = true;
        if (--entry.refs == 0) {
          SESSIONS.remove(spec);
          try {
            entry.session.close();
          } catch (OrtException e) {
            LOG.warn(
                "Error closing the encoder session for {}: {}", spec.modelFile(), e.getMessage());
          }
        }
      }
    }
  }

  private static final class Entry {
    final OrtSession session;
    final ProviderSelection selection;
    int refs;

    Entry(OrtSession session, ProviderSelection selection) {
      this.session = session;
      this.selection = selection;
    }
  }

  /** Leases the session for {@code spec}, creating it on first use. */
  public static Lease acquire(Spec spec) {
    synchronized (SESSIONS) {
      Entry e = SESSIONS.get(spec);
      boolean created = false;
      if (e == null) {
        e = create(spec);
        SESSIONS.put(spec, e);
        created = true;
      }
      e.refs++;
      return new Lease(spec, e, created);
    }
  }

  /** How many sessions are open in this JVM. */
  public static int openSessions() {
    synchronized (SESSIONS) {
      return SESSIONS.size();
    }
  }

  /** How many leases hold the session of {@code spec}; 0 if it is not open. */
  public static int references(Spec spec) {
    synchronized (SESSIONS) {
      Entry e = SESSIONS.get(spec);
      return e == null ? 0 : e.refs;
    }
  }

  /** Forgets an earlier CUDA failure so that the next auto session tries CUDA again (tests). */
  public static void forgetCudaFailure() {
    synchronized (SESSIONS) {
      cudaUnavailable = null;
    }
  }

  /** The shared ONNX Runtime environment (never closed; one per JVM). */
  public static OrtEnvironment environment() {
    try {
      return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "foresight");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new EncoderException(
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

  private static Entry create(Spec spec) {
    OrtEnvironment env = environment();
    Device requested = spec.device();
    String file = spec.modelFile().toString();
    if (requested.kind() == Device.Kind.CPU) {
      return new Entry(cpuSession(env, spec), selected(spec, Device.CPU, null));
    }
    if (requested.kind() == Device.Kind.AUTO && cudaUnavailable != null) {
      String reason = "CUDA failed earlier in this JVM: " + cudaUnavailable;
      LOG.warn(
          "Encoder {}: not trying the CUDA execution provider again ({}); running on CPU",
          file,
          reason);
      return new Entry(cpuSession(env, spec), selected(spec, Device.CPU, reason));
    }
    int index = requested.cudaIndexOrZero();
    long start = System.nanoTime();
    try {
      OrtSession session = cudaSession(env, spec, index);
      return new Entry(session, selected(spec, Device.cuda(index), null));
    } catch (OrtException | LinkageError | RuntimeException e) {
      String reason = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (requested.kind() == Device.Kind.CUDA) {
        throw new EncoderException(
            "cannot start the CUDA execution provider on GPU "
                + index
                + " for "
                + file
                + " ("
                + reason
                + "). The onnxruntime_gpu jar needs an NVIDIA driver, CUDA 12 and cuDNN 9 on"
                + " the library path (see docs/encoders.md); set encoder.device=auto to fall back"
                + " to the CPU or encoder.device=cpu to run on the CPU",
            e);
      }
      cudaUnavailable = reason;
      LOG.warn(
          "Encoder {}: CUDA execution provider could not be initialised on GPU {} after {} ms"
              + " ({}); running on CPU. Set encoder.device=cpu to skip the attempt; see"
              + " docs/encoders.md for the CUDA 12 / cuDNN 9 requirements.",
          file,
          index,
          ms,
          reason);
      return new Entry(cpuSession(env, spec), selected(spec, Device.CPU, reason));
    }
  }

  private static ProviderSelection selected(Spec spec, Device actual, String fallback) {
    ProviderSelection s = new ProviderSelection(spec.device(), actual, fallback);
    LOG.info(
        "Encoder {}: execution provider {} (requested {}, intra-op threads {}, inter-op threads"
            + " {}, spinning {})",
        spec.modelFile(),
        actual.kind() == Device.Kind.CPU ? "CPU" : "CUDA on GPU " + actual.index(),
        spec.device(),
        spec.threads() == 0 ? "default" : spec.threads(),
        spec.interOpThreads(),
        spec.threadsSpin());
    return s;
  }

  private static OrtSession.SessionOptions baseOptions(Spec spec) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    if (spec.threads() > 0) {
      so.setIntraOpNumThreads(spec.threads());
    }
    if (spec.interOpThreads() > 0) {
      so.setInterOpNumThreads(spec.interOpThreads());
    }
    if (!spec.threadsSpin()) {
      so.addConfigEntry("session.intra_op.allow_spinning", "0");
      so.addConfigEntry("session.inter_op.allow_spinning", "0");
    }
    return so;
  }

  private static OrtSession cpuSession(OrtEnvironment env, Spec spec) {
    try (OrtSession.SessionOptions so = baseOptions(spec)) {
      return env.createSession(spec.modelFile().toString(), so);
    } catch (OrtException e) {
      throw new EncoderException(
          "Error loading encoder model " + spec.modelFile() + " on the CPU: " + e.getMessage(), e);
    }
  }

  private static OrtSession cudaSession(OrtEnvironment env, Spec spec, int index)
      throws OrtException {
    try (OrtSession.SessionOptions so = baseOptions(spec);
        OrtCUDAProviderOptions cuda = cudaOptions(spec, index)) {
      so.addCUDA(cuda);
      return env.createSession(spec.modelFile().toString(), so);
    }
  }

  /** The CUDA provider options this module sets; public for the documentation test. */
  public static OrtCUDAProviderOptions cudaOptions(Spec spec, int index) throws OrtException {
    OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(index);
    cuda.add("cudnn_conv_algo_search", spec.cudnnConvAlgoSearch().name());
    if (spec.cudaMemoryLimitBytes() > 0) {
      cuda.add("gpu_mem_limit", Long.toString(spec.cudaMemoryLimitBytes()));
    }
    return cuda;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
