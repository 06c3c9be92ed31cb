package io.foresight.tools.dataset.internal;

/** The topics hold nothing that makes a dataset; the message says what was found and what to do. */
public final class DatasetExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetExportException(String message) {
    super(message);
  }

  public DatasetExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
