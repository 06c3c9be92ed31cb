package io.foresight.pipeline;

/**
 * A Kafka record as it arrived, before decoding: where it came from and its bytes. Kept until a
 * stage accepts the record, so that a refused one reaches the dead-letter topic unchanged.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param timestampMs the Kafka record timestamp
 * @param key the key bytes (the stream id in UTF-8), may be null
 * @param value the value bytes, may be null
 */
public record RawRecord(
    String topic, int partition, long offset, long timestampMs, byte[] key, byte[] value) {

  /** The key as a string, or an empty string when there is none. */
  public String keyString() {
    return key == null ? "" : new String(key, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code topic-partition@offset}, for messages. */
  public String origin() {
    return topic + "-" + partition + "@" + offset;
  }
}
