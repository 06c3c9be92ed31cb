package io.foresight.memory.internal;

import io.foresight.memory.MemoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * <p>This class is the facade and holds the lock; the work is done by its parts: a {@link
 * VectorCatalog} (ids -> stream, sequence, time; dedupe; tombstones), an {@link HnswGraph} (the
 * vectors and the graph: insert and search), {@link IndexSnapshot} (the on-disk format) and, while
 * a compaction runs, a log of {@link IndexChange}s.
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
            "memory.index.ef.construction must be >= memory.index.m ("
                + m
                + "), got "
                + efConstruction);
      }
      if (efSearch < 1) {
        throw new MemoryException("memory.index.ef.search must be >= 1, got " + efSearch);
      }
      if (exactThreshold < 0) {
        throw new MemoryException(
            "memory.index.exact.threshold must be >= 0, got " + exactThreshold);
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

    /** This query asking for {@code moreOrFewer} latents instead of {@link #k}. */
    public Query withK(int moreOrFewer) {
      return new Query(vector, moreOrFewer, ef, exact, stream, excludeStream, excludeSequence);
    }
  }

  /** The result of a search: hits, nearest first, and how they were found. */
  public record Result(List<Hit> hits, boolean approximate, int searched, int pending) {}

  private final String sha;
  private final int dim;
  private final Params params;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final VectorCatalog catalog = new VectorCatalog();
  private final HnswGraph graph;
  private long modifications;
  private List<IndexChange> compactionLog;
  private VectorIndex successor;

  public VectorIndex(String sha, int dim, Params params) {
    if (dim < 1) {
      throw new MemoryException("latent dimension must be >= 1, got " + dim);
    }
    this.sha = sha;
    this.dim = dim;
    this.params = params;
    this.graph = new HnswGraph(dim, params.m(), params.efConstruction(), params.seed());
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

  /** For {@link IndexSnapshot#read}, which fills a new index. */
  VectorCatalog catalog() {
    return catalog;
  }

  /** For {@link IndexSnapshot#read}, which fills a new index. */
  HnswGraph graph() {
    return graph;
  }

  /** Live (not removed) latents. */
  public int live() {
    lock.readLock().lock();
    try {
      return catalog.live();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Ids handed out so far, removed ones included. */
  public int size() {
    lock.readLock().lock();
    try {
      return catalog.size();
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
      return graph.indexed();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Ids waiting for the builder. */
  public int pending() {
    lock.readLock().lock();
    try {
      return pendingLocked();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Live latents per stream. */
  public Map<String, Integer> liveByStream() {
    lock.readLock().lock();
    try {
      return catalog.liveByStream();
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
      int id = catalog.find(stream, sequence);
      return id < 0 ? null : catalog.timeUs(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A copy of the vector of the live state (stream, sequence), or {@code null}. */
  public float[] vectorOf(String stream, long sequence) {
    lock.readLock().lock();
    try {
      int id = catalog.find(stream, sequence);
      if (id < 0) {
        return null;
      }
      float[] out = new float[dim];
      graph.copy(id, out);
      return out;
    } finally {
      lock.readLock().unlock();
    }
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
        compactionLog.add(new IndexChange.Add(stream, sequence, timeUs, vector));
      }
      int id = catalog.add(stream, sequence, timeUs);
      graph.append(vector, 0);
      modifications++;
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
      int id = catalog.find(stream, sequence);
      if (id >= 0) {
        return catalog.timeUs(id);
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
        compactionLog.add(new IndexChange.Remove(stream, sequence));
      }
      if (!catalog.remove(stream, sequence)) {
        return false;
      }
      modifications++;
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- compaction

  /** Removed states still held (their vectors and graph nodes) until a compaction. */
  public int tombstones() {
    lock.readLock().lock();
    try {
      return catalog.size() - catalog.live();
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
      int size = catalog.size();
      for (int id = 0; id < size; id++) {
        if (!catalog.isDeleted(id)) {
          graph.copy(id, v);
          fresh.add(
              catalog.streamName(catalog.streamOrdinal(id)),
              catalog.sequence(id),
              catalog.timeUs(id),
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
      IndexChange.replay(compactionLog, fresh);
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
      catalog.beginReconcile();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Records that the timeline holds this state, adding or refreshing it. */
  public void reconcile(String stream, long sequence, long timeUs, float[] vector) {
    lock.writeLock().lock();
    try {
      int id = catalog.find(stream, sequence);
      if (id >= 0 && catalog.timeUs(id) == timeUs) {
        graph.set(id, vector);
        catalog.markSeen(id);
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
      int removed = catalog.endReconcile();
      modifications += removed;
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- building the graph

  private boolean graphWanted() {
    return graph.indexed() > 0 || catalog.live() >= params.exactThreshold();
  }

  private int pendingLocked() {
    return graphWanted() ? catalog.size() - graph.indexed() : 0;
  }

  /** Inserts up to {@code maxNodes} pending ids into the graph; returns how many were inserted. */
  public int buildSome(int maxNodes) {
    int done = 0;
    while (done < maxNodes) {
      lock.writeLock().lock();
      try {
        if (!graphWanted() || graph.indexed() >= catalog.size()) {
          return done;
        }
        graph.insertNext();
        modifications++;
      } finally {
        lock.writeLock().unlock();
      }
      done++;
    }
    return done;
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
      int excluded = -1;
      if (q.excludeStream() != null) {
        excluded = catalog.find(q.excludeStream(), q.excludeSequence());
      }
      int size = catalog.size();
      int indexed = graph.indexed();
      Heap best = new Heap(q.k() + 1);
      int searched;
      boolean approximate = false;
      if (q.stream() != null) {
        Integer ord = catalog.ordinalOf(q.stream());
        searched = 0;
        if (ord != null) {
          for (int id = 0; id < size; id++) {
            if (catalog.streamOrdinal(id) == ord && !catalog.isDeleted(id) && id != excluded) {
              HnswGraph.offer(best, q.k(), graph.distance(q.vector(), 0, id), id);
              searched++;
            }
          }
        }
      } else if (q.exact() || indexed == 0 || catalog.live() < params.exactThreshold()) {
        searched = graph.scan(best, q.k(), q.vector(), 0, size, catalog.deleted(), excluded);
      } else {
        int ef = Math.max(q.ef() > 0 ? q.ef() : params.efSearch(), q.k());
        graph.search(best, q.k(), q.vector(), ef, catalog.deleted(), excluded);
        searched = ef;
        searched += graph.scan(best, q.k(), q.vector(), indexed, size, catalog.deleted(), excluded);
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
                catalog.streamName(catalog.streamOrdinal(id)),
                catalog.sequence(id),
                catalog.timeUs(id),
                (float) Math.sqrt(d));
      }
      return new Result(List.of(hits), approximate, searched, pendingLocked());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Calls {@code visitor} with a copy of every live latent of {@code stream} (or of all streams
   * when {@code null}), in id order.
   */
  public void forEachLive(String stream, LatentVisitor visitor) {
    lock.readLock().lock();
    try {
      Integer ord = stream == null ? null : catalog.ordinalOf(stream);
      if (stream != null && ord == null) {
        return;
      }
      float[] v = new float[dim];
      int size = catalog.size();
      for (int id = 0; id < size; id++) {
        if (catalog.isDeleted(id) || (ord != null && catalog.streamOrdinal(id) != ord)) {
          continue;
        }
        graph.copy(id, v);
        visitor.visit(
            catalog.streamName(catalog.streamOrdinal(id)),
            catalog.sequence(id),
            catalog.timeUs(id),
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

  /**
   * Squared Euclidean distance of {@code a[ao..ao+n)} and {@code b[bo..bo+n)}: the index's metric
   * ({@link HnswGraph#l2}), for the landmark and HTTP code that compares latents the same way.
   */
  static float l2(float[] a, int ao, float[] b, int bo, int n) {
    return HnswGraph.l2(a, ao, b, bo, n);
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * Writes the whole index (entries, vectors, graph) to {@code file}, atomically (a temporary file
   * moved into place); the format is {@link IndexSnapshot}'s.
   */
  public void save(Path file) {
    lock.readLock().lock();
    try {
      IndexSnapshot.write(file, sha, dim, catalog, graph);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Reads an index written by {@link #save}; throws {@link MemoryException} if the file is not a
   * complete snapshot of this format (the caller then rebuilds from the timeline).
   */
  public static VectorIndex load(Path file, Params params) {
    return IndexSnapshot.read(file, params);
  }
}
