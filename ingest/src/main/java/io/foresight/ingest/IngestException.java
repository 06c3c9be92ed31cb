package io.foresight.ingest;

/**
 * Root of the unchecked exceptions of the ingest module: a producer, the simulated world, a robot
 * or the dataset recorder could not do what was asked. The message says what went wrong, on what
 * (file, offset, stream, topic) and how to fix it.
 */
public class IngestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
