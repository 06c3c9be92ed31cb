package io.foresight.schemas;

import io.foresight.schemas.avro.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between the {@link Tensor} wire record (little-endian float32 bytes plus a shape) and
 * {@code float[]} or direct {@link FloatBuffer}s, without boxing.
 */
public final class Tensors {
  private Tensors() {}

  /** A tensor of the given shape holding {@code values} (row-major). */
  public static Tensor tensor(float[] values, int... shape) {
    long n = elementCount(shape);
    if (n != values.length) {
      throw new ContractException(
          "tensor shape "
              + java.util.Arrays.toString(shape)
              + " holds "
              + n
              + " values but "
              + values.length
              + " were given");
    }
    List<Integer> dims = new ArrayList<>(shape.length);
    for (int d : shape) {
      dims.add(d);
    }
    return new Tensor(dims, toBytes(values));
  }

  /** A tensor from {@code length} values of {@code values} starting at {@code offset}. */
  public static Tensor tensorOfRange(float[] values, int offset, int length, int... shape) {
    float[] copy = new float[length];
    System.arraycopy(values, offset, copy, 0, length);
    return tensor(copy, shape);
  }

  /** Little-endian float32 bytes of {@code values}, as a heap buffer positioned at 0. */
  public static ByteBuffer toBytes(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b;
  }

  /** The values of a tensor, checked against its shape. */
  public static float[] values(Tensor tensor) {
    float[] out = new float[checkedCount(tensor)];
    readInto(tensor, out, 0);
    return out;
  }

  /** Copies a tensor's values into {@code dst} at {@code offset}; returns the number copied. */
  public static int readInto(Tensor tensor, float[] dst, int offset) {
    int n = checkedCount(tensor);
    tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, offset, n);
    return n;
  }

  /** Copies a tensor's values into {@code dst} at its position, advancing it. */
  public static int readInto(Tensor tensor, FloatBuffer dst) {
    int n = checkedCount(tensor);
    dst.put(tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
    return n;
  }

  /** The shape as an int array. */
  public static int[] shape(Tensor tensor) {
    int[] s = new int[tensor.getShape().size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = tensor.getShape().get(i);
    }
    return s;
  }

  /** The number of elements a shape holds; negative dimensions are refused. */
  public static long elementCount(int... shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new ContractException(
            "tensor shape " + java.util.Arrays.toString(shape) + " has a negative dimension");
      }
      n *= d;
    }
    return n;
  }

  /** A direct, native-order float buffer, the form ONNX Runtime reads without copying. */
  public static FloatBuffer directFloats(int capacity) {
    return ByteBuffer.allocateDirect(capacity * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  private static int checkedCount(Tensor tensor) {
    long n = elementCount(shape(tensor));
    int bytes = tensor.getData().remaining();
    if (n * Float.BYTES != bytes) {
      throw new ContractException(
          "tensor of shape "
              + tensor.getShape()
              + " needs "
              + n * Float.BYTES
              + " bytes of float32 but has "
              + bytes);
    }
    return (int) n;
  }
}
