package io.foresight.encoders;

import static io.foresight.runtime.Fixtures.assertParity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresight.encoders.FrameDecodeException.Reason;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final ModelCard.Input rgb64 = Fixtures.rgb64();
  private final FrameDecoder decoder = FrameDecoder.forInput(rgb64);

  private float[] decode(FrameDecoder d, FrameEncoding encoding, int w, int h, byte[] data) {
    return io.foresight.runtime.Fixtures.written(
        d.frameSize(), out -> d.decode(encoding, w, h, data, 0, data.length, out, 0));
  }

  // ---- parity with encoders/src/test/python/preprocess.py ----

  @Test
  void shouldMatchPythonForRgb8AtModelSize() {
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    assertParity(
        decode(decoder, FrameEncoding.RGB8, 64, 64, px), "/parity/rgb_64x64.rgb-model.f32");
  }

  @Test
  void shouldMatchPythonWhenShrinkingRgb8() {
    byte[] px = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");
    assertParity(
        decode(decoder, FrameEncoding.RGB8, 96, 72, px), "/parity/rgb_96x72.rgb-model.f32");
  }

  @Test
  void shouldMatchPythonWhenEnlargingRgb8() {
    byte[] px = Fixtures.bytes("/parity/rgb_40x30.rgb.bin");
    assertParity(
        decode(decoder, FrameEncoding.RGB8, 40, 30, px), "/parity/rgb_40x30.rgb-model.f32");
  }

  @Test
  void shouldDecodeBgr8ToTheSameTensorAsRgb8() {
    byte[] px = Fixtures.bytes("/parity/rgb_96x72.bgr.bin");
    assertParity(
        decode(decoder, FrameEncoding.BGR8, 96, 72, px), "/parity/rgb_96x72.rgb-model.f32");
  }

  @Test
  void shouldRepeatGray8IntoEveryChannelOfAColourModel() {
    byte[] px = Fixtures.bytes("/parity/rgb_96x72.gray.bin");
    assertParity(
        decode(decoder, FrameEncoding.GRAY8, 96, 72, px),
        "/parity/rgb_96x72.gray-input.rgb-model.f32");
  }

  @Test
  void shouldMatchPythonForPng() {
    byte[] png = Fixtures.bytes("/parity/rgb_96x72.png");
    assertParity(
        decode(decoder, FrameEncoding.PNG, 96, 72, png), "/parity/rgb_96x72.rgb-model.f32");
  }

  @Test
  void shouldWriteChannelsInBgrOrderForABgrModel() {
    FrameDecoder bgr =
        FrameDecoder.forInput(
            Fixtures.input(
                3, 64, 64, "BGR", new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.5f, 0.6f, 0.7f}));
    byte[] px = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");
    assertParity(decode(bgr, FrameEncoding.RGB8, 96, 72, px), "/parity/rgb_96x72.bgr-model.f32");
  }

  @Test
  void shouldConvertColourToLumaForAGrayModel() {
    FrameDecoder gray =
        FrameDecoder.forInput(
            Fixtures.input(1, 32, 32, "GRAY", new float[] {0.45f}, new float[] {0.2f}));
    byte[] px = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");
    assertParity(decode(gray, FrameEncoding.RGB8, 96, 72, px), "/parity/rgb_96x72.gray-model.f32");
  }

  // ---- compressed frames and image layouts ----

  @Test
  void shouldDecodeJpegCloseToItsPixels() throws IOException {
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    byte[] jpeg = jpeg(rgbImage(px, 64, 64), 0.98f);
    float[] fromJpeg = decode(decoder, FrameEncoding.JPEG, 64, 64, jpeg);
    // Exactly the pixels javax.imageio decodes...
    BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
    byte[] rgb = new byte[64 * 64 * 3];
    for (int i = 0; i < 64 * 64; i++) {
      int argb = decoded.getRGB(i % 64, i / 64);
      rgb[3 * i] = (byte) (argb >> 16);
      rgb[3 * i + 1] = (byte) (argb >> 8);
      rgb[3 * i + 2] = (byte) argb;
    }
    float[] fromDecodedPixels = decode(decoder, FrameEncoding.RGB8, 64, 64, rgb);
    assertThat(meanAbsDiff(fromJpeg, fromDecodedPixels)).isLessThan(1e-6f);
    // ...which are close to the source (one grey level is 4/255 = 0.016 after std 0.25; chroma
    // subsampling of this noisy image costs a few levels).
    float[] fromRaw = decode(decoder, FrameEncoding.RGB8, 64, 64, px);
    assertThat(meanAbsDiff(fromJpeg, fromRaw)).isLessThan(0.25f);
  }

  @Test
  void shouldDecodeGrayJpegIntoEveryChannel() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.getRaster().setSample(x, y, 0, 128);
      }
    }
    float[] f = decode(decoder, FrameEncoding.JPEG, 64, 64, jpeg(img, 0.95f));
    float expected = (128 / 255f - 0.5f) / 0.25f;
    assertThat(f[0]).isCloseTo(expected, within(0.05f));
    assertThat(f[64 * 64]).isCloseTo(expected, within(0.05f));
    assertThat(f[2 * 64 * 64 + 64 * 64 - 1]).isCloseTo(expected, within(0.05f));
  }

  @Test
  void shouldDecodePaletteRgbaAndSixteenBitPngs() throws IOException {
    float red = (200 / 255f - 0.5f) / 0.25f;
    float green = (10 / 255f - 0.5f) / 0.25f;
    float blue = (70 / 255f - 0.5f) / 0.25f;

    BufferedImage rgba = new BufferedImage(64, 64, BufferedImage.TYPE_4BYTE_ABGR);
    fill(rgba, 0x80C80A46);
    float[] f = decode(decoder, FrameEncoding.PNG, 64, 64, png(rgba));
    assertThat(new float[] {f[0], f[4096], f[8192]})
        .containsExactly(new float[] {red, green, blue}, within(1e-5f));

    byte[] r = {(byte) 200, 0};
    byte[] g = {10, 0};
    byte[] b = {70, 0};
    BufferedImage palette =
        new BufferedImage(
            64, 64, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    f = decode(decoder, FrameEncoding.PNG, 64, 64, png(palette));
    assertThat(new float[] {f[5], f[4096 + 5], f[8192 + 5]})
        .containsExactly(new float[] {red, green, blue}, within(1e-5f));

    BufferedImage gray16 = new BufferedImage(64, 64, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = gray16.getRaster();
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        raster.setSample(x, y, 0, 200 << 8);
      }
    }
    f = decode(decoder, FrameEncoding.PNG, 64, 64, png(gray16));
    assertThat(f[100]).isCloseTo(red, within(1e-5f));
    assertThat(f[8192 + 100]).isCloseTo(red, within(1e-5f));
  }

  @Test
  void shouldAcceptCompressedFrameWithUnknownSize() {
    byte[] png = Fixtures.bytes("/parity/rgb_96x72.png");
    assertParity(decode(decoder, FrameEncoding.PNG, 0, 0, png), "/parity/rgb_96x72.rgb-model.f32");
  }

  @Test
  void shouldDecodeCameraFrameAndDirectBuffers() {
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    ByteBuffer direct = ByteBuffer.allocateDirect(px.length).put(px).flip();
    CameraFrame frame = frame(FrameEncoding.RGB8, 64, 64, direct);
    float[] f =
        io.foresight.runtime.Fixtures.written(
            decoder.frameSize(), out -> decoder.decode(frame, out, 0));
    assertParity(f, "/parity/rgb_64x64.rgb-model.f32");
  }

  @Test
  void shouldWriteOnlyItsOwnSlot() {
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    int n = decoder.frameSize();
    FloatBuffer out = Tensors.directFloats(3 * n);
    for (int i = 0; i < 3 * n; i++) {
      out.put(i, -7f);
    }
    decoder.decode(FrameEncoding.RGB8, 64, 64, px, 0, px.length, out, 1);
    assertThat(out.get(n - 1)).isEqualTo(-7f);
    assertThat(out.get(2 * n)).isEqualTo(-7f);
    assertThat(out.get(n)).isNotEqualTo(-7f);
    assertThat(out.position()).isZero();
  }

  @Test
  void shouldNotAllocatePerRawFrame() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    byte[] same = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    byte[] other = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");
    FloatBuffer out = Tensors.directFloats(decoder.frameSize());
    for (int i = 0; i < 200; i++) { // warm up the JIT and the decoder's tables
      decoder.decode(FrameEncoding.RGB8, 64, 64, same, 0, same.length, out, 0);
      decoder.decode(FrameEncoding.RGB8, 96, 72, other, 0, other.length, out, 0);
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1000; i++) {
      decoder.decode(FrameEncoding.RGB8, 64, 64, same, 0, same.length, out, 0);
      decoder.decode(FrameEncoding.RGB8, 96, 72, other, 0, other.length, out, 0);
    }
    long perFrame = (mx.getCurrentThreadAllocatedBytes() - before) / 2000;
    // A 64x64 RGB frame is 12 KB of pixels and 48 KB of floats; nothing near that is allocated.
    assertThat(perFrame).isLessThan(64);
  }

  // ---- errors, each with its reason ----

  @Test
  void shouldRefuseRawFrameWhoseLengthIsNotWidthTimesHeightTimesChannels() {
    assertThatThrownBy(() -> decode(decoder, FrameEncoding.RGB8, 64, 64, new byte[64 * 64 * 3 - 1]))
        .isInstanceOfSatisfying(
            FrameDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIZE_MISMATCH))
        .hasMessage("raw frame of 64x64x3 needs 12288 bytes but has 12287");
    assertThatThrownBy(() -> decode(decoder, FrameEncoding.GRAY8, 64, 64, new byte[64 * 64 * 3]))
        .isInstanceOfSatisfying(
            FrameDecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SIZE_MISMATCH));
  }

  @Test
  void shouldRefuseZeroAndNegativeDimensions() {
    assertReason(
            () -> decode(decoder, FrameEncoding.RGB8, 0, 64, new byte[0]), Reason.BAD_DIMENSIONS)
        .hasMessageContaining("width 0 and height 64");
    assertReason(
        () -> decode(decoder, FrameEncoding.BGR8, 8, -1, new byte[8]), Reason.BAD_DIMENSIONS);
    assertReason(
        () -> decode(decoder, FrameEncoding.PNG, -5, 10, Fixtures.bytes("/parity/rgb_96x72.png")),
        Reason.BAD_DIMENSIONS);
  }

  @Test
  void shouldRefuseHugeDimensionsBeforeLookingAtTheData() {
    assertReason(
            () -> decode(decoder, FrameEncoding.GRAY8, 100_000, 1, new byte[100_000]),
            Reason.BAD_DIMENSIONS)
        .hasMessageContaining("encoder.frame.max.side");
    FrameDecoder small =
        FrameDecoder.forInput(
            rgb64, EncoderOptions.builder().set(EncoderOptions.MAX_FRAME_PIXELS, 1000L).build());
    assertReason(
        () -> decode(small, FrameEncoding.GRAY8, 40, 40, new byte[1600]), Reason.BAD_DIMENSIONS);
  }

  @Test
  void shouldCheckAHeaderWithoutDecodingTheBytes() {
    decoder.checkHeader(FrameEncoding.RGB8, 64, 64, 64 * 64 * 3);
    decoder.checkHeader(FrameEncoding.JPEG, 0, 0, 10); // the bytes are only read by decode
    assertReason(() -> decoder.checkHeader(FrameEncoding.RGB8, 64, 64, 10), Reason.SIZE_MISMATCH)
        .hasMessageContaining("needs 12288 bytes but has 10");
    assertReason(() -> decoder.checkHeader(FrameEncoding.GRAY8, 64, 64, -1), Reason.SIZE_MISMATCH)
        .hasMessageContaining("no data");
    assertReason(() -> decoder.checkHeader(FrameEncoding.PNG, -1, 5, 10), Reason.BAD_DIMENSIONS);
    assertReason(
        () -> decoder.checkHeader(FrameEncoding.BGR8, 100_000, 1, 300_000), Reason.BAD_DIMENSIONS);
    assertReason(() -> decoder.checkHeader(null, 64, 64, 12288), Reason.UNSUPPORTED_ENCODING);
  }

  @Test
  void shouldRefuseHugeCompressedImageBeforeDecodingIt() throws IOException {
    byte[] bomb = pngHeaderOnly(60_000, 60_000);
    assertReason(() -> decode(decoder, FrameEncoding.PNG, 0, 0, bomb), Reason.BAD_DIMENSIONS)
        .hasMessageContaining("PNG image is 60000x60000");
  }

  @Test
  void shouldRefuseTruncatedJpeg() throws IOException {
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    byte[] jpeg = jpeg(rgbImage(px, 64, 64), 0.9f);
    byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
    assertReason(() -> decode(decoder, FrameEncoding.JPEG, 64, 64, cut), Reason.TRUNCATED_IMAGE);
    byte[] headerOnly = Arrays.copyOf(jpeg, 100);
    assertReason(
        () -> decode(decoder, FrameEncoding.JPEG, 64, 64, headerOnly), Reason.TRUNCATED_IMAGE);
  }

  @Test
  void shouldRefuseTruncatedPng() {
    byte[] png = Fixtures.bytes("/parity/rgb_96x72.png");
    byte[] cut = Arrays.copyOf(png, png.length / 2);
    assertReason(() -> decode(decoder, FrameEncoding.PNG, 96, 72, cut), Reason.TRUNCATED_IMAGE);
    assertReason(
        () -> decode(decoder, FrameEncoding.PNG, 96, 72, Arrays.copyOf(png, 5)),
        Reason.TRUNCATED_IMAGE);
  }

  @Test
  void shouldRefuseCorruptCompressedBytes() {
    byte[] garbage = new byte[500];
    new java.util.Random(1).nextBytes(garbage);
    garbage[0] = (byte) 0xFF;
    garbage[1] = (byte) 0xD8;
    garbage[498] = (byte) 0xFF; // ends like a whole JPEG, so it is corrupt rather than truncated
    garbage[499] = (byte) 0xD9;
    assertReason(() -> decode(decoder, FrameEncoding.JPEG, 64, 64, garbage), Reason.CORRUPT_IMAGE);
    byte[] raw = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    assertReason(() -> decode(decoder, FrameEncoding.JPEG, 64, 64, raw), Reason.CORRUPT_IMAGE)
        .hasMessageContaining("FF D8");
    assertReason(() -> decode(decoder, FrameEncoding.PNG, 64, 64, raw), Reason.CORRUPT_IMAGE)
        .hasMessageContaining("PNG signature");
    assertReason(
        () -> decode(decoder, FrameEncoding.PNG, 64, 64, new byte[0]), Reason.CORRUPT_IMAGE);
  }

  @Test
  void shouldRefusePngWithDamagedData() {
    byte[] png = Fixtures.bytes("/parity/rgb_96x72.png").clone();
    for (int i = 100; i < 400; i++) {
      png[i] ^= 0x5A;
    }
    assertThatThrownBy(() -> decode(decoder, FrameEncoding.PNG, 96, 72, png))
        .isInstanceOf(FrameDecodeException.class);
  }

  @Test
  void shouldRefuseCompressedFrameWhoseDeclaredSizeDiffers() {
    byte[] png = Fixtures.bytes("/parity/rgb_96x72.png");
    assertReason(() -> decode(decoder, FrameEncoding.PNG, 64, 64, png), Reason.SIZE_MISMATCH)
        .hasMessage("PNG frame declares 64x64 but the image is 96x72");
  }

  @Test
  void shouldRefuseFrameWithoutEncodingOrData() {
    assertReason(() -> decode(decoder, null, 64, 64, new byte[12288]), Reason.UNSUPPORTED_ENCODING)
        .hasMessageContaining("RGB8, BGR8, GRAY8, JPEG, PNG");
    FloatBuffer out = Tensors.directFloats(decoder.frameSize());
    assertReason(
        () -> decoder.decode(FrameEncoding.RGB8, 64, 64, (byte[]) null, 0, 0, out, 0),
        Reason.SIZE_MISMATCH);
  }

  @Test
  void shouldRefuseSlotOutsideTheBuffer() {
    FloatBuffer out = Tensors.directFloats(decoder.frameSize());
    byte[] px = new byte[12288];
    assertThatThrownBy(() -> decoder.decode(FrameEncoding.RGB8, 64, 64, px, 0, px.length, out, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot 1 does not fit");
  }

  @Test
  void shouldRefuseModelInputItCannotProduce() {
    assertThatThrownBy(
            () ->
                FrameDecoder.forInput(
                    Fixtures.input(4, 64, 64, "RGBA", new float[4], new float[] {1, 1, 1, 1})))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("supports 3 channels RGB or BGR, or 1 channel GRAY");
  }

  // ---- helpers ----

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertReason(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
    return assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FrameDecodeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static CameraFrame frame(FrameEncoding enc, int w, int h, ByteBuffer data) {
    return CameraFrame.newBuilder()
        .setStreamId("cam")
        .setSequence(1)
        .setCaptureTimeUs(1)
        .setEncoding(enc)
        .setWidth(w)
        .setHeight(h)
        .setData(data)
        .setFrameId(null)
        .setMetadata(Map.of())
        .build();
  }

  private static float meanAbsDiff(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i] - b[i]);
    }
    return (float) (s / a.length);
  }

  static BufferedImage rgbImage(byte[] rgb, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        img.setRGB(x, y, (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff));
      }
    }
    return img;
  }

  private static void fill(BufferedImage img, int argb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, argb);
      }
    }
  }

  static byte[] jpeg(BufferedImage img, float quality) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = w.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(quality);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      w.setOutput(out);
      w.write(null, new IIOImage(img, null, null), p);
    }
    w.dispose();
    return bytes.toByteArray();
  }

  static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, "png", bytes)).isTrue();
    return bytes.toByteArray();
  }

  /** A PNG whose header claims w x h and whose data holds one row: a decompression bomb shape. */
  private static byte[] pngHeaderOnly(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 0, 0, 0, 0});
    chunk(out, "IHDR", ihdr.toByteArray());
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[w + 1]);
    deflater.finish();
    byte[] buf = new byte[w + 100];
    int n = deflater.deflate(buf);
    chunk(out, "IDAT", Arrays.copyOf(buf, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }
}
