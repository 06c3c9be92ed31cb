package io.foresight.memory.internal;

import io.foresight.memory.MemoryException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The on-disk format of a {@link VectorIndex}, version 1, big-endian ({@link DataOutputStream}):
 *
 * <pre>
 * int magic "FSVI", int version 1, UTF sha, int dim, int M,
 * int size, int indexed, int entry, int maxLevel,
 * int streams, streams x UTF name (in ordinal order),
 * size x (int stream ordinal, long time, long sequence, boolean removed, dim x float),
 * indexed x (byte level, (level + 1) x (unsigned byte n, n x int neighbour)),
 * int magic "FSVI" (the end marker: a truncated file is refused)
 * </pre>
 *
 * <p>Pinned by the golden file {@code src/test/resources/vector-index/golden-v1.hnsw}.
 */
final class IndexSnapshot {
  private static final int MAGIC = 0x46535649; // "FSVI"
  private static final int VERSION = 1;

  private IndexSnapshot() {}

  /**
   * Writes the index to {@code file}, atomically (a temporary file moved into place); the caller
   * holds the index's read lock.
   */
  static void write(Path file, String sha, int dim, VectorCatalog catalog, HnswGraph graph) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 20))) {
        int size = catalog.size();
        int indexed = graph.indexed();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(sha);
        out.writeInt(dim);
        out.writeInt(graph.m());
        out.writeInt(size);
        out.writeInt(indexed);
        out.writeInt(graph.entry());
        out.writeInt(graph.maxLevel());
        out.writeInt(catalog.streamNames().size());
        for (String s : catalog.streamNames()) {
          out.writeUTF(s);
        }
        float[] v = new float[dim];
        for (int id = 0; id < size; id++) {
          out.writeInt(catalog.streamOrdinal(id));
          out.writeLong(catalog.timeUs(id));
          out.writeLong(catalog.sequence(id));
          out.writeBoolean(catalog.isDeleted(id));
          graph.copy(id, v);
          for (int i = 0; i < dim; i++) {
            out.writeFloat(v[i]);
          }
        }
        for (int id = 0; id < indexed; id++) {
          int level = graph.level(id);
          out.writeByte(level);
          for (int l = 0; l <= level; l++) {
            int[] arr = graph.linkArray(id, l);
            int base = graph.linkBase(id, l);
            int n = arr[base];
            out.writeByte(n);
            for (int i = 1; i <= n; i++) {
              out.writeInt(arr[base + i]);
            }
          }
        }
        out.writeInt(MAGIC);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new MemoryException(
          "Error writing the index snapshot of model " + sha + " to " + file + ": " + e, e);
    }
  }

  /**
   * Reads an index written by {@link #write}; throws {@link MemoryException} if the file is not a
   * complete snapshot of this format or was built with another M.
   */
  static VectorIndex read(Path file, VectorIndex.Params params) {
    try (InputStream is = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 20))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new MemoryException("not an index snapshot of format " + VERSION);
      }
      String sha = in.readUTF();
      int dim = in.readInt();
      int m = in.readInt();
      if (m != params.m()) {
        throw new MemoryException(
            "snapshot was built with M=" + m + " but memory.index.m is " + params.m());
      }
      VectorIndex ix = new VectorIndex(sha, dim, params);
      VectorCatalog catalog = ix.catalog();
      HnswGraph graph = ix.graph();
      int size = in.readInt();
      int indexed = in.readInt();
      int entry = in.readInt();
      int maxLevel = in.readInt();
      int streams = in.readInt();
      for (int i = 0; i < streams; i++) {
        catalog.ordinal(in.readUTF());
      }
      float[] v = new float[dim];
      for (int i = 0; i < size; i++) {
        int ord = in.readInt();
        long time = in.readLong();
        long seq = in.readLong();
        boolean removed = in.readBoolean();
        for (int j = 0; j < dim; j++) {
          v[j] = in.readFloat();
        }
        catalog.restore(ord, seq, time, removed);
        graph.append(v, 0);
      }
      for (int id = 0; id < indexed; id++) {
        int level = in.readByte();
        graph.restoreLevel(id, level);
        for (int l = 0; l <= level; l++) {
          int[] arr = graph.linkArray(id, l);
          int base = graph.linkBase(id, l);
          int n = in.readUnsignedByte();
          arr[base] = n;
          for (int i = 1; i <= n; i++) {
            arr[base + i] = in.readInt();
          }
        }
      }
      if (in.readInt() != MAGIC) {
        throw new MemoryException("index snapshot has no end marker (truncated)");
      }
      graph.restore(indexed, entry, maxLevel);
      return ix;
    } catch (IOException | RuntimeException e) {
      throw new MemoryException("cannot read index snapshot " + file + ": " + e.getMessage(), e);
    }
  }
}
