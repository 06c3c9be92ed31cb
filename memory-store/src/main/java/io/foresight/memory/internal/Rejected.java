package io.foresight.memory.internal;

/**
 * A record the memory refuses: it goes to the dead-letter topic with {@link #type()} as its
 * error_type and the message as its error. Thrown by the ingestors, caught by the processors.
 */
final class Rejected extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String type;

  Rejected(String type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  Rejected(String type, String message, Throwable cause) {
    super(message, cause, false, false);
    this.type = type;
  }

  /** The error type, e.g. {@code WRONG_SIZE}. */
  String type() {
    return type;
  }
}
