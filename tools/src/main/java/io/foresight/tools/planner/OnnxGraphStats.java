package io.foresight.tools.planner;

import io.foresight.planner.PlannerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads just enough of an ONNX file (protobuf) to count the matrix-multiply FLOPs per batch row of
 * an MLP-style model, and writes the single-MatMul model the benchmark measures the machine's
 * matrix-multiply rate with. No protobuf library needed.
 */
public final class OnnxGraphStats {
  private OnnxGraphStats() {}

  /**
   * The matrix-multiply work of one row of a batch: each Gemm or MatMul whose second input is a
   * weight initializer of shape {@code [K, N]} (or {@code [N, K]}) adds {@code 2 K N} FLOPs.
   *
   * @return FLOPs per row, and the weight shapes found
   */
  public static MatmulWork matmulWork(Path onnx) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(onnx);
    } catch (IOException e) {
      throw new PlannerException("Error reading " + onnx + ": " + e.getMessage(), e);
    }
    try {
      byte[] graph = null;
      Reader model = new Reader(bytes, 0, bytes.length);
      while (model.more()) {
        int tag = model.tag();
        if (tag >>> 3 == 7 && (tag & 7) == 2) {
          graph = model.bytes();
        } else {
          model.skip(tag);
        }
      }
      if (graph == null) {
        throw new PlannerException(onnx + " has no graph");
      }
      Map<String, long[]> initializers = new HashMap<>();
      List<String[]> matmuls = new ArrayList<>();
      Reader g = new Reader(graph, 0, graph.length);
      while (g.more()) {
        int tag = g.tag();
        int field = tag >>> 3;
        if (field == 1 && (tag & 7) == 2) {
          byte[] node = g.bytes();
          String[] mm = node(node);
          if (mm != null) {
            matmuls.add(mm);
          }
        } else if (field == 5 && (tag & 7) == 2) {
          tensor(g.bytes(), initializers);
        } else {
          g.skip(tag);
        }
      }
      long flops = 0;
      List<long[]> shapes = new ArrayList<>();
      for (String[] mm : matmuls) {
        long[] w = initializers.get(mm[1]);
        if (w != null && w.length == 2) {
          flops += 2 * w[0] * w[1];
          shapes.add(w);
        }
      }
      return new MatmulWork(flops, shapes);
    } catch (RuntimeException e) {
      if (e instanceof PlannerException) {
        throw e;
      }
      throw new PlannerException("cannot read the ONNX graph of " + onnx + ": " + e, e);
    }
  }

  /**
   * FLOPs per batch row and the weight shapes of the model's matrix multiplies.
   *
   * @param flopsPerRow 2 x the sum of K x N over the weights
   * @param weightShapes the weights' shapes, in graph order
   */
  public record MatmulWork(long flopsPerRow, List<long[]> weightShapes) {}

  private static String[] node(byte[] node) {
    Reader r = new Reader(node, 0, node.length);
    List<String> inputs = new ArrayList<>();
    String op = "";
    while (r.more()) {
      int tag = r.tag();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) {
        inputs.add(new String(r.bytes(), StandardCharsets.UTF_8));
      } else if (field == 4 && (tag & 7) == 2) {
        op = new String(r.bytes(), StandardCharsets.UTF_8);
      } else {
        r.skip(tag);
      }
    }
    if ((op.equals("Gemm") || op.equals("MatMul")) && inputs.size() >= 2) {
      return new String[] {inputs.get(0), inputs.get(1)};
    }
    return null;
  }

  private static void tensor(byte[] t, Map<String, long[]> out) {
    Reader r = new Reader(t, 0, t.length);
    List<Long> dims = new ArrayList<>();
    String name = null;
    while (r.more()) {
      int tag = r.tag();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 0) {
        dims.add(r.varint());
      } else if (field == 1 && (tag & 7) == 2) {
        byte[] packed = r.bytes();
        Reader p = new Reader(packed, 0, packed.length);
        while (p.more()) {
          dims.add(p.varint());
        }
      } else if (field == 8 && (tag & 7) == 2) {
        name = new String(r.bytes(), StandardCharsets.UTF_8);
      } else {
        r.skip(tag);
      }
    }
    if (name != null) {
      long[] d = new long[dims.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = dims.get(i);
      }
      out.put(name, d);
    }
  }

  /**
   * An ONNX model (opset 17) computing {@code C = A x B} for {@code A [M, K]} ({@code M} dynamic)
   * and a constant {@code B [K, N]} of small pseudo-random values: the same kind of operation, with
   * a constant weight, as the predictor's layers.
   */
  public static byte[] matmulModel(int k, int n) {
    float[] w = new float[k * n];
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((rnd.nextDouble() - 0.5) * 0.1);
    }
    ByteBuffer raw = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(w);
    byte[] weight =
        new Writer()
            .varint(1, k)
            .varint(1, n)
            .varint(2, 1)
            .string(8, "B")
            .bytes(9, raw.array())
            .done();
    byte[] node =
        new Writer().string(1, "A").string(1, "B").string(2, "C").string(4, "MatMul").done();
    byte[] graph =
        new Writer()
            .bytes(1, node)
            .string(2, "matmul")
            .bytes(5, weight)
            .bytes(11, valueInfo("A", null, k))
            .bytes(12, valueInfo("C", null, n))
            .done();
    byte[] opset = new Writer().string(1, "").varint(2, 17).done();
    return new Writer().varint(1, 8).bytes(8, opset).bytes(7, graph).done();
  }

  private static byte[] valueInfo(String name, Long rows, int cols) {
    Writer rowDim = new Writer();
    if (rows == null) {
      rowDim.string(2, "M");
    } else {
      rowDim.varint(1, rows);
    }
    byte[] shape =
        new Writer().bytes(1, rowDim.done()).bytes(1, new Writer().varint(1, cols).done()).done();
    byte[] tensorType = new Writer().varint(1, 1).bytes(2, shape).done();
    byte[] type = new Writer().bytes(1, tensorType).done();
    return new Writer().string(1, name).bytes(2, type).done();
  }

  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;

    Reader(byte[] b, int off, int len) {
      this.b = b;
      this.pos = off;
      this.end = off + len;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      return (int) varint();
    }

    long varint() {
      long v = 0;
      int shift = 0;
      while (true) {
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
        shift += 7;
      }
    }

    byte[] bytes() {
      int len = (int) varint();
      byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + len);
      pos += len;
      return out;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> {
          // Read the length first: `pos += varint()` would add it to the position before the read.
          int len = (int) varint();
          pos += len;
        }
        case 5 -> pos += 4;
        default -> throw new IllegalStateException("unsupported protobuf wire type " + (tag & 7));
      }
    }
  }

  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer varint(int field, long v) {
      raw((long) field << 3);
      raw(v);
      return this;
    }

    Writer bytes(int field, byte[] v) {
      raw(((long) field << 3) | 2);
      raw(v.length);
      out.writeBytes(v);
      return this;
    }

    Writer string(int field, String v) {
      return bytes(field, v.getBytes(StandardCharsets.UTF_8));
    }

    private void raw(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] done() {
      return out.toByteArray();
    }
  }
}
