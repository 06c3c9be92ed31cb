package io.foresight.runtime;

/**
 * A stand-in for a loaded model in tests of the deployment lifecycle: it is only the encoder sha256
 * a deployment is matched on, and knows whether it was closed. The deploy module's tests use it
 * through this module's test jar.
 */
public final class ShaModel implements AutoCloseable {
  /** The encoder sha256 this model is. */
  public final String sha256;

  /** Whether {@link #close()} was called. */
  public boolean closed;

  public ShaModel(String sha256) {
    this.sha256 = sha256;
  }

  @Override
  public void close() {
    closed = true;
  }
}
