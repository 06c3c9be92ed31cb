package io.foresight.schemas.serde;

import io.foresight.schemas.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serializer that writes a record in Avro single-object encoding.
 *
 * <pre>{@code
 * new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer<>(CameraFrame.class));
 * }</pre>
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  private final AvroCodec<T> codec;

  public AvroSerializer(Class<T> type) {
    this.codec = AvroCodec.of(type);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : codec.encode(data);
  }
}
