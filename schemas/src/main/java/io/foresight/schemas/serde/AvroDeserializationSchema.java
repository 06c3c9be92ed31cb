package io.foresight.schemas.serde;

import io.foresight.schemas.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A Flink deserialization schema for Avro single-object encoding. Bad bytes raise {@link
 * io.foresight.schemas.WireFormatException}; the Foresight job reads raw records instead and sends
 * bad ones to the dead-letter topic.
 */
public final class AvroDeserializationSchema<T extends SpecificRecord>
    implements DeserializationSchema<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;
  private transient AvroCodec<T> codec;

  public AvroDeserializationSchema(Class<T> type) {
    this.type = type;
  }

  @Override
  public T deserialize(byte[] message) {
    if (codec == null) {
      codec = AvroCodec.of(type);
    }
    return codec.decode(message);
  }

  @Override
  public boolean isEndOfStream(T nextElement) {
    return false;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return TypeInformation.of(type);
  }
}
