package io.foresight.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.foresight.runtime.internal.SessionFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * The one way Foresight opens ONNX Runtime sessions: one session per {@link SessionSpec} (model
 * file, hash, device, options) per JVM, shared by reference count, so every encoder and every world
 * model of a task manager (one per Flink subtask) uses the same session. {@code OrtSession.run} is
 * thread-safe, so sharing costs nothing.
 *
 * <p>The execution provider follows the {@link Device} rules: {@code cpu} never tries CUDA; {@code
 * cuda:N} throws a {@link DeviceUnavailableException} if CUDA cannot start; {@code auto} tries CUDA
 * and falls back to the CPU with one INFO line, and after one failure later auto sessions in the
 * JVM go straight to the CPU.
 *
 * <pre>{@code
 * try (ModelSession s = ModelSessions.acquire(SessionSpec.builder(file).device(Device.AUTO).build())) {
 *   OrtSession session = s.session();
 *   log.info("running on {}", s.selection().actual());
 * }
 * }</pre>
 */
public final class ModelSessions {
  static final Object LOCK = new Object();
  private static final Map<SessionSpec, Entry> SESSIONS = new HashMap<>();

  private ModelSessions() {}

  /** Leases the session for {@code spec}, opening it on first use. */
  public static ModelSession acquire(SessionSpec spec) {
    synchronized (LOCK) {
      Entry e = SESSIONS.get(spec);
      boolean created = false;
      if (e == null) {
        e = new Entry(SessionFactory.open(spec));
        SESSIONS.put(spec, e);
        created = true;
      }
      e.refs++;
      return new ModelSession(spec, e, created);
    }
  }

  /** How many shared sessions are open in this JVM. */
  public static int openSessions() {
    synchronized (LOCK) {
      return SESSIONS.size();
    }
  }

  /** How many leases hold the session of {@code spec}; 0 if it is not open. */
  public static int references(SessionSpec spec) {
    synchronized (LOCK) {
      Entry e = SESSIONS.get(spec);
      return e == null ? 0 : e.refs;
    }
  }

  /** Forgets an earlier CUDA failure so that the next auto session tries CUDA again (tests). */
  public static void forgetCudaFailure() {
    SessionFactory.forgetCudaFailure();
  }

  /** The shared ONNX Runtime environment (never closed; one per JVM). */
  public static OrtEnvironment environment() {
    return SessionFactory.environment();
  }

  /**
   * Opens a private (not shared) CPU session over an in-memory model, for probes and benchmarks;
   * the caller closes it.
   *
   * @param threads intra-op threads, 0 = ONNX Runtime's default
   */
  public static OrtSession openInMemory(byte[] model, int threads) {
    return SessionFactory.openInMemory(model, threads);
  }

  static void remove(SessionSpec spec) {
    SESSIONS.remove(spec);
  }

  /** A shared session and its lease count (guarded by {@link #LOCK}). */
  static final class Entry {
    private final SessionFactory.Opened opened;
    private int refs;

    Entry(SessionFactory.Opened opened) {
      this.opened = opened;
    }

    SessionFactory.Opened opened() {
      return opened;
    }

    /** Drops one lease; true when it was the last. */
    boolean release() {
      return --refs == 0;
    }
  }
}
