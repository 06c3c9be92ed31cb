package io.foresight.memory.internal;

import static io.foresight.memory.internal.Chunks.MASK;
import static io.foresight.memory.internal.Chunks.SHIFT;
import static io.foresight.memory.internal.Chunks.SIZE;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The vectors of a {@link VectorIndex} in chunked float arrays, and an HNSW graph (Malkov and
 * Yashunin, 2016) over the first {@link #indexed()} of them: insertion in id order, the layered
 * best-first search, and the exact scans the index uses below its threshold and for the ids not yet
 * inserted. Distances are squared Euclidean inside, as {@link #l2}.
 *
 * <p>Layer 0 keeps up to {@code 2M} neighbours per node in one chunked array ({@code count, id...},
 * {@code 2M + 1} ints per node); the upper layers of a node, which few nodes have, one array per
 * node with {@code M + 1} ints per layer.
 *
 * <p>Not thread-safe: guarded by the lock of the {@link VectorIndex} that owns it; the search
 * buffers are per thread, so concurrent searches under a read lock are fine.
 */
final class HnswGraph {
  private final int dim;
  private final int m;
  private final int m0;
  private final int efConstruction;
  private final double levelMult;
  private final SplittableRandom random;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private float[][] vectors = new float[0][];
  private int[][] links0 = new int[0][];
  private byte[][] levelOf = new byte[0][];
  private int[][] upper = new int[0][];
  private int size;
  private int indexed;
  private int entry = -1;
  private int maxLevel = -1;

  HnswGraph(int dim, int m, int efConstruction, long seed) {
    this.dim = dim;
    this.m = m;
    this.m0 = 2 * m;
    this.efConstruction = efConstruction;
    this.levelMult = 1 / Math.log(m);
    this.random = new SplittableRandom(seed);
  }

  int m() {
    return m;
  }

  /** Vectors stored (ids 0 .. size - 1). */
  int size() {
    return size;
  }

  /** Ids inserted into the graph (ids 0 .. indexed - 1). */
  int indexed() {
    return indexed;
  }

  int entry() {
    return entry;
  }

  int maxLevel() {
    return maxLevel;
  }

  // ---------------------------------------------------------------- storage

  /** Stores {@code vector} ({@code dim} values from {@code offset}) as the next id; returns it. */
  int append(float[] vector, int offset) {
    int id = size;
    int chunk = id >>> SHIFT;
    if (chunk == vectors.length) {
      int n = chunk + 1;
      vectors = Arrays.copyOf(vectors, n);
      links0 = Arrays.copyOf(links0, n);
      levelOf = Arrays.copyOf(levelOf, n);
      vectors[chunk] = new float[SIZE * dim];
      links0[chunk] = new int[SIZE * (m0 + 1)];
      levelOf[chunk] = new byte[SIZE];
    }
    if (id >= upper.length) {
      upper = Arrays.copyOf(upper, Math.max(SIZE, upper.length * 2));
    }
    System.arraycopy(vector, offset, vectors[chunk], (id & MASK) * dim, dim);
    levelOf[chunk][id & MASK] = -1;
    size++;
    return id;
  }

  /** Overwrites the vector of {@code id}. */
  void set(int id, float[] vector) {
    System.arraycopy(vector, 0, vectors[id >>> SHIFT], (id & MASK) * dim, dim);
  }

  /** Copies the vector of {@code id} into {@code out}. */
  void copy(int id, float[] out) {
    System.arraycopy(vectors[id >>> SHIFT], (id & MASK) * dim, out, 0, dim);
  }

  /** Squared distance of {@code qv[qo..qo+dim)} and the vector of {@code id}. */
  float distance(float[] qv, int qo, int id) {
    return l2(qv, qo, vectors[id >>> SHIFT], (id & MASK) * dim, dim);
  }

  /** Squared Euclidean distance of {@code a[ao..ao+n)} and {@code b[bo..bo+n)}. */
  static float l2(float[] a, int ao, float[] b, int bo, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      float d0 = a[ao + i] - b[bo + i];
      float d1 = a[ao + i + 1] - b[bo + i + 1];
      float d2 = a[ao + i + 2] - b[bo + i + 2];
      float d3 = a[ao + i + 3] - b[bo + i + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; i < n; i++) {
      float d = a[ao + i] - b[bo + i];
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }

  // ---------------------------------------------------------------- searching

  /**
   * Offers ({@code d}, {@code id}) to {@code best}, a max-heap (negated distances) of the {@code k}
   * nearest so far.
   */
  static void offer(Heap best, int k, float d, int id) {
    if (best.size() < k) {
      best.push(-d, id);
    } else if (d < -best.peekDistance()) {
      best.pop();
      best.push(-d, id);
    }
  }

  /**
   * Offers every id in {@code [from, to)} that is not in {@code skip} and not {@code excluded} to
   * {@code best}; returns how many were compared.
   */
  int scan(Heap best, int k, float[] q, int from, int to, BitSet skip, int excluded) {
    int n = 0;
    for (int id = from; id < to; id++) {
      if (!skip.get(id) && id != excluded) {
        offer(best, k, distance(q, 0, id), id);
        n++;
      }
    }
    return n;
  }

  /**
   * Approximate search of the graph (at least one id inserted): descends the upper layers greedily,
   * then searches layer 0 with {@code ef} candidates and offers the ones not in {@code skip} and
   * not {@code excluded} to {@code best}.
   */
  void search(Heap best, int k, float[] q, int ef, BitSet skip, int excluded) {
    int cur = descend(q, 0, 0);
    Heap top = searchLayer(scratch.get(), q, 0, cur, ef, 0, skip, excluded);
    while (!top.isEmpty()) {
      offer(best, k, -top.peekDistance(), top.peekId());
      top.pop();
    }
  }

  /**
   * Greedy descent from the entry point through the layers above {@code toLevel}: at each layer,
   * moves to the nearest neighbour of {@code qv[qo..qo+dim)} until none is nearer. Returns the node
   * reached, where the search of layer {@code toLevel} starts.
   */
  private int descend(float[] qv, int qo, int toLevel) {
    int cur = entry;
    float curDist = distance(qv, qo, cur);
    for (int l = maxLevel; l > toLevel; l--) {
      boolean changed = true;
      while (changed) {
        changed = false;
        int[] arr = upper[cur];
        int base = (l - 1) * (m + 1);
        int n = arr[base];
        for (int i = 1; i <= n; i++) {
          int c = arr[base + i];
          float d = distance(qv, qo, c);
          if (d < curDist) {
            curDist = d;
            cur = c;
            changed = true;
          }
        }
      }
    }
    return cur;
  }

  /**
   * Best-first search of one layer from {@code start}; returns a max-heap (negated distances) of up
   * to {@code ef} accepted ids: those not in {@code skip} (every id when {@code null}) and not
   * {@code excluded}.
   */
  private Heap searchLayer(
      Scratch s, float[] qv, int qo, int start, int ef, int level, BitSet skip, int excluded) {
    int[] visited = s.visited(size);
    int mark = s.nextMark();
    Heap candidates = s.candidates;
    Heap top = s.top;
    candidates.clear();
    top.clear();
    float d0 = distance(qv, qo, start);
    visited[start] = mark;
    candidates.push(d0, start);
    float bound = Float.MAX_VALUE;
    if (skip == null || (!skip.get(start) && start != excluded)) {
      top.push(-d0, start);
      bound = d0;
    }
    while (!candidates.isEmpty()) {
      float cd = candidates.peekDistance();
      if (cd > bound && top.size() >= ef) {
        break;
      }
      int c = candidates.peekId();
      candidates.pop();
      int[] arr = linkArray(c, level);
      int base = linkBase(c, level);
      int n = arr[base];
      for (int i = 1; i <= n; i++) {
        int nb = arr[base + i];
        if (visited[nb] == mark) {
          continue;
        }
        visited[nb] = mark;
        float d = distance(qv, qo, nb);
        if (top.size() < ef || d < bound) {
          candidates.push(d, nb);
          if (skip == null || (!skip.get(nb) && nb != excluded)) {
            top.push(-d, nb);
            if (top.size() > ef) {
              top.pop();
            }
            bound = -top.peekDistance();
          }
        }
      }
    }
    return top;
  }

  // ---------------------------------------------------------------- building

  /** Inserts the next stored id that is not in the graph yet; there must be one. */
  void insertNext() {
    insert(indexed);
    indexed++;
  }

  private int randomLevel() {
    double r = -Math.log(1 - random.nextDouble()) * levelMult;
    return (int) Math.min(r, 32);
  }

  private void insert(int id) {
    int level = randomLevel();
    levelOf[id >>> SHIFT][id & MASK] = (byte) level;
    if (level > 0) {
      upper[id] = new int[level * (m + 1)];
    }
    if (entry < 0) {
      entry = id;
      maxLevel = level;
      return;
    }
    float[] qv = vectors[id >>> SHIFT];
    int qo = (id & MASK) * dim;
    Scratch s = scratch.get();
    int cur = descend(qv, qo, level);
    for (int l = Math.min(level, maxLevel); l >= 0; l--) {
      Heap top = searchLayer(s, qv, qo, cur, efConstruction, l, null, -1);
      int count = top.size();
      int[] candIds = new int[count];
      float[] candDist = new float[count];
      // top is a max-heap (negated distances): pop gives farthest first
      for (int i = count - 1; i >= 0; i--) {
        candDist[i] = -top.peekDistance();
        candIds[i] = top.peekId();
        top.pop();
      }
      int[] chosen = selectNeighbors(candIds, candDist, count, m);
      int[] arr = linkArray(id, l);
      int base = linkBase(id, l);
      arr[base] = chosen.length;
      System.arraycopy(chosen, 0, arr, base + 1, chosen.length);
      for (int n : chosen) {
        connect(n, id, l);
      }
      cur = candIds[0];
    }
    if (level > maxLevel) {
      entry = id;
      maxLevel = level;
    }
  }

  private void connect(int node, int newNeighbor, int level) {
    int max = level == 0 ? m0 : m;
    int[] arr = linkArray(node, level);
    int base = linkBase(node, level);
    int n = arr[base];
    if (n < max) {
      arr[base + 1 + n] = newNeighbor;
      arr[base] = n + 1;
      return;
    }
    float[] nv = vectors[node >>> SHIFT];
    int no = (node & MASK) * dim;
    int[] ids = new int[n + 1];
    float[] ds = new float[n + 1];
    for (int i = 0; i < n; i++) {
      ids[i] = arr[base + 1 + i];
    }
    ids[n] = newNeighbor;
    for (int i = 0; i <= n; i++) {
      ds[i] = distance(nv, no, ids[i]);
    }
    sortByDistance(ids, ds, n + 1);
    int[] chosen = selectNeighbors(ids, ds, n + 1, max);
    arr[base] = chosen.length;
    System.arraycopy(chosen, 0, arr, base + 1, chosen.length);
  }

  /** The heuristic of the HNSW paper: keep a candidate only if no kept one is closer to it. */
  private int[] selectNeighbors(int[] ids, float[] dists, int count, int max) {
    if (count <= max) {
      return Arrays.copyOf(ids, count);
    }
    int[] out = new int[max];
    int kept = 0;
    for (int i = 0; i < count && kept < max; i++) {
      int c = ids[i];
      float[] cv = vectors[c >>> SHIFT];
      int co = (c & MASK) * dim;
      boolean good = true;
      for (int j = 0; j < kept; j++) {
        if (distance(cv, co, out[j]) < dists[i]) {
          good = false;
          break;
        }
      }
      if (good) {
        out[kept++] = c;
      }
    }
    return Arrays.copyOf(out, kept);
  }

  private static void sortByDistance(int[] ids, float[] ds, int n) {
    for (int i = 1; i < n; i++) {
      float d = ds[i];
      int id = ids[i];
      int j = i - 1;
      while (j >= 0 && ds[j] > d) {
        ds[j + 1] = ds[j];
        ids[j + 1] = ids[j];
        j--;
      }
      ds[j + 1] = d;
      ids[j + 1] = id;
    }
  }

  // ---------------------------------------------------------------- links, for snapshots

  /** The layer of {@code id} (its top level), or -1 if it is not inserted. */
  int level(int id) {
    return levelOf[id >>> SHIFT][id & MASK];
  }

  /** The array holding the links of {@code id} at {@code level}; see {@link #linkBase}. */
  int[] linkArray(int id, int level) {
    return level == 0 ? links0[id >>> SHIFT] : upper[id];
  }

  /** Where the links of {@code id} at {@code level} start: the count, then the ids. */
  int linkBase(int id, int level) {
    return level == 0 ? (id & MASK) * (m0 + 1) : (level - 1) * (m + 1);
  }

  /** Gives the stored {@code id} the layers 0 .. {@code level}, empty, as a snapshot is read. */
  void restoreLevel(int id, int level) {
    levelOf[id >>> SHIFT][id & MASK] = (byte) level;
    if (level > 0) {
      upper[id] = new int[level * (m + 1)];
    }
  }

  /** Sets the graph's state after a snapshot's links were read. */
  void restore(int indexed, int entry, int maxLevel) {
    this.indexed = indexed;
    this.entry = entry;
    this.maxLevel = maxLevel;
  }

  /** Per-thread search buffers. */
  private static final class Scratch {
    int[] visited = new int[0];
    int mark;
    final Heap candidates = new Heap(256);
    final Heap top = new Heap(256);

    int[] visited(int n) {
      if (visited.length < n) {
        visited = new int[Math.max(n, visited.length * 2)];
        mark = 0;
      }
      return visited;
    }

    int nextMark() {
      if (++mark == Integer.MAX_VALUE) {
        Arrays.fill(visited, 0);
        mark = 1;
      }
      return mark;
    }
  }
}
