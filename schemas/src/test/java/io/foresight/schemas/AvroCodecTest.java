package io.foresight.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.LatentState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static AvroCodec<SpecificRecord> codecFor(SpecificRecord r) {
    return (AvroCodec) AvroCodec.of(r.getClass());
  }

  @Test
  void shouldRoundTripEveryExampleRecord() {
    for (SpecificRecord r : Examples.all()) {
      AvroCodec<SpecificRecord> codec = codecFor(r);
      assertThat(codec.decode(codec.encode(r))).as(r.getSchema().getName()).isEqualTo(r);
    }
  }

  @Test
  void shouldStartEveryRecordWithMarkerAndLittleEndianFingerprint() {
    CameraFrame frame = Examples.cameraFrame();
    byte[] bytes = AvroCodec.of(CameraFrame.class).encode(frame);
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fp = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fp).isEqualTo(AvroCodec.of(CameraFrame.class).fingerprint());
  }

  @Test
  void shouldMatchGoldenBytesForEveryRecord() throws IOException {
    for (SpecificRecord r : Examples.all()) {
      String name = r.getSchema().getName();
      byte[] actual = codecFor(r).encode(r);
      try (InputStream in = getClass().getResourceAsStream("/golden/" + name + ".bin")) {
        assertThat(in)
            .as(
                "golden file golden/%s.bin (a wire format change must be deliberate: update the"
                    + " golden files and docs/wire-format.md together)",
                name)
            .isNotNull();
        assertThat(HexFormat.of().formatHex(actual))
            .as("encoding of %s", name)
            .isEqualTo(HexFormat.of().formatHex(in.readAllBytes()));
      }
    }
  }

  @Test
  void shouldRejectNullAndShortInputAsTruncatedHeader() {
    AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
    assertThatThrownBy(() -> codec.decode(null))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.TRUNCATED_HEADER));
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 0x01, 0, 0}))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.TRUNCATED_HEADER))
        .hasMessageContaining("got 4 bytes")
        .hasMessageContaining("10 header bytes");
  }

  @Test
  void shouldRejectWrongMarkerSayingWhatWasExpected() {
    byte[] bytes = AvroCodec.of(CameraFrame.class).encode(Examples.cameraFrame());
    bytes[0] = 0x00;
    assertThatThrownBy(() -> AvroCodec.of(CameraFrame.class).decode(bytes))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(WireFormatException.Kind.WRONG_MARKER);
              assertThat(e.recordName()).isEqualTo("CameraFrame");
            })
        .hasMessageContaining("wrong marker 00 01")
        .hasMessageContaining("expected C3 01");
  }

  @Test
  void shouldRejectUnknownFingerprintListingTheKnownOnes() {
    byte[] bytes = AvroCodec.of(LatentState.class).encode(Examples.latentState());
    assertThatThrownBy(() -> AvroCodec.of(CameraFrame.class).decode(bytes))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.UNKNOWN_FINGERPRINT))
        .hasMessageContaining(String.format("%016X", AvroCodec.of(CameraFrame.class).fingerprint()))
        .hasMessageContaining("unknown writer schema fingerprint");
  }

  @Test
  void shouldRejectTruncatedBody() {
    byte[] bytes = AvroCodec.of(CameraFrame.class).encode(Examples.cameraFrame());
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);
    assertThatThrownBy(() -> AvroCodec.of(CameraFrame.class).decode(cut))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.TRUNCATED_BODY))
        .hasMessageContaining("cut off");
  }

  @Test
  void shouldRejectNegativeLengthsAsCorruptBody() {
    AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(AvroCodec.header(codec.schema()));
    // stream_id: string length -3 (zig-zag 5)
    out.write(5);
    out.writeBytes(new byte[] {'a', 'b', 'c'});
    byte[] bytes = out.toByteArray();
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.CORRUPT_BODY))
        .hasMessageContaining("does not decode");
  }

  @Test
  void shouldRejectTrailingBytes() {
    byte[] bytes = AvroCodec.of(CameraFrame.class).encode(Examples.cameraFrame());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertThatThrownBy(() -> AvroCodec.of(CameraFrame.class).decode(longer))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.TRAILING_BYTES))
        .hasMessageContaining("3 bytes left");
  }

  @Test
  void shouldRefuseToEncodeRecordWithMissingRequiredField() {
    CameraFrame frame = Examples.cameraFrame();
    frame.setStreamId(null);
    assertThatThrownBy(() -> AvroCodec.of(CameraFrame.class).encode(frame))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.UNENCODABLE));
  }

  @Test
  void shouldResolveOlderWriterSchemaByFingerprint() throws IOException {
    Schema v0;
    try (InputStream in = getClass().getResourceAsStream("/evolution/CameraFrame-v0.avsc")) {
      v0 = new Schema.Parser().parse(in);
    }
    GenericRecord old = new GenericData.Record(v0);
    old.put("stream_id", "cam-old");
    old.put("sequence", 3L);
    old.put("capture_time_us", 10L);
    old.put("encoding", new GenericData.EnumSymbol(v0.getField("encoding").schema(), "GRAY8"));
    old.put("width", 1);
    old.put("height", 1);
    old.put("data", ByteBuffer.wrap(new byte[] {9}));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(AvroCodec.header(v0));
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(v0).write(old, enc);
    enc.flush();

    AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
    assertThatThrownBy(() -> codec.decode(out.toByteArray()))
        .isInstanceOf(WireFormatException.class);
    CameraFrame read = codec.withWriterSchema(v0).decode(out.toByteArray());
    assertThat(read.getStreamId()).isEqualTo("cam-old");
    assertThat(read.getFrameId()).isNull();
    assertThat(read.getMetadata()).isEmpty();
  }

  @Test
  void shouldReadPlansWrittenBeforeTheFreshnessFieldsWithTheirDefaults() throws IOException {
    byte[] v1;
    try (InputStream in = getClass().getResourceAsStream("/evolution/Plan-v1.bin")) {
      v1 = in.readAllBytes();
    }
    io.foresight.schemas.avro.Plan plan =
        AvroCodec.of(io.foresight.schemas.avro.Plan.class).decode(v1);
    assertThat(plan.getPlanId()).isEqualTo("plan-3");
    assertThat(plan.getBasedOnTimeUs()).isZero();
    assertThat(plan.getStats().getSkipped()).isZero();
    assertThat(plan.getStats().getQueuedMs()).isZero();
    assertThat(plan.getStats().getSamples()).isEqualTo(300);
  }
}
