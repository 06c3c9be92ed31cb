package io.foresight.schemas;

/**
 * Root of the unchecked exceptions of the schemas module: something does not follow Foresight's
 * contract.
 */
public class ContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContractException(String message) {
    super(message);
  }

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
