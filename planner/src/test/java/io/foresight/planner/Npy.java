package io.foresight.planner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the little-endian float32 and uint8 NumPy files of the golden vectors (tests only). */
final class Npy {
  final int[] shape;
  final float[] floats;
  final byte[] bytes;

  private Npy(int[] shape, float[] floats, byte[] bytes) {
    this.shape = shape;
    this.floats = floats;
    this.bytes = bytes;
  }

  static Npy read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.get() != (byte) 0x93) {
      throw new IOException(file + " is not a .npy file");
    }
    b.position(6);
    int major = b.get();
    b.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    byte[] h = new byte[headerLen];
    b.get(h);
    String header = new String(h, StandardCharsets.ISO_8859_1);
    Matcher d = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
    Matcher s = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
    if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
      throw new IOException(file + ": unsupported header " + header);
    }
    String[] parts = s.group(1).split(",");
    int n = 0;
    for (String p : parts) {
      if (!p.isBlank()) {
        n++;
      }
    }
    int[] shape = new int[n];
    int count = 1;
    int i = 0;
    for (String p : parts) {
      if (!p.isBlank()) {
        shape[i] = Integer.parseInt(p.trim());
        count *= shape[i++];
      }
    }
    switch (d.group(1)) {
      case "<f4" -> {
        float[] f = new float[count];
        b.asFloatBuffer().get(f);
        return new Npy(shape, f, null);
      }
      case "|u1" -> {
        byte[] u = new byte[count];
        b.get(u);
        return new Npy(shape, null, u);
      }
      default -> throw new IOException(file + ": unsupported dtype " + d.group(1));
    }
  }
}
