package io.foresight.sim.dataset;

import io.foresight.ingest.IngestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} format version 1.0: the header that {@link NpyWriter} writes and a reader for
 * it. Layout: the magic {@code \x93NUMPY}, version bytes 1 0, a little-endian uint16 header length,
 * then an ASCII Python dict literal with {@code descr}, {@code fortran_order} and {@code shape},
 * padded with spaces and ended by a newline so the data starts at a multiple of 64 bytes.
 */
public final class Npy {
  /** The six magic bytes. */
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private static final Pattern DICT =
      Pattern.compile(
          "\\{'descr': '([^']+)', 'fortran_order': (True|False), 'shape': \\(([0-9, ]*)\\), \\}");

  private Npy() {}

  /** An element type: the NumPy descr string and its size in bytes. */
  public enum Dtype {
    UINT8("|u1", 1),
    INT8("|i1", 1),
    FLOAT32("<f4", 4);

    private final String descr;
    private final int size;

    Dtype(String descr, int size) {
      this.descr = descr;
      this.size = size;
    }

    public String descr() {
      return descr;
    }

    public int size() {
      return size;
    }

    static Dtype ofDescr(String descr) {
      for (Dtype d : values()) {
        if (d.descr.equals(descr)) {
          return d;
        }
      }
      throw new IngestException("unsupported .npy dtype '" + descr + "'");
    }
  }

  /**
   * A parsed header.
   *
   * @param dtype element type
   * @param fortranOrder whether the data is column-major (never, for files written here)
   * @param shape the array's shape
   * @param dataOffset byte offset of the first element
   */
  public record Header(Dtype dtype, boolean fortranOrder, long[] shape, int dataOffset) {
    /** The number of elements. */
    public long count() {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return n;
    }

    /** The number of data bytes. */
    public long dataBytes() {
      return count() * dtype.size();
    }

    @Override
    public String toString() {
      return "Header["
          + dtype
          + ", fortran="
          + fortranOrder
          + ", shape="
          + Arrays.toString(shape)
          + ", offset="
          + dataOffset
          + "]";
    }
  }

  /** The complete header bytes (magic to newline) for an array; a multiple of 64 bytes long. */
  public static byte[] header(Dtype dtype, long... shape) {
    StringBuilder s = new StringBuilder();
    s.append("{'descr': '").append(dtype.descr()).append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      s.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        s.append(',');
      }
      if (i < shape.length - 1) {
        s.append(' ');
      }
    }
    s.append("), }");
    int unpadded = MAGIC.length + 2 + 2 + s.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    s.append(" ".repeat(total - unpadded)).append('\n');
    int headerLen = s.length();
    if (headerLen > 0xFFFF) {
      throw new IllegalArgumentException("shape too long for a version 1.0 .npy header");
    }
    byte[] out = new byte[total];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (headerLen & 0xff);
    out[9] = (byte) (headerLen >>> 8);
    byte[] dict = s.toString().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(dict, 0, out, 10, dict.length);
    return out;
  }

  /** Reads and validates the header of a {@code .npy} file written by {@link NpyWriter}. */
  public static Header readHeader(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] pre = in.readNBytes(10);
      if (pre.length < 10 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
        throw new IngestException(file + " is not a .npy file: the magic \\x93NUMPY is missing");
      }
      if (pre[6] != 1 || pre[7] != 0) {
        throw new IngestException(
            file + ": .npy version " + pre[6] + "." + pre[7] + " is not supported (1.0 only)");
      }
      int len = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
      byte[] dict = in.readNBytes(len);
      if (dict.length < len) {
        throw new IngestException(file + ": .npy header is cut off");
      }
      String text = new String(dict, StandardCharsets.US_ASCII);
      if ((10 + len) % 64 != 0 || !text.endsWith("\n")) {
        throw new IngestException(file + ": .npy header is not padded to 64 bytes with a newline");
      }
      Matcher m = DICT.matcher(text.strip());
      if (!m.matches()) {
        throw new IngestException(file + ": unexpected .npy header dict: " + text.strip());
      }
      List<Long> dims = new ArrayList<>();
      for (String part : m.group(3).split(",")) {
        if (!part.isBlank()) {
          dims.add(Long.parseLong(part.strip()));
        }
      }
      long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
      return new Header(Dtype.ofDescr(m.group(1)), m.group(2).equals("True"), shape, 10 + len);
    } catch (IOException e) {
      throw new IngestException("Error reading the .npy header of " + file + ": " + e, e);
    }
  }
}
