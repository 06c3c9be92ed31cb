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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The similarity index of the latents of one model in one partition: every stored latent (id ->
 * stream, sequence, time, vector), the (stream, sequence) -> id maps that make ingest idempotent,
 * and an HNSW graph (Malkov and Yashunin, 2016) over the ids that the background builder has
 * inserted so far. Searches are exact (brute force) while the index is small, and approximate (HNSW
 * plus an exact scan of the not-yet-inserted tail) once it holds {@link Params#exactThreshold()}
 * latents, so a search never misses a state that was just stored.
 *
 * <p>Removed states become tombstones: the graph still routes through them, results skip them.
 * Distances are Euclidean (L2).
 *
 * <p>Thread-safety: writers ({@link #add}, {@link #remove}, {@link #buildSome}) take the write
 * lock, searches the read lock.
 */
public final class VectorIndex {
  /** The tuning of an index. */
  public record Params(int m, int efConstruction, int efSearch, int exactThreshold, long seed) {
    /** Validates the parameters. */
    public Params {
      if (m < 2 || m > 128) {
        throw new MemoryException("memory.index.m must be in [2, 128], got " + m);
      }
      if (efConstruction < m) {
        throw new MemoryException(
            "memory.index.ef-construction must be >= memory.index.m ("
                + m
                + "), got "
                + efConstruction);
      }
      if (efSearch < 1) {
        throw new MemoryException("memory.index.ef-search must be >= 1, got " + efSearch);
      }
      if (exactThreshold < 0) {
        throw new MemoryException(
            "memory.index.exact-threshold must be >= 0, got " + exactThreshold);
      }
    }

    /** M = 16, efConstruction = 100, efSearch = 64, exact below 20000 latents. */
    public static Params defaults() {
      return new Params(16, 100, 64, 20_000, 42);
    }
  }

  /** One result of a search. */
  public record Hit(String stream, long sequence, long timeUs, float distance) {}

  /** What a search should return. */
  public record Query(
      float[] vector,
      int k,
      int ef,
      boolean exact,
      String stream,
      String excludeStream,
      long excludeSequence) {
    /** The {@code k} nearest latents of any stream, approximate when the index is large. */
    public static Query of(float[] vector, int k) {
      return new Query(vector, k, 0, false, null, null, Long.MIN_VALUE);
    }
  }

  /** The result of a search: hits, nearest first, and how they were found. */
  public record Result(List<Hit> hits, boolean approximate, int searched, int pending) {}

  private static final int SHIFT = 12;
  private static final int CHUNK = 1 << SHIFT;
  private static final int MASK = CHUNK - 1;
  private static final int SNAPSHOT_MAGIC = 0x46535649; // "FSVI"
  private static final int SNAPSHOT_VERSION = 1;

  private final String sha;
  private final int dim;
  private final Params params;
  private final int m;
  private final int m0;
  private final double levelMult;
  private final SplittableRandom random;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private float[][] vectors = new float[0][];
  private int[][] streamOf = new int[0][];
  private long[][] timeOf = new long[0][];
  private long[][] seqOf = new long[0][];
  private int[][] links0 = new int[0][];
  private byte[][] levelOf = new byte[0][];
  private int[][] upper = new int[0][];
  private final BitSet deleted = new BitSet();
  private int size;
  private int live;
  private int indexed;
  private int entry = -1;
  private int maxLevel = -1;
  private long modifications;
  private List<Object[]> compactionLog;
  private VectorIndex successor;

  private final List<String> streamNames = new ArrayList<>();
  private final Map<String, Integer> streamOrdinals = new HashMap<>();
  private final List<LongIntMap> sequences = new ArrayList<>();
  private final List<int[]> liveByStream = new ArrayList<>();

  private BitSet seen;
  private final ThreadLocal<Scratch> scratch;

  public VectorIndex(String sha, int dim, Params params) {
    if (dim < 1) {
      throw new MemoryException("latent dimension must be >= 1, got " + dim);
    }
    this.sha = sha;
    this.dim = dim;
    this.params = params;
    this.m = params.m();
    this.m0 = 2 * params.m();
    this.levelMult = 1 / Math.log(params.m());
    this.random = new SplittableRandom(params.seed());
    this.scratch = ThreadLocal.withInitial(Scratch::new);
  }

  public String sha() {
    return sha;
  }

  public int dim() {
    return dim;
  }

  public Params params() {
    return params;
  }

  /** Live (not removed) latents. */
  public int live() {
    lock.readLock().lock();
    try {
      return live;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Ids handed out so far, removed ones included. */
  public int size() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A counter that changes whenever the index does (to skip saving unchanged snapshots). */
  public long modifications() {
    lock.readLock().lock();
    try {
      return modifications;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Ids inserted into the graph. */
  public int indexed() {
    lock.readLock().lock();
    try {
      return indexed;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Ids waiting for the builder. */
  public int pending() {
    lock.readLock().lock();
    try {
      return graphWanted() ? size - indexed : 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Live latents per stream. */
  public Map<String, Integer> liveByStream() {
    lock.readLock().lock();
    try {
      Map<String, Integer> out = new HashMap<>();
      for (int i = 0; i < streamNames.size(); i++) {
        if (liveByStream.get(i)[0] > 0) {
          out.put(streamNames.get(i), liveByStream.get(i)[0]);
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The time of the live state (stream, sequence), or {@code null} if there is none. */
  public Long timeOf(String stream, long sequence) {
    lock.readLock().lock();
    try {
      if (successor != null) {
        return successor.timeOf(stream, sequence);
      }
      int id = find(stream, sequence);
      return id < 0 ? null : timeOf[id >>> SHIFT][id & MASK];
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A copy of the vector of the live state (stream, sequence), or {@code null}. */
  public float[] vectorOf(String stream, long sequence) {
    lock.readLock().lock();
    try {
      int id = find(stream, sequence);
      if (id < 0) {
        return null;
      }
      float[] out = new float[dim];
      System.arraycopy(vectors[id >>> SHIFT], (id & MASK) * dim, out, 0, dim);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private int find(String stream, long sequence) {
    Integer ord = streamOrdinals.get(stream);
    return ord == null ? -1 : sequences.get(ord).get(sequence);
  }

  /**
   * Adds a latent; a live state with the same (stream, sequence) is replaced. Returns its id.
   *
   * @throws MemoryException if the vector's length is not this index's dimension
   */
  public int add(String stream, long sequence, long timeUs, float[] vector) {
    if (vector.length != dim) {
      throw new MemoryException(
          "latent of " + vector.length + " values for a model of dimension " + dim);
    }
    lock.writeLock().lock();
    try {
      if (successor != null) {
        return successor.add(stream, sequence, timeUs, vector);
      }
      if (compactionLog != null) {
        compactionLog.add(new Object[] {stream, sequence, timeUs, vector.clone()});
      }
      int ord = ordinal(stream);
      int old = sequences.get(ord).get(sequence);
      if (old >= 0) {
        tombstone(old, ord);
      }
      int id = allocate();
      System.arraycopy(vector, 0, vectors[id >>> SHIFT], (id & MASK) * dim, dim);
      streamOf[id >>> SHIFT][id & MASK] = ord;
      timeOf[id >>> SHIFT][id & MASK] = timeUs;
      seqOf[id >>> SHIFT][id & MASK] = sequence;
      levelOf[id >>> SHIFT][id & MASK] = -1;
      sequences.get(ord).put(sequence, id);
      liveByStream.get(ord)[0]++;
      live++;
      modifications++;
      if (seen != null) {
        seen.set(id);
      }
      return id;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** What {@link #addIfAbsent} returns when it added the state. */
  public static final long ADDED = Long.MIN_VALUE;

  /**
   * Adds a latent unless a live state with the same (stream, sequence) exists: returns {@link
   * #ADDED}, or the time of the state already stored (which is left as it is).
   */
  public long addIfAbsent(String stream, long sequence, long timeUs, float[] vector) {
    lock.writeLock().lock();
    try {
      if (successor != null) {
        return successor.addIfAbsent(stream, sequence, timeUs, vector);
      }
      int id = find(stream, sequence);
      if (id >= 0) {
        return timeOf[id >>> SHIFT][id & MASK];
      }
      add(stream, sequence, timeUs, vector);
      return ADDED;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes the live state (stream, sequence); returns whether there was one. */
  public boolean remove(String stream, long sequence) {
    lock.writeLock().lock();
    try {
      if (successor != null) {
        return successor.remove(stream, sequence);
      }
      if (compactionLog != null) {
        compactionLog.add(new Object[] {stream, sequence});
      }
      Integer ord = streamOrdinals.get(stream);
      if (ord == null) {
        return false;
      }
      int id = sequences.get(ord).remove(sequence);
      if (id < 0) {
        return false;
      }
      deleted.set(id);
      liveByStream.get(ord)[0]--;
      live--;
      modifications++;
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void tombstone(int id, int ord) {
    sequences.get(ord).remove(seqOf[id >>> SHIFT][id & MASK]);
    deleted.set(id);
    liveByStream.get(ord)[0]--;
    live--;
  }

  private int ordinal(String stream) {
    Integer ord = streamOrdinals.get(stream);
    if (ord == null) {
      ord = streamNames.size();
      streamNames.add(stream);
      streamOrdinals.put(stream, ord);
      sequences.add(new LongIntMap());
      liveByStream.add(new int[1]);
    }
    return ord;
  }

  private int allocate() {
    int id = size;
    int chunk = id >>> SHIFT;
    if (chunk == vectors.length) {
      int n = chunk + 1;
      vectors = Arrays.copyOf(vectors, n);
      streamOf = Arrays.copyOf(streamOf, n);
      timeOf = Arrays.copyOf(timeOf, n);
      seqOf = Arrays.copyOf(seqOf, n);
      links0 = Arrays.copyOf(links0, n);
      levelOf = Arrays.copyOf(levelOf, n);
      vectors[chunk] = new float[CHUNK * dim];
      streamOf[chunk] = new int[CHUNK];
      timeOf[chunk] = new long[CHUNK];
      seqOf[chunk] = new long[CHUNK];
      links0[chunk] = new int[CHUNK * (m0 + 1)];
      levelOf[chunk] = new byte[CHUNK];
    }
    if (id >= upper.length) {
      upper = Arrays.copyOf(upper, Math.max(CHUNK, upper.length * 2));
    }
    size++;
    return id;
  }

  // ---------------------------------------------------------------- compaction

  /** Removed states still held (their vectors and graph nodes) until a compaction. */
  public int tombstones() {
    lock.readLock().lock();
    try {
      return size - live;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Starts a compaction: returns a new index holding this one's live states (its graph still to be
   * built, off any lock) and starts logging changes; {@code null} if one is already running or this
   * index was retired. Finish with {@link #endCompaction}.
   */
  public VectorIndex beginCompaction() {
    lock.writeLock().lock();
    try {
      if (successor != null || compactionLog != null) {
        return null;
      }
      VectorIndex fresh = new VectorIndex(sha, dim, params);
      float[] v = new float[dim];
      for (int id = 0; id < size; id++) {
        if (!deleted.get(id)) {
          System.arraycopy(vectors[id >>> SHIFT], (id & MASK) * dim, v, 0, dim);
          fresh.add(
              streamNames.get(streamOf[id >>> SHIFT][id & MASK]),
              seqOf[id >>> SHIFT][id & MASK],
              timeOf[id >>> SHIFT][id & MASK],
              v);
        }
      }
      compactionLog = new ArrayList<>();
      return fresh;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Applies the changes made since {@link #beginCompaction} to {@code fresh} and retires this
   * index: from now on its writes and lookups go to {@code fresh}, which replaces it.
   */
  public void endCompaction(VectorIndex fresh) {
    lock.writeLock().lock();
    try {
      for (Object[] op : compactionLog) {
        if (op.length == 4) {
          fresh.add((String) op[0], (Long) op[1], (Long) op[2], (float[]) op[3]);
        } else {
          fresh.remove((String) op[0], (Long) op[1]);
        }
      }
      compactionLog = null;
      successor = fresh;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Gives up a compaction started with {@link #beginCompaction}. */
  public void abortCompaction() {
    lock.writeLock().lock();
    try {
      compactionLog = null;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- reconcile with the timeline

  /**
   * Starts reconciling this index with the timeline: afterwards, {@link #reconcile} is called for
   * every stored state and {@link #endReconcile()} removes the ids that were not seen.
   */
  public void beginReconcile() {
    lock.writeLock().lock();
    try {
      seen = new BitSet(size);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Records that the timeline holds this state, adding or refreshing it. */
  public void reconcile(String stream, long sequence, long timeUs, float[] vector) {
    lock.writeLock().lock();
    try {
      int id = find(stream, sequence);
      if (id >= 0 && timeOf[id >>> SHIFT][id & MASK] == timeUs) {
        System.arraycopy(vector, 0, vectors[id >>> SHIFT], (id & MASK) * dim, dim);
        seen.set(id);
        return;
      }
    } finally {
      lock.writeLock().unlock();
    }
    add(stream, sequence, timeUs, vector);
  }

  /** Removes every live id that the timeline scan did not see; returns how many. */
  public int endReconcile() {
    lock.writeLock().lock();
    try {
      int removed = 0;
      for (int id = 0; id < size; id++) {
        if (!deleted.get(id) && !seen.get(id)) {
          tombstone(id, streamOf[id >>> SHIFT][id & MASK]);
          removed++;
        }
      }
      seen = null;
      modifications += removed;
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- building the graph

  private boolean graphWanted() {
    return indexed > 0 || live >= params.exactThreshold();
  }

  /** Inserts up to {@code maxNodes} pending ids into the graph; returns how many were inserted. */
  public int buildSome(int maxNodes) {
    int done = 0;
    while (done < maxNodes) {
      lock.writeLock().lock();
      try {
        if (!graphWanted() || indexed >= size) {
          return done;
        }
        insert(indexed);
        indexed++;
        modifications++;
      } finally {
        lock.writeLock().unlock();
      }
      done++;
    }
    return done;
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
    int cur = entry;
    float curDist = distance(qv, qo, cur);
    for (int l = maxLevel; l > level; l--) {
      boolean changed = true;
      while (changed) {
        changed = false;
        int[] arr = linkArray(cur, l);
        int base = linkBase(cur, l);
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
    for (int l = Math.min(level, maxLevel); l >= 0; l--) {
      Heap top = searchLayer(s, qv, qo, cur, params.efConstruction(), l, null);
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

  private int[] linkArray(int id, int level) {
    return level == 0 ? links0[id >>> SHIFT] : upper[id];
  }

  private int linkBase(int id, int level) {
    return level == 0 ? (id & MASK) * (m0 + 1) : (level - 1) * (m + 1);
  }

  /** An id filter of a search: accepts live ids that are not excluded. */
  private interface Accept {
    boolean test(int id);
  }

  /**
   * Best-first search of one layer from {@code start}; returns a max-heap (negated distances) of up
   * to {@code ef} accepted ids. With {@code accept == null} every id is accepted.
   */
  private Heap searchLayer(
      Scratch s, float[] qv, int qo, int start, int ef, int level, Accept accept) {
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
    if (accept == null || accept.test(start)) {
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
          if (accept == null || accept.test(nb)) {
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

  // ---------------------------------------------------------------- searching

  /** Searches the index; see {@link Query}. */
  public Result search(Query q) {
    if (q.vector().length != dim) {
      throw new MemoryException(
          "query latent has "
              + q.vector().length
              + " values but model "
              + sha
              + " has "
              + dim
              + "-value latents");
    }
    if (q.k() < 1) {
      throw new MemoryException("k must be >= 1, got " + q.k());
    }
    lock.readLock().lock();
    try {
      Scratch s = scratch.get();
      int excludeId = -1;
      if (q.excludeStream() != null) {
        excludeId = find(q.excludeStream(), q.excludeSequence());
      }
      final int excluded = excludeId;
      Heap best = new Heap(q.k() + 1);
      int searched;
      boolean approximate = false;
      if (q.stream() != null) {
        Integer ord = streamOrdinals.get(q.stream());
        searched = 0;
        if (ord != null) {
          for (int id = 0; id < size; id++) {
            if (streamOf[id >>> SHIFT][id & MASK] == ord && !deleted.get(id) && id != excluded) {
              offer(best, q.k(), distance(q.vector(), 0, id), id);
              searched++;
            }
          }
        }
      } else if (q.exact() || indexed == 0 || live < params.exactThreshold()) {
        searched = scan(best, q, 0, size, excluded);
      } else {
        int cur = entry;
        float curDist = distance(q.vector(), 0, cur);
        for (int l = maxLevel; l > 0; l--) {
          boolean changed = true;
          while (changed) {
            changed = false;
            int[] arr = upper[cur];
            int base = (l - 1) * (m + 1);
            int n = arr[base];
            for (int i = 1; i <= n; i++) {
              int c = arr[base + i];
              float d = distance(q.vector(), 0, c);
              if (d < curDist) {
                curDist = d;
                cur = c;
                changed = true;
              }
            }
          }
        }
        int ef = Math.max(q.ef() > 0 ? q.ef() : params.efSearch(), q.k());
        Heap top =
            searchLayer(s, q.vector(), 0, cur, ef, 0, id -> !deleted.get(id) && id != excluded);
        searched = ef;
        while (!top.isEmpty()) {
          offer(best, q.k(), -top.peekDistance(), top.peekId());
          top.pop();
        }
        searched += scan(best, q, indexed, size, excluded);
        approximate = true;
      }
      int n = best.size();
      Hit[] hits = new Hit[n];
      for (int i = n - 1; i >= 0; i--) {
        int id = best.peekId();
        float d = -best.peekDistance();
        best.pop();
        hits[i] =
            new Hit(
                streamNames.get(streamOf[id >>> SHIFT][id & MASK]),
                seqOf[id >>> SHIFT][id & MASK],
                timeOf[id >>> SHIFT][id & MASK],
                (float) Math.sqrt(d));
      }
      return new Result(List.of(hits), approximate, searched, graphWanted() ? size - indexed : 0);
    } finally {
      lock.readLock().unlock();
    }
  }

  private int scan(Heap best, Query q, int from, int to, int excluded) {
    int n = 0;
    for (int id = from; id < to; id++) {
      if (!deleted.get(id) && id != excluded) {
        offer(best, q.k(), distance(q.vector(), 0, id), id);
        n++;
      }
    }
    return n;
  }

  private static void offer(Heap best, int k, float d, int id) {
    if (best.size() < k) {
      best.push(-d, id);
    } else if (d < -best.peekDistance()) {
      best.pop();
      best.push(-d, id);
    }
  }

  /**
   * Calls {@code visitor} with a copy of every live latent of {@code stream} (or of all streams
   * when {@code null}), in id order.
   */
  public void forEachLive(String stream, LatentVisitor visitor) {
    lock.readLock().lock();
    try {
      Integer ord = stream == null ? null : streamOrdinals.get(stream);
      if (stream != null && ord == null) {
        return;
      }
      float[] v = new float[dim];
      for (int id = 0; id < size; id++) {
        if (deleted.get(id) || (ord != null && streamOf[id >>> SHIFT][id & MASK] != ord)) {
          continue;
        }
        System.arraycopy(vectors[id >>> SHIFT], (id & MASK) * dim, v, 0, dim);
        visitor.visit(
            streamNames.get(streamOf[id >>> SHIFT][id & MASK]),
            seqOf[id >>> SHIFT][id & MASK],
            timeOf[id >>> SHIFT][id & MASK],
            v);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Receives latents from {@link #forEachLive}; the array is reused between calls. */
  public interface LatentVisitor {
    void visit(String stream, long sequence, long timeUs, float[] latent);
  }

  private float distance(float[] qv, int qo, int id) {
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

  // ---------------------------------------------------------------- snapshots

  /**
   * Writes the whole index (entries, vectors, graph) to {@code file}, atomically (a temporary file
   * moved into place).
   */
  public void save(Path file) {
    lock.readLock().lock();
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 20))) {
        out.writeInt(SNAPSHOT_MAGIC);
        out.writeInt(SNAPSHOT_VERSION);
        out.writeUTF(sha);
        out.writeInt(dim);
        out.writeInt(m);
        out.writeInt(size);
        out.writeInt(indexed);
        out.writeInt(entry);
        out.writeInt(maxLevel);
        out.writeInt(streamNames.size());
        for (String s : streamNames) {
          out.writeUTF(s);
        }
        for (int id = 0; id < size; id++) {
          out.writeInt(streamOf[id >>> SHIFT][id & MASK]);
          out.writeLong(timeOf[id >>> SHIFT][id & MASK]);
          out.writeLong(seqOf[id >>> SHIFT][id & MASK]);
          out.writeBoolean(deleted.get(id));
          float[] v = vectors[id >>> SHIFT];
          int o = (id & MASK) * dim;
          for (int i = 0; i < dim; i++) {
            out.writeFloat(v[o + i]);
          }
        }
        for (int id = 0; id < indexed; id++) {
          int level = levelOf[id >>> SHIFT][id & MASK];
          out.writeByte(level);
          for (int l = 0; l <= level; l++) {
            int[] arr = linkArray(id, l);
            int base = linkBase(id, l);
            int n = arr[base];
            out.writeByte(n);
            for (int i = 1; i <= n; i++) {
              out.writeInt(arr[base + i]);
            }
          }
        }
        out.writeInt(SNAPSHOT_MAGIC);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new MemoryException(
          "Error writing the index snapshot of model " + sha + " to " + file + ": " + e, e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Reads an index written by {@link #save}; throws {@link MemoryException} if the file is not a
   * complete snapshot of this format (the caller then rebuilds from the timeline).
   */
  public static VectorIndex load(Path file, Params params) {
    try (InputStream is = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 20))) {
      if (in.readInt() != SNAPSHOT_MAGIC || in.readInt() != SNAPSHOT_VERSION) {
        throw new MemoryException("not an index snapshot of format " + SNAPSHOT_VERSION);
      }
      String sha = in.readUTF();
      int dim = in.readInt();
      int m = in.readInt();
      if (m != params.m()) {
        throw new MemoryException(
            "snapshot was built with M=" + m + " but memory.index.m is " + params.m());
      }
      VectorIndex ix = new VectorIndex(sha, dim, params);
      int size = in.readInt();
      int indexed = in.readInt();
      int entry = in.readInt();
      int maxLevel = in.readInt();
      int streams = in.readInt();
      for (int i = 0; i < streams; i++) {
        ix.ordinal(in.readUTF());
      }
      float[] v = new float[dim];
      for (int i = 0; i < size; i++) {
        int ord = in.readInt();
        long time = in.readLong();
        long seq = in.readLong();
        boolean del = in.readBoolean();
        for (int j = 0; j < dim; j++) {
          v[j] = in.readFloat();
        }
        int id = ix.allocate();
        System.arraycopy(v, 0, ix.vectors[id >>> SHIFT], (id & MASK) * dim, dim);
        ix.streamOf[id >>> SHIFT][id & MASK] = ord;
        ix.timeOf[id >>> SHIFT][id & MASK] = time;
        ix.seqOf[id >>> SHIFT][id & MASK] = seq;
        ix.levelOf[id >>> SHIFT][id & MASK] = -1;
        if (del) {
          ix.deleted.set(id);
        } else {
          ix.sequences.get(ord).put(seq, id);
          ix.liveByStream.get(ord)[0]++;
          ix.live++;
        }
      }
      for (int id = 0; id < indexed; id++) {
        int level = in.readByte();
        ix.levelOf[id >>> SHIFT][id & MASK] = (byte) level;
        if (level > 0) {
          ix.upper[id] = new int[level * (m + 1)];
        }
        for (int l = 0; l <= level; l++) {
          int[] arr = ix.linkArray(id, l);
          int base = ix.linkBase(id, l);
          int n = in.readUnsignedByte();
          arr[base] = n;
          for (int i = 1; i <= n; i++) {
            arr[base + i] = in.readInt();
          }
        }
      }
      if (in.readInt() != SNAPSHOT_MAGIC) {
        throw new MemoryException("index snapshot has no end marker (truncated)");
      }
      ix.indexed = indexed;
      ix.entry = entry;
      ix.maxLevel = maxLevel;
      return ix;
    } catch (IOException | RuntimeException e) {
      throw new MemoryException("cannot read index snapshot " + file + ": " + e.getMessage(), e);
    }
  }
}
