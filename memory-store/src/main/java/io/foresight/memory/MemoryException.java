package io.foresight.memory;

/**
 * Root of the unchecked exceptions of the memory store: bad configuration, a store that cannot be
 * opened, a request that cannot be answered. Messages say what is wrong and how to fix it.
 */
public class MemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MemoryException(String message) {
    super(message);
  }

  public MemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
