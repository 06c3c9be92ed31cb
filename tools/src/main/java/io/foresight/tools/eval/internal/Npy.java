package io.foresight.tools.eval.internal;

import io.foresight.pipeline.PipelineException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array read whole into memory (format versions 1-3, C order, little-endian
 * {@code float32} or {@code uint8}/{@code int8}): enough for golden vectors.
 *
 * @param descr the dtype descriptor, e.g. {@code <f4} or {@code |u1}
 * @param shape the array's shape
 * @param data the array's bytes, little-endian, positioned at 0
 */
public record Npy(String descr, int[] shape, ByteBuffer data) {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Reads a {@code .npy} file. */
  public static Npy read(Path file) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PipelineException("Error reading the NumPy file " + file + ": " + e, e);
    }
    ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 10
        || (all[0] & 0xff) != 0x93
        || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new PipelineException(file + " is not a NumPy .npy file (bad magic)");
    }
    int major = all[6];
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = buf.getShort(8) & 0xffff;
      start = 10;
    } else if (major == 2 || major == 3) {
      headerLen = buf.getInt(8);
      start = 12;
    } else {
      throw new PipelineException(file + " has .npy format version " + major + "; expected 1-3");
    }
    String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new PipelineException(file + " has an unreadable .npy header: " + header.trim());
    }
    if (f.group(1).equals("True")) {
      throw new PipelineException(file + " is in Fortran order; save it in C order");
    }
    String[] parts = s.group(1).split(",");
    int n = 0;
    int[] shape = new int[parts.length];
    for (String p : parts) {
      if (!p.isBlank()) {
        shape[n++] = Integer.parseInt(p.trim());
      }
    }
    int[] dims = java.util.Arrays.copyOf(shape, n);
    String descr = d.group(1);
    long count = 1;
    for (int dim : dims) {
      count *= dim;
    }
    long need = count * itemSize(descr, file);
    int offset = start + headerLen;
    if (all.length - offset < need) {
      throw new PipelineException(
          file + " is truncated: " + (all.length - offset) + " data bytes, expected " + need);
    }
    ByteBuffer body = ByteBuffer.wrap(all, offset, (int) need).slice();
    return new Npy(descr, dims, body.order(ByteOrder.LITTLE_ENDIAN));
  }

  private static int itemSize(String descr, Path file) {
    switch (descr) {
      case "<f4":
        return 4;
      case "|u1":
      case "|i1":
        return 1;
      default:
        throw new PipelineException(
            file + " has dtype " + descr + "; only float32 (<f4) and uint8/int8 are read");
    }
  }

  /** Number of elements. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The elements as floats; the dtype must be {@code <f4}. */
  public float[] floats() {
    if (!descr.equals("<f4")) {
      throw new PipelineException("array has dtype " + descr + ", not float32");
    }
    float[] out = new float[size()];
    data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /** The elements as bytes; the dtype must be one byte wide. */
  public byte[] bytes() {
    if (!descr.equals("|u1") && !descr.equals("|i1")) {
      throw new PipelineException("array has dtype " + descr + ", not uint8/int8");
    }
    byte[] out = new byte[size()];
    data.duplicate().get(out);
    return out;
  }
}
