package io.foresight.ingest;

import java.util.Locale;

/**
 * Kafka compression used by a {@link FramePublisher}. {@link #AUTO} compresses raw frames and small
 * records with lz4 and sends JPEG/PNG frames uncompressed (compressing them again costs CPU and
 * saves nothing).
 */
public enum Compression {
  AUTO,
  NONE,
  LZ4,
  ZSTD,
  GZIP,
  SNAPPY;

  /** The value of Kafka's {@code compression.type} (AUTO has none: it picks per record). */
  public String kafkaName() {
    if (this == AUTO) {
      throw new IllegalStateException("AUTO picks lz4 or none per record");
    }
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code auto}, {@code none}, {@code lz4}, {@code zstd}, {@code gzip}, {@code snappy}. */
  public static Compression parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown compression '" + text + "'; use auto, none, lz4, zstd, gzip or snappy", e);
    }
  }
}
