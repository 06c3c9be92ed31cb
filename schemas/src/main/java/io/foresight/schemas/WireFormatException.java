package io.foresight.schemas;

/**
 * Bytes that are not a valid Avro single-object encoded record of the expected type. {@link
 * #kind()} says what was wrong, so that callers (dead-letter paths, metrics) can classify without
 * parsing the message.
 */
public final class WireFormatException extends ContractException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the bytes. */
  public enum Kind {
    /** Null or fewer than the 10 header bytes. */
    TRUNCATED_HEADER,
    /** The first two bytes are not C3 01. */
    WRONG_MARKER,
    /** The writer schema fingerprint is not one this reader knows. */
    UNKNOWN_FINGERPRINT,
    /** The body ends before the record does. */
    TRUNCATED_BODY,
    /** The body does not decode (negative or oversized lengths, bad union index, bad enum). */
    CORRUPT_BODY,
    /** Bytes are left after the record. */
    TRAILING_BYTES,
    /** A record could not be encoded (a required field is null, a value out of range). */
    UNENCODABLE
  }

  private final Kind kind;
  private final String recordName;

  public WireFormatException(Kind kind, String recordName, String message, Throwable cause) {
    super(recordName + ": " + message, cause);
    this.kind = kind;
    this.recordName = recordName;
  }

  public Kind kind() {
    return kind;
  }

  /** The simple name of the record type that was expected, e.g. {@code CameraFrame}. */
  public String recordName() {
    return recordName;
  }
}
