package io.foresight.memory.internal;

import io.foresight.memory.MemoryException;
import io.foresight.memory.StoredLatent;
import io.foresight.memory.api.ModelId;
import io.foresight.memory.api.Reading;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary value layouts of the memory's stores (little-endian, versioned by a first byte).
 *
 * <p>Timeline value, format 1: {@code 01 | name | version | rank:int | dims:int* | float32* |
 * readings:int | (kind | time:long | n:int | float64*)*}, strings as {@code length:int | UTF-8}.
 * The model's hash is in the key, so it is not repeated here.
 *
 * <p>Action value, format 1: {@code 01 | source:byte | hasFrameSequence:byte | frameSequence:long |
 * n:int | float32* | planId (length -1 = none)}.
 *
 * <p>Signal value, format 1: {@code 01 | flags:byte | surprise | normalized | eventScore |
 * eventNormalized | eventThreshold} (float64 each; flag bit 0 = prediction surprise present, bit 1
 * = surprise event present).
 */
public final class ValueCodec {
  static final byte FORMAT = 1;

  private ValueCodec() {}

  private static final java.lang.invoke.VarHandle FLOAT_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Reads {@code dst.length} little-endian float32 values from {@code src} (from its position, not
   * moving it).
   */
  public static void floatsLE(ByteBuffer src, float[] dst) {
    if (src.hasArray()) {
      byte[] a = src.array();
      int o = src.arrayOffset() + src.position();
      for (int i = 0; i < dst.length; i++) {
        dst[i] = (float) FLOAT_LE.get(a, o + 4 * i);
      }
    } else {
      src.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst);
    }
  }

  /** Encodes a timeline value. */
  public static byte[] encodeLatent(
      String modelName, String modelVersion, int[] shape, float[] latent, List<Reading> readings) {
    return encodeLatent(modelName, modelVersion, shape, latent, null, readings);
  }

  /**
   * Encodes a timeline value whose latent is given as its little-endian float32 bytes (copied as
   * they are, {@code 4 * latent.length} of them from the buffer's position) or, if {@code leBytes}
   * is null, as {@code latent}.
   */
  public static byte[] encodeLatent(
      String modelName,
      String modelVersion,
      int[] shape,
      float[] latent,
      ByteBuffer leBytes,
      List<Reading> readings) {
    byte[] name = modelName.getBytes(StandardCharsets.UTF_8);
    byte[] version = modelVersion.getBytes(StandardCharsets.UTF_8);
    int size = 1 + 4 + name.length + 4 + version.length + 4 + 4 * shape.length + 4 * latent.length;
    size += 4;
    List<byte[]> kinds = new ArrayList<>(readings.size());
    for (Reading r : readings) {
      byte[] k = r.kind().getBytes(StandardCharsets.UTF_8);
      kinds.add(k);
      size += 4 + k.length + 8 + 4 + 8 * r.values().length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(FORMAT);
    b.putInt(name.length).put(name);
    b.putInt(version.length).put(version);
    b.putInt(shape.length);
    for (int d : shape) {
      b.putInt(d);
    }
    if (leBytes != null) {
      b.put(leBytes.duplicate().limit(leBytes.position() + 4 * latent.length));
    } else {
      for (float f : latent) {
        b.putFloat(f);
      }
    }
    b.putInt(readings.size());
    for (int i = 0; i < readings.size(); i++) {
      Reading r = readings.get(i);
      byte[] k = kinds.get(i);
      b.putInt(k.length).put(k);
      b.putLong(r.timeUs());
      b.putInt(r.values().length);
      for (double v : r.values()) {
        b.putDouble(v);
      }
    }
    return b.array();
  }

  /** Decodes a timeline entry from its key and value. */
  public static StoredLatent decodeLatent(byte[] key, byte[] value) {
    KeyLayout.TimelineKey k = KeyLayout.decodeTimeline(key);
    try {
      ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
      checkFormat(b.get(), "timeline");
      String name = string(b);
      String version = string(b);
      int[] shape = new int[b.getInt()];
      long n = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = b.getInt();
        n *= shape[i];
      }
      float[] latent = new float[(int) n];
      b.asFloatBuffer().get(latent);
      b.position(b.position() + 4 * latent.length);
      int count = b.getInt();
      List<Reading> readings = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String kind = string(b);
        long time = b.getLong();
        double[] values = new double[b.getInt()];
        for (int j = 0; j < values.length; j++) {
          values[j] = b.getDouble();
        }
        readings.add(new Reading(kind, time, values));
      }
      return new StoredLatent(
          k.stream(),
          k.sequence(),
          k.timeUs(),
          new ModelId(name, version, k.sha256()),
          shape,
          latent,
          readings);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new MemoryException(
          "corrupt timeline value for " + k + " (" + value.length + " bytes)", e);
    }
  }

  /** The model name and version of a timeline value. */
  public static String[] modelNameVersion(byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    checkFormat(b.get(), "timeline");
    return new String[] {string(b), string(b)};
  }

  /**
   * The number of latent values in a timeline value, read from its shape without copying the
   * values.
   */
  public static int latentLength(byte[] value) {
    return latentValues(ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN));
  }

  /**
   * Copies the latent of a timeline value into {@code dst} at {@code offset}; returns the number of
   * values copied.
   */
  public static int readLatent(byte[] value, float[] dst, int offset) {
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    int n = latentValues(b);
    b.asFloatBuffer().get(dst, offset, n);
    return n;
  }

  /**
   * Reads a timeline value's header and latent shape from {@code b} (at the value's start), leaving
   * {@code b} at the first latent value; returns the number of values.
   */
  private static int latentValues(ByteBuffer b) {
    checkFormat(b.get(), "timeline");
    skipString(b);
    skipString(b);
    int rank = b.getInt();
    long n = 1;
    for (int i = 0; i < rank; i++) {
      n *= b.getInt();
    }
    return (int) n;
  }

  /** A stored action. */
  public record StoredAction(
      long timeUs, float[] values, int source, Long frameSequence, String planId) {}

  /** Encodes an action value. */
  public static byte[] encodeAction(
      float[] values, int source, Long frameSequence, String planId, long timeUs) {
    byte[] plan = planId == null ? null : planId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(
                1 + 1 + 1 + 8 + 8 + 4 + 4 * values.length + 4 + (plan == null ? 0 : plan.length))
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(FORMAT);
    b.put((byte) source);
    b.put((byte) (frameSequence == null ? 0 : 1));
    b.putLong(frameSequence == null ? 0 : frameSequence);
    b.putLong(timeUs);
    b.putInt(values.length);
    for (float v : values) {
      b.putFloat(v);
    }
    if (plan == null) {
      b.putInt(-1);
    } else {
      b.putInt(plan.length).put(plan);
    }
    return b.array();
  }

  /** Decodes an action value. */
  public static StoredAction decodeAction(byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    checkFormat(b.get(), "action");
    int source = b.get();
    boolean hasSeq = b.get() != 0;
    long seq = b.getLong();
    long time = b.getLong();
    float[] values = new float[b.getInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = b.getFloat();
    }
    int planLength = b.getInt();
    String plan = null;
    if (planLength >= 0) {
      byte[] p = new byte[planLength];
      b.get(p);
      plan = new String(p, StandardCharsets.UTF_8);
    }
    return new StoredAction(time, values, source, hasSeq ? seq : null, plan);
  }

  /** The surprise signals of one state; NaN where absent. */
  public record Signals(
      double surprise,
      double surpriseNormalized,
      double eventScore,
      double eventNormalized,
      double eventThreshold) {
    /** No signals. */
    public static final Signals NONE =
        new Signals(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Whether a prediction's surprise is known. */
    public boolean hasSurprise() {
      return !Double.isNaN(surprise);
    }

    /** Whether a surprise event was raised for the state. */
    public boolean hasEvent() {
      return !Double.isNaN(eventScore);
    }
  }

  /** Encodes a signal value. */
  public static byte[] encodeSignals(Signals s) {
    ByteBuffer b = ByteBuffer.allocate(2 + 5 * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(FORMAT);
    b.put((byte) ((s.hasSurprise() ? 1 : 0) | (s.hasEvent() ? 2 : 0)));
    b.putDouble(s.surprise())
        .putDouble(s.surpriseNormalized())
        .putDouble(s.eventScore())
        .putDouble(s.eventNormalized())
        .putDouble(s.eventThreshold());
    return b.array();
  }

  /** Decodes a signal value; {@code null} gives {@link Signals#NONE}. */
  public static Signals decodeSignals(byte[] value) {
    if (value == null) {
      return Signals.NONE;
    }
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    checkFormat(b.get(), "signal");
    b.get();
    return new Signals(b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble());
  }

  private static void checkFormat(byte format, String what) {
    if (format != FORMAT) {
      throw new MemoryException(
          "unknown "
              + what
              + " value format "
              + format
              + " (this version reads format "
              + FORMAT
              + "); the state was written by a newer memory store");
    }
  }

  private static String string(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining()) {
      throw new IllegalArgumentException("bad string length " + n);
    }
    String s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
    b.position(b.position() + n);
    return s;
  }

  private static void skipString(ByteBuffer b) {
    int n = b.getInt();
    b.position(b.position() + n);
  }
}
