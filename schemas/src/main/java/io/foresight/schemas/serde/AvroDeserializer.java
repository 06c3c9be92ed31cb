package io.foresight.schemas.serde;

import io.foresight.schemas.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka deserializer for Avro single-object encoded records; resolves known older writer schemas
 * by fingerprint. Bad bytes raise {@link io.foresight.schemas.WireFormatException}, which the Kafka
 * consumer reports with the partition and offset; consumers that must dead-letter bad records read
 * bytes and decode with {@link AvroCodec} themselves.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final AvroCodec<T> codec;

  public AvroDeserializer(Class<T> type) {
    this.codec = AvroCodec.of(type);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return data == null ? null : codec.decode(data);
  }
}
