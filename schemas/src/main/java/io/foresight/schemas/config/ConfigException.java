package io.foresight.schemas.config;

import io.foresight.schemas.ContractException;

/** A configuration value or source that cannot be used; the message names the key and the fix. */
public class ConfigException extends ContractException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
