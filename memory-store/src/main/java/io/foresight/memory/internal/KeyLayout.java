package io.foresight.memory.internal;

import io.foresight.memory.MemoryException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The order-preserving binary key layouts of the memory's stores: byte-wise unsigned comparison of
 * two keys gives the same order as comparing their tuples field by field, so that the states of one
 * stream and model are contiguous and sorted by time, and a time range is one sequential scan.
 *
 * <p>Timeline key: {@code stream | sha256 | time | sequence}, where
 *
 * <ul>
 *   <li>{@code stream} is the UTF-8 stream id with every {@code 00} byte escaped as {@code 00 FF},
 *       terminated by {@code 00 01} (prefix-free: no stream's encoding starts with another's);
 *   <li>{@code sha256} is the 32 raw bytes of the model's hex SHA-256 (the latent space);
 *   <li>{@code time} and {@code sequence} are 8-byte big-endian longs with the sign bit flipped, so
 *       negative values sort before positive ones.
 * </ul>
 *
 * <p>Action key: {@code stream | time | offset} (offset of the action record on its partition, so a
 * redelivered record lands on the same key). Signal key: {@code stream | sequence}.
 *
 * <p>The golden bytes in {@code KeyLayoutTest} pin this layout: changing it makes existing state
 * unreadable and must be a deliberate, versioned act.
 */
public final class KeyLayout {
  /** Bytes of the model hash in a key. */
  public static final int SHA_BYTES = 32;

  private static final byte ESCAPE = (byte) 0xFF;
  private static final byte TERMINATOR = 0x01;
  private static final HexFormat HEX = HexFormat.of();

  private KeyLayout() {}

  /** A decoded timeline key. */
  public record TimelineKey(String stream, String sha256, long timeUs, long sequence) {}

  /** The escaped, terminated bytes of a stream id: the prefix of all its keys in every store. */
  public static byte[] streamPrefix(String stream) {
    byte[] utf8 = stream.getBytes(StandardCharsets.UTF_8);
    int zeros = 0;
    for (byte b : utf8) {
      if (b == 0) {
        zeros++;
      }
    }
    byte[] out = new byte[utf8.length + zeros + 2];
    int p = 0;
    for (byte b : utf8) {
      out[p++] = b;
      if (b == 0) {
        out[p++] = ESCAPE;
      }
    }
    out[p++] = 0;
    out[p] = TERMINATOR;
    return out;
  }

  /** The prefix of all timeline keys of one stream and model. */
  public static byte[] modelPrefix(String stream, byte[] sha) {
    byte[] s = streamPrefix(stream);
    byte[] out = Arrays.copyOf(s, s.length + SHA_BYTES);
    System.arraycopy(sha, 0, out, s.length, SHA_BYTES);
    return out;
  }

  /** The timeline key of one state. */
  public static byte[] timeline(String stream, byte[] sha, long timeUs, long sequence) {
    byte[] prefix = modelPrefix(stream, sha);
    byte[] out = Arrays.copyOf(prefix, prefix.length + 16);
    putLong(out, prefix.length, timeUs);
    putLong(out, prefix.length + 8, sequence);
    return out;
  }

  /** The timeline key of one state under an already encoded stream+model prefix. */
  public static byte[] timeline(byte[] modelPrefix, long timeUs, long sequence) {
    byte[] out = Arrays.copyOf(modelPrefix, modelPrefix.length + 16);
    putLong(out, modelPrefix.length, timeUs);
    putLong(out, modelPrefix.length + 8, sequence);
    return out;
  }

  /** The lower bound (inclusive) of the states of a stream and model at or after {@code timeUs}. */
  public static byte[] timelineFrom(byte[] modelPrefix, long timeUs) {
    byte[] out = Arrays.copyOf(modelPrefix, modelPrefix.length + 8);
    putLong(out, modelPrefix.length, timeUs);
    return out;
  }

  /** Decodes a timeline key; throws {@link MemoryException} if it is not one. */
  public static TimelineKey decodeTimeline(byte[] key) {
    int end = streamEnd(key);
    if (key.length != end + SHA_BYTES + 16) {
      throw new MemoryException(
          "not a timeline key: "
              + key.length
              + " bytes where the stream prefix ends at "
              + end
              + " (expected stream | 32-byte sha | time | sequence)");
    }
    String stream = decodeStream(key, end);
    String sha = HEX.formatHex(key, end, end + SHA_BYTES);
    long time = getLong(key, end + SHA_BYTES);
    long seq = getLong(key, end + SHA_BYTES + 8);
    return new TimelineKey(stream, sha, time, seq);
  }

  /** The time field of a timeline key, without decoding the rest. */
  public static long timelineTime(byte[] key) {
    return getLong(key, key.length - 16);
  }

  /** The sequence field of a timeline key, without decoding the rest. */
  public static long timelineSequence(byte[] key) {
    return getLong(key, key.length - 8);
  }

  /** The stream id of any key of this layout. */
  public static String stream(byte[] key) {
    return decodeStream(key, streamEnd(key));
  }

  /** The key of an action record. */
  public static byte[] action(String stream, long timeUs, long offset) {
    byte[] s = streamPrefix(stream);
    byte[] out = Arrays.copyOf(s, s.length + 16);
    putLong(out, s.length, timeUs);
    putLong(out, s.length + 8, offset);
    return out;
  }

  /** The lower bound (inclusive) of the actions of a stream at or after {@code timeUs}. */
  public static byte[] actionFrom(String stream, long timeUs) {
    byte[] s = streamPrefix(stream);
    byte[] out = Arrays.copyOf(s, s.length + 8);
    putLong(out, s.length, timeUs);
    return out;
  }

  /** The time field of an action key. */
  public static long actionTime(byte[] key) {
    return getLong(key, key.length - 16);
  }

  /** The key of the signals (surprise) of one state of a stream. */
  public static byte[] signal(String stream, long sequence) {
    byte[] s = streamPrefix(stream);
    byte[] out = Arrays.copyOf(s, s.length + 8);
    putLong(out, s.length, sequence);
    return out;
  }

  /** The sequence field of a signal key. */
  public static long signalSequence(byte[] key) {
    return getLong(key, key.length - 8);
  }

  /**
   * The smallest key greater than every key that starts with {@code prefix}: the prefix with its
   * last byte below {@code FF} incremented and the trailing {@code FF}s dropped.
   */
  public static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] out = Arrays.copyOf(prefix, i + 1);
        out[i]++;
        return out;
      }
    }
    throw new MemoryException("a prefix of only FF bytes has no upper bound");
  }

  /** The smallest key strictly greater than {@code key}: {@code key} followed by a zero byte. */
  public static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /**
   * The 32 raw bytes of a model's hex SHA-256; throws {@link MemoryException} if it is not 64 hex
   * digits.
   */
  public static byte[] sha(String sha256Hex) {
    if (sha256Hex == null || sha256Hex.length() != 2 * SHA_BYTES) {
      throw new MemoryException(
          "model sha256 must be 64 hex digits (the SHA-256 of the encoder file), got "
              + (sha256Hex == null ? "null" : "'" + abbreviate(sha256Hex) + "'"));
    }
    try {
      return HEX.parseHex(sha256Hex);
    } catch (IllegalArgumentException e) {
      throw new MemoryException(
          "model sha256 must be 64 hex digits (the SHA-256 of the encoder file), got '"
              + abbreviate(sha256Hex)
              + "'",
          e);
    }
  }

  /** The lower-case hex form of 32 hash bytes. */
  public static String shaHex(byte[] sha) {
    return HEX.formatHex(sha);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** Index just past the {@code 00 01} terminator of the stream field. */
  private static int streamEnd(byte[] key) {
    for (int i = 0; i < key.length - 1; i++) {
      if (key[i] == 0) {
        if (key[i + 1] == TERMINATOR) {
          return i + 2;
        }
        if (key[i + 1] != ESCAPE) {
          throw new MemoryException(
              "corrupt key: byte 00 at " + i + " is followed by neither FF (escape) nor 01 (end)");
        }
        i++;
      }
    }
    throw new MemoryException("corrupt key: the stream field has no 00 01 terminator");
  }

  private static String decodeStream(byte[] key, int end) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(end);
    for (int i = 0; i < end - 2; i++) {
      out.write(key[i]);
      if (key[i] == 0) {
        i++;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static void putLong(byte[] b, int at, long v) {
    long x = v ^ Long.MIN_VALUE;
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) x;
      x >>>= 8;
    }
  }

  static long getLong(byte[] b, int at) {
    long x = 0;
    for (int i = 0; i < 8; i++) {
      x = (x << 8) | (b[at + i] & 0xFF);
    }
    return x ^ Long.MIN_VALUE;
  }
}
