package io.foresight.schemas;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type in Avro single-object encoding: {@code C3 01}, the 8-byte
 * little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body.
 *
 * <p>The decoder resolves every writer schema it knows by fingerprint: the current schema and the
 * older versions listed in {@code io/foresight/schemas/history/index.txt} on the classpath (plus
 * any given to {@link #withWriterSchema}). Bad bytes raise {@link WireFormatException} saying what
 * was wrong. Instances are thread-safe and cheap to share.
 *
 * <pre>{@code
 * AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
 * byte[] bytes = codec.encode(frame);
 * CameraFrame back = codec.decode(bytes);
 * }</pre>
 */
public final class AvroCodec<T extends SpecificRecord> {
  /** The two marker bytes that start every single-object encoded record. */
  public static final byte MARKER_0 = (byte) 0xC3;

  public static final byte MARKER_1 = (byte) 0x01;

  /** Marker plus fingerprint. */
  public static final int HEADER_LENGTH = 10;

  private static final String HISTORY_INDEX = "io/foresight/schemas/history/index.txt";
  private static final Map<Class<?>, AvroCodec<?>> CACHE = new ConcurrentHashMap<>();

  private final Class<T> type;
  private final Schema schema;
  private final long fingerprint;
  private final String recordName;
  private final byte[] header;
  private final SpecificDatumWriter<T> writer;
  private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  private AvroCodec(Class<T> type) {
    this.type = type;
    this.schema = SpecificData.get().getSchema(type);
    this.recordName = schema.getName();
    this.fingerprint = fingerprint(schema);
    this.header = header(schema);
    this.writer = new SpecificDatumWriter<>(schema);
    readers.put(fingerprint, new SpecificDatumReader<>(schema, schema));
    for (Schema older : HistoryHolder.HISTORY) {
      if (older.getFullName().equals(schema.getFullName())) {
        register(older);
      }
    }
  }

  /** The shared codec for a generated record class. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return (AvroCodec<T>) CACHE.computeIfAbsent(type, t -> new AvroCodec<>(type));
  }

  /** The CRC-64-AVRO fingerprint of a schema's parsing canonical form. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The 10 header bytes that start every record written with {@code schema}. */
  public static byte[] header(Schema schema) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MARKER_0).put(MARKER_1).putLong(fingerprint(schema));
    return b.array();
  }

  /**
   * Lets this codec read records written with an older (or newer) schema of the same record. The
   * schema must be resolvable to the current one under Avro's schema resolution rules.
   */
  public AvroCodec<T> withWriterSchema(Schema writerSchema) {
    register(writerSchema);
    return this;
  }

  private void register(Schema writerSchema) {
    readers.computeIfAbsent(
        fingerprint(writerSchema), f -> new SpecificDatumReader<>(writerSchema, schema));
  }

  public Class<T> type() {
    return type;
  }

  /** The current (reader and writer) schema. */
  public Schema schema() {
    return schema;
  }

  /** The fingerprint of the current schema, as written in every header. */
  public long fingerprint() {
    return fingerprint;
  }

  /** Encodes a record; a record that cannot be encoded raises {@link WireFormatException}. */
  public byte[] encode(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(header);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new WireFormatException(
          WireFormatException.Kind.UNENCODABLE,
          recordName,
          "cannot encode the record: " + e.getMessage() + ". Check that required fields are set.",
          e);
    }
    return out.toByteArray();
  }

  /** Decodes a whole byte array; see {@link #decode(byte[], int, int)}. */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new WireFormatException(
          WireFormatException.Kind.TRUNCATED_HEADER,
          recordName,
          "got null instead of bytes; expected a single-object encoded record (C3 01 + 8-byte"
              + " fingerprint + Avro body)",
          null);
    }
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Decodes one record that fills {@code bytes[offset, offset+length)} exactly.
   *
   * @throws WireFormatException if the marker, fingerprint or body is wrong, with the reason
   */
  public T decode(byte[] bytes, int offset, int length) {
    if (length < HEADER_LENGTH) {
      throw new WireFormatException(
          WireFormatException.Kind.TRUNCATED_HEADER,
          recordName,
          "got "
              + length
              + " bytes; a single-object encoded record starts with "
              + HEADER_LENGTH
              + " header bytes (C3 01 + 8-byte little-endian schema fingerprint)",
          null);
    }
    if (bytes[offset] != MARKER_0 || bytes[offset + 1] != MARKER_1) {
      throw new WireFormatException(
          WireFormatException.Kind.WRONG_MARKER,
          recordName,
          String.format(
              "wrong marker %02X %02X; expected C3 01 (Avro single-object encoding). Was the record"
                  + " written with a schema registry or as plain Avro binary?",
              bytes[offset] & 0xff, bytes[offset + 1] & 0xff),
          null);
    }
    long writerFingerprint =
        ByteBuffer.wrap(bytes, offset + 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    SpecificDatumReader<T> reader = readers.get(writerFingerprint);
    if (reader == null) {
      throw new WireFormatException(
          WireFormatException.Kind.UNKNOWN_FINGERPRINT,
          recordName,
          String.format(
              "unknown writer schema fingerprint %016X; this reader knows %s. Either the record is"
                  + " not a %s, or it was written with a schema version this reader lacks: add that"
                  + " .avsc to io/foresight/schemas/history/",
              writerFingerprint, knownFingerprints(), recordName),
          null);
    }
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(bytes, offset + HEADER_LENGTH, length - HEADER_LENGTH, null);
    T record;
    try {
      record = reader.read(null, decoder);
    } catch (EOFException e) {
      throw new WireFormatException(
          WireFormatException.Kind.TRUNCATED_BODY,
          recordName,
          "the body ends before the record does ("
              + (length - HEADER_LENGTH)
              + " body bytes); the record was cut off",
          e);
    } catch (IOException | RuntimeException e) {
      throw new WireFormatException(
          WireFormatException.Kind.CORRUPT_BODY,
          recordName,
          "the body does not decode: " + e.getMessage(),
          e);
    }
    try {
      if (!decoder.isEnd()) {
        int left = decoder.inputStream().available();
        throw new WireFormatException(
            WireFormatException.Kind.TRAILING_BYTES,
            recordName,
            left + " bytes left after the record; expected exactly one record per message",
            null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return record;
  }

  private List<String> knownFingerprints() {
    List<String> out = new ArrayList<>();
    readers.keySet().forEach(f -> out.add(String.format("%016X", f)));
    return out;
  }

  /** Older writer schemas shipped on the classpath, loaded once. */
  private static final class HistoryHolder {
    static final List<Schema> HISTORY = load();

    private static List<Schema> load() {
      List<Schema> schemas = new ArrayList<>();
      ClassLoader loader = AvroCodec.class.getClassLoader();
      try (InputStream index = loader.getResourceAsStream(HISTORY_INDEX)) {
        if (index == null) {
          return schemas;
        }
        for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String path = line.strip();
          if (path.isEmpty() || path.startsWith("#")) {
            continue;
          }
          try (InputStream in =
              loader.getResourceAsStream("io/foresight/schemas/history/" + path)) {
            if (in == null) {
              throw new ContractException(
                  HISTORY_INDEX + " lists " + path + " but no such resource is on the classpath");
            }
            schemas.add(new Schema.Parser().parse(in));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Error reading the schema history " + HISTORY_INDEX, e);
      }
      return schemas;
    }
  }
}
