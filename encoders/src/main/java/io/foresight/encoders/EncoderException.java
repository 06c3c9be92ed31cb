package io.foresight.encoders;

/**
 * Root of the unchecked exceptions of the encoders module: a model that does not match its card, an
 * execution provider that cannot start, a frame that cannot be decoded, a failed inference.
 */
public class EncoderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EncoderException(String message) {
    super(message);
  }

  public EncoderException(String message, Throwable cause) {
    super(message, cause);
  }
}
