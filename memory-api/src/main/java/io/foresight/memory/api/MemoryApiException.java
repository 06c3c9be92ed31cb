package io.foresight.memory.api;

/**
 * A memory API call that failed: the server answered an error status, or did not answer. The
 * message says the method, the URL, the status and the server's reason.
 */
public class MemoryApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@link #status()} when the server did not answer at all. */
  public static final int NO_ANSWER = -1;

  private final String url;
  private final int status;
  private final String error;

  public MemoryApiException(String message, String url, int status, String error, Throwable cause) {
    super(message, cause);
    this.url = url;
    this.status = status;
    this.error = error;
  }

  /** The URL asked. */
  public String url() {
    return url;
  }

  /** The HTTP status answered, or {@link #NO_ANSWER}. */
  public int status() {
    return status;
  }

  /** The server's reason (its {@code error} field), or what went wrong on the way. */
  public String error() {
    return error;
  }
}
