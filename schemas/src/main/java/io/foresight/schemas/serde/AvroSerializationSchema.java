package io.foresight.schemas.serde;

import io.foresight.schemas.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** A Flink serialization schema that writes Avro single-object encoding. */
public final class AvroSerializationSchema<T extends SpecificRecord>
    implements SerializationSchema<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;
  private transient AvroCodec<T> codec;

  public AvroSerializationSchema(Class<T> type) {
    this.type = type;
  }

  @Override
  public byte[] serialize(T element) {
    if (codec == null) {
      codec = AvroCodec.of(type);
    }
    return codec.encode(element);
  }
}
