package io.foresight.ingest;

/**
 * A frame (or record) is larger than Foresight accepts ({@link
 * io.foresight.schemas.Topics#MAX_FRAME_BYTES} for frame data, {@link
 * io.foresight.schemas.Topics#MAX_RECORD_BYTES} for a whole record); it was refused before sending.
 */
public final class FrameTooLargeException extends IngestException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long limit;

  public FrameTooLargeException(String message, long size, long limit) {
    super(message);
    this.size = size;
    this.limit = limit;
  }

  /** The refused size in bytes. */
  public long size() {
    return size;
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }
}
