package io.foresight.sim.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.ingest.IngestException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  @Test
  void shouldWriteTheVersion1HeaderPaddedTo64Bytes() {
    byte[] h = Npy.header(Npy.Dtype.UINT8, 2500, 40, 64, 64, 3);
    assertThat(h.length % 64).isZero();
    assertThat(h[0] & 0xff).isEqualTo(0x93);
    assertThat(new String(h, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
    assertThat(h[6]).isEqualTo((byte) 1);
    assertThat(h[7]).isEqualTo((byte) 0);
    int len = (h[8] & 0xff) | (h[9] & 0xff) << 8;
    assertThat(10 + len).isEqualTo(h.length);
    String dict = new String(h, 10, len, StandardCharsets.US_ASCII);
    assertThat(dict)
        .startsWith("{'descr': '|u1', 'fortran_order': False, 'shape': (2500, 40, 64, 64, 3), }")
        .endsWith("\n");
  }

  @Test
  void shouldWriteOneDimensionalShapesWithATrailingComma() {
    String dict = new String(Npy.header(Npy.Dtype.FLOAT32, 7), StandardCharsets.US_ASCII);
    assertThat(dict).contains("'descr': '<f4'").contains("'shape': (7,), }");
  }

  @Test
  void shouldReadBackWhatItWrote() throws Exception {
    Path f = dir.resolve("a.npy");
    try (NpyWriter w = new NpyWriter(f, Npy.Dtype.FLOAT32, 2, 3)) {
      for (int i = 0; i < 6; i++) {
        w.write(i * 0.5f);
      }
    }
    Npy.Header h = Npy.readHeader(f);
    assertThat(h.dtype()).isEqualTo(Npy.Dtype.FLOAT32);
    assertThat(h.fortranOrder()).isFalse();
    assertThat(h.shape()).containsExactly(2, 3);
    assertThat(h.dataOffset()).isEqualTo(Npy.header(Npy.Dtype.FLOAT32, 2, 3).length);
    assertThat(h.dataOffset() % 64).isZero();
    byte[] all = Files.readAllBytes(f);
    assertThat(all.length).isEqualTo(h.dataOffset() + h.dataBytes());
    ByteBuffer b = ByteBuffer.wrap(all, h.dataOffset(), 24).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      assertThat(b.getFloat()).isEqualTo(i * 0.5f);
    }
  }

  @Test
  void shouldStreamMoreThanItsBuffer() throws Exception {
    Path f = dir.resolve("big.npy");
    byte[] chunk = new byte[300_000];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    try (NpyWriter w = new NpyWriter(f, Npy.Dtype.UINT8, 10, 300_000)) {
      for (int i = 0; i < 10; i++) {
        w.write(chunk, 0, chunk.length);
      }
    }
    int offset = Npy.readHeader(f).dataOffset();
    assertThat(Files.size(f)).isEqualTo(offset + 3_000_000L);
    byte[] all = Files.readAllBytes(f);
    assertThat(all[offset + 2_999_999]).isEqualTo(chunk[299_999]);
  }

  @Test
  void shouldFailWhenTheDataDoesNotFillTheShape() {
    Path f = dir.resolve("short.npy");
    NpyWriter w = new NpyWriter(f, Npy.Dtype.INT8, 4);
    w.write((byte) 1);
    assertThatThrownBy(w::close)
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("holds 1 data bytes")
        .hasMessageContaining("[4]");
  }

  @Test
  void shouldRejectAFileThatIsNotNpy() throws Exception {
    Path f = dir.resolve("x.npy");
    Files.writeString(f, "hello world, not numpy");
    assertThatThrownBy(() -> Npy.readHeader(f)).hasMessageContaining("magic");
  }
}
