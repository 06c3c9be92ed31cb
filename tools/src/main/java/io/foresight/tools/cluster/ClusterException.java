package io.foresight.tools.cluster;

/** A Flink cluster could not be reached or refused an operation; the message says what to do. */
public final class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
