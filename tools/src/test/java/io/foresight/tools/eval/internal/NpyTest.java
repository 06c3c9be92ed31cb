package io.foresight.tools.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.pipeline.PipelineException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  private static byte[] npy(String descr, String shape, byte[] body) {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(1);
    out.write(0);
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void shouldReadFloat32Arrays() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      b.putFloat(i * 0.5f);
    }
    Path f = dir.resolve("a.npy");
    Files.write(f, npy("<f4", "(2, 3)", b.array()));

    Npy a = Npy.read(f);

    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a.floats()).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
  }

  @Test
  void shouldReadUint8ArraysWithOneDimension() throws Exception {
    Path f = dir.resolve("b.npy");
    Files.write(f, npy("|u1", "(3,)", new byte[] {1, (byte) 200, 3}));

    Npy a = Npy.read(f);

    assertThat(a.shape()).containsExactly(3);
    assertThat(a.bytes()).containsExactly(1, (byte) 200, 3);
  }

  @Test
  void shouldRejectFilesThatAreNotNpy() throws Exception {
    Path f = dir.resolve("c.npy");
    Files.write(f, "not a numpy file at all".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> Npy.read(f))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("not a NumPy .npy file");
  }

  @Test
  void shouldRejectTruncatedData() throws Exception {
    Path f = dir.resolve("d.npy");
    Files.write(f, npy("<f4", "(4,)", new byte[8]));

    assertThatThrownBy(() -> Npy.read(f))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("truncated");
  }
}
