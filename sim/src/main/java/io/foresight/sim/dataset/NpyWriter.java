package io.foresight.sim.dataset;

import io.foresight.ingest.IngestException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Streams one array to a {@code .npy} file (version 1.0, C order): the header first, then the
 * elements in row-major order as they come, through a 1 MiB buffer, so arrays larger than memory
 * can be written. {@link #close()} fails if fewer or more elements were written than the shape
 * holds.
 */
public final class NpyWriter implements AutoCloseable {
  private final Path file;
  private final Npy.Dtype dtype;
  private final long[] shape;
  private final long expectedBytes;
  private final FileChannel channel;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private long written;
  private boolean closed;

  public NpyWriter(Path file, Npy.Dtype dtype, long... shape) {
    this.file = file;
    this.dtype = dtype;
    this.shape = shape.clone();
    long n = dtype.size();
    for (long s : shape) {
      n *= s;
    }
    this.expectedBytes = n;
    try {
      this.channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      channel.write(ByteBuffer.wrap(Npy.header(dtype, shape)));
    } catch (IOException e) {
      throw new IngestException("Error creating " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends bytes (for uint8 and int8 arrays). */
  public void write(byte[] data, int off, int len) {
    while (len > 0) {
      int n = Math.min(len, buffer.remaining());
      buffer.put(data, off, n);
      off += n;
      len -= n;
      written += n;
      if (!buffer.hasRemaining()) {
        flush();
      }
    }
  }

  /** Appends one byte. */
  public void write(byte b) {
    if (!buffer.hasRemaining()) {
      flush();
    }
    buffer.put(b);
    written++;
  }

  /** Appends one float32. */
  public void write(float f) {
    if (buffer.remaining() < 4) {
      flush();
    }
    buffer.putFloat(f);
    written += 4;
  }

  private void flush() {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new IngestException(
          "Error writing " + file + " after " + written + " bytes: " + e.getMessage(), e);
    }
    buffer.clear();
  }

  /** Bytes of data written so far (the header not counted). */
  public long written() {
    return written;
  }

  public Path file() {
    return file;
  }

  public long[] shape() {
    return shape.clone();
  }

  /**
   * Flushes and closes the file.
   *
   * @throws IngestException if the data does not fill the declared shape exactly
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flush();
      channel.close();
    } catch (IOException e) {
      throw new IngestException("Error closing " + file + ": " + e.getMessage(), e);
    }
    if (written != expectedBytes) {
      throw new IngestException(
          file
              + " holds "
              + written
              + " data bytes but its header declares shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " = "
              + expectedBytes
              + " bytes; the recording was cut short");
    }
  }
}
