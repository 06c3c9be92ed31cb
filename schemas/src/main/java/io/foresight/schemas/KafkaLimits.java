package io.foresight.schemas;

import java.util.Map;

/** Client settings that match the topics' size limits ({@link Topics#MAX_RECORD_BYTES}). */
public final class KafkaLimits {
  private KafkaLimits() {}

  /**
   * Producer settings: {@code max.request.size} and {@code buffer.memory} sized for maximal frames.
   */
  public static Map<String, Object> producer() {
    return Map.of(
        "max.request.size", Topics.MAX_RECORD_BYTES, "buffer.memory", 4L * Topics.MAX_RECORD_BYTES);
  }

  /** Consumer settings: fetch sizes that let a maximal record through. */
  public static Map<String, Object> consumer() {
    return Map.of(
        "max.partition.fetch.bytes",
        Topics.MAX_RECORD_BYTES,
        "fetch.max.bytes",
        2 * Topics.MAX_RECORD_BYTES);
  }

  /** Topic settings for a topic that carries frames or copies of them. */
  public static Map<String, String> topic() {
    return Map.of("max.message.bytes", Integer.toString(Topics.MAX_RECORD_BYTES));
  }
}
