package io.foresight.broker;

/** Root of the unchecked exceptions of the broker module: the broker or topic set-up failed. */
public class BrokerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BrokerException(String message) {
    super(message);
  }

  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
