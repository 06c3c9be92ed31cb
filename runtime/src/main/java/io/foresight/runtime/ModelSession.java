package io.foresight.runtime;

import ai.onnxruntime.OrtSession;
import io.foresight.runtime.internal.SessionFactory;

/**
 * A lease on a shared ONNX Runtime session (see {@link ModelSessions#acquire}); closing it releases
 * the lease, and the last lease to close closes the session. {@code OrtSession.run} is thread-safe,
 * so the session may be used from any thread while the lease is open.
 */
public final class ModelSession implements AutoCloseable {
  private final SessionSpec spec;
  private final ModelSessions.Entry entry;
  private final boolean created;
  private volatile boolean closed;

  ModelSession(SessionSpec spec, ModelSessions.Entry entry, boolean created) {
    this.spec = spec;
    this.entry = entry;
    this.created = created;
  }

  /** The session. */
  public OrtSession session() {
    // No lock: every subtask of a task manager calls this once per batch.
    if (closed) {
      throw new IllegalStateException("the session lease for " + spec.modelFile() + " is closed");
    }
    return entry.opened().session();
  }

  /** Which device was asked for and which one runs the session. */
  public ProviderSelection selection() {
    return entry.opened().selection();
  }

  /** What the session was made from. */
  public SessionSpec spec() {
    return spec;
  }

  /** Whether this lease created the session (the first user warms it up). */
  public boolean created() {
    return created;
  }

  /** Releases the lease; the last one closes the session. Closing twice does nothing. */
  @Override
  public void close() {
    synchronized (ModelSessions.LOCK) {
      if (closed) {
        return;
      }
      closed = true;
      if (entry.release()) {
        ModelSessions.remove(spec);
        SessionFactory.close(spec, entry.opened().session());
      }
    }
  }
}
