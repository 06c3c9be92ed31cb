package io.foresight.encoders;

/**
 * A frame that cannot be turned into an encoder input, with a {@link Reason} a dead-letter record
 * can carry; the frame is bad, not the job, so the caller routes it aside and carries on.
 */
public final class FrameDecodeException extends EncoderException {
  private static final long serialVersionUID = 1L;

  /** Why a frame was refused. */
  public enum Reason {
    /** A compressed image ends early (truncated JPEG or PNG). */
    TRUNCATED_IMAGE,
    /** Compressed bytes that are not a readable JPEG or PNG. */
    CORRUPT_IMAGE,
    /** Raw pixel data whose length is not width x height x channels. */
    SIZE_MISMATCH,
    /** Zero, negative or too large width or height. */
    BAD_DIMENSIONS,
    /** An encoding this decoder does not know (e.g. a newer schema's symbol). */
    UNSUPPORTED_ENCODING
  }

  private final Reason reason;

  public FrameDecodeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public FrameDecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the frame was refused. */
  public Reason reason() {
    return reason;
  }
}
