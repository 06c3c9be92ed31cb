package io.foresight.encoders;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A minimal reader of little-endian numpy .npy files (uint8 and float32, C order), for tests. */
final class Npy {
  final String dtype;
  final int[] shape;
  final ByteBuffer data;

  private Npy(String dtype, int[] shape, ByteBuffer data) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  static Npy read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.get(0) != (byte) 0x93 || b.get(1) != 'N') {
      throw new IOException(file + " is not a .npy file");
    }
    int major = b.get(6);
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
    int start = major == 1 ? 10 : 12;
    String header = new String(b.array(), start, headerLen, StandardCharsets.ISO_8859_1);
    if (header.contains("'fortran_order': True")) {
      throw new IOException(file + " is in Fortran order");
    }
    String descr = header.replaceAll(".*'descr':\\s*'([^']*)'.*", "$1").trim();
    String dims = header.replaceAll("(?s).*'shape':\\s*\\(([^)]*)\\).*", "$1").trim();
    String[] parts = dims.isEmpty() ? new String[0] : dims.split(",");
    int n = 0;
    int[] shape = new int[parts.length];
    for (String p : parts) {
      if (!p.isBlank()) {
        shape[n++] = Integer.parseInt(p.trim());
      }
    }
    int[] s = java.util.Arrays.copyOf(shape, n);
    ByteBuffer data = b.position(start + headerLen).slice().order(ByteOrder.LITTLE_ENDIAN);
    return new Npy(descr, s, data);
  }

  byte[] bytes() {
    byte[] out = new byte[data.remaining()];
    data.duplicate().get(out);
    return out;
  }

  float[] floats() {
    if (!dtype.equals("<f4")) {
      throw new IllegalStateException("dtype " + dtype + " is not <f4");
    }
    float[] out = new float[data.remaining() / 4];
    data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
