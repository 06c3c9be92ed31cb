package io.foresight.planner;

import io.foresight.memory.api.LandmarkExport;
import io.foresight.memory.api.MemoryJson;
import io.foresight.planner.internal.Distances;
import io.foresight.planner.internal.LatentGrid;
import io.foresight.planner.internal.MinHeap;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A graph over remembered latent states: nodes are latents seen in recorded episodes (merged when
 * closer than a fraction of one step), edges are transitions that were actually observed between
 * them plus links between near-identical states of different episodes. Searched from the goal, it
 * gives each node a cost-to-go along ways the world allows (through the door, not through the
 * wall), which straight latent distance does not.
 *
 * <p>Distances are in latent units; radii are given in multiples of the graph's step scale, the
 * median latent distance of one recorded step.
 *
 * <pre>{@code
 * LandmarkGraph.Builder b = LandmarkGraph.builder(64);
 * for (float[][] episode : encodedEpisodes) b.addEpisode(episode);
 * LandmarkGraph graph = b.build();
 * graph.save(Path.of("landmarks.bin"));
 * }</pre>
 */
public final class LandmarkGraph {
  private static final int MAGIC = 0x46534c47; // "FSLG"
  private static final int FORMAT = 1;

  private final int dim;
  private final float stepScale;
  private final String latentSpace;
  private final float[] nodes;
  private final int count;
  private final int[] outStart;
  private final int[] outTarget;
  private final float[] outWeight;
  private final int[] inStart;
  private final int[] inSource;
  private final float[] inWeight;
  private final LatentGrid grid;
  private final Map<CostKey, CostToGo> costCache;
  private final int costCacheEntries;

  private LandmarkGraph(
      int dim,
      float stepScale,
      String latentSpace,
      float[] nodes,
      int[] outStart,
      int[] outTarget,
      float[] outWeight) {
    this.dim = dim;
    this.stepScale = stepScale;
    this.latentSpace = latentSpace;
    this.nodes = nodes;
    this.count = nodes.length / dim;
    this.outStart = outStart;
    this.outTarget = outTarget;
    this.outWeight = outWeight;
    // Reverse adjacency, for searches from the goal backwards.
    int[] deg = new int[count + 1];
    for (int t : outTarget) {
      deg[t + 1]++;
    }
    for (int i = 0; i < count; i++) {
      deg[i + 1] += deg[i];
    }
    this.inStart = deg.clone();
    this.inSource = new int[outTarget.length];
    this.inWeight = new float[outTarget.length];
    int[] fill = deg.clone();
    for (int s = 0; s < count; s++) {
      for (int e = outStart[s]; e < outStart[s + 1]; e++) {
        int slot = fill[outTarget[e]]++;
        inSource[slot] = s;
        inWeight[slot] = outWeight[e];
      }
    }
    // The spatial index is built here, not on the first query, so no plan pays for it.
    this.grid = new LatentGrid(nodes, count, dim, 1.5f * stepScale);
    for (int n = 0; n < count; n++) {
      grid.add(n, nodes, n * dim);
    }
    this.costCacheEntries = (int) Math.max(16, COST_CACHE_BYTES / (8L * Math.max(1, count)));
    this.costCache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<CostKey, CostToGo> eldest) {
            return size() > costCacheEntries;
          }
        };
  }

  /** A builder for latents of {@code dim} floats. */
  public static Builder builder(int dim) {
    return new Builder(dim);
  }

  /** The number of floats in a latent. */
  public int latentDim() {
    return dim;
  }

  /** The number of nodes. */
  public int size() {
    return count;
  }

  /** The number of directed edges. */
  public int edges() {
    return outTarget.length;
  }

  /** The median latent distance of one recorded step: the unit of the radii. */
  public float stepScale() {
    return stepScale;
  }

  /** The latent space the nodes belong to (the encoder's SHA-256), or empty when unknown. */
  public String latentSpace() {
    return latentSpace;
  }

  /** A copy of node {@code i}'s latent. */
  public float[] node(int i) {
    return Arrays.copyOfRange(nodes, i * dim, (i + 1) * dim);
  }

  /**
   * Cost-to-go of every node toward a goal latent: Dijkstra backwards from the nodes within {@code
   * attachSteps} step scales of the goal (at least the nearest {@code minAttach}).
   */
  public CostToGo costToGo(float[] goal, float attachSteps, int minAttach) {
    return costToGo(goal, attachSteps, minAttach, null);
  }

  /** About how many bytes of cost-to-go tables {@link #cachedCostToGo} keeps. */
  static final long COST_CACHE_BYTES = 64L << 20;

  /**
   * {@link #costToGo(float[], float, int)}, remembered: the tables of the most recently used goals
   * (about 64 MiB of them, 8 bytes per node each: 361 goals at 23k nodes) are kept and shared by
   * every caller, so that the planner threads of a job, and streams that share a goal, compute a
   * goal's table once. Thread-safe; the table returned is shared and must not be changed.
   */
  public CostToGo cachedCostToGo(float[] goal, float attachSteps, int minAttach) {
    CostKey key = new CostKey(new GoalKey(goal.clone()), attachSteps, minAttach);
    synchronized (costCache) {
      CostToGo hit = costCache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    // Computed outside the lock: two threads asking for a new goal at once both compute it.
    CostToGo computed = costToGo(goal, attachSteps, minAttach);
    synchronized (costCache) {
      costCache.put(key, computed);
    }
    return computed;
  }

  /** How many goals' tables {@link #cachedCostToGo} keeps. */
  int costCacheEntries() {
    return costCacheEntries;
  }

  private record CostKey(GoalKey goal, float attachSteps, int minAttach) {}

  /**
   * Cost-to-go toward a goal latent avoiding some nodes: as {@link #costToGo(float[], float, int)}
   * with the nodes set in {@code blocked} left out (no way leads through them).
   */
  public CostToGo costToGo(
      float[] goal, float attachSteps, int minAttach, java.util.BitSet blocked) {
    checkDim(goal);
    float[] cost = new float[count];
    int[] next = new int[count];
    Arrays.fill(cost, Float.POSITIVE_INFINITY);
    Arrays.fill(next, -2);
    MinHeap queue = new MinHeap();
    for (int n : attach(goal, attachSteps * stepScale, minAttach)) {
      if (blocked != null && blocked.get(n)) {
        continue;
      }
      float d = distance(n, goal, 0);
      if (d < cost[n]) {
        cost[n] = d;
        next[n] = -1;
        queue.add(d, n);
      }
    }
    while (!queue.isEmpty()) {
      float cm = queue.peekKey();
      int m = queue.poll();
      if (cm > cost[m]) {
        continue;
      }
      for (int e = inStart[m]; e < inStart[m + 1]; e++) {
        int s = inSource[e];
        if (blocked != null && blocked.get(s)) {
          continue;
        }
        float c = cm + inWeight[e];
        if (c < cost[s]) {
          cost[s] = c;
          next[s] = m;
          queue.add(c, s);
        }
      }
    }
    return new CostToGo(goal.clone(), cost, next);
  }

  /**
   * The next waypoint from a latent toward the goal of {@code toGo}: the node where the way through
   * the graph leaves a radius of {@code reachSteps} step scales, or the goal itself when the way
   * ends within it.
   *
   * @param current the current latent
   * @param toGo the goal's cost-to-go
   * @param attachSteps how far (in step scales) a node may be from {@code current} to enter by
   * @param reachSteps how far ahead (in step scales, along the way) the waypoint lies
   */
  public Waypoint waypoint(float[] current, CostToGo toGo, float attachSteps, float reachSteps) {
    checkDim(current);
    float direct = Cost.distance(Cost.Norm.L2, current, 0, toGo.goal, 0, dim);
    int best = -1;
    float bestTotal = Float.POSITIVE_INFINITY;
    for (int n : attach(current, attachSteps * stepScale, 1)) {
      float total = distance(n, current, 0) + toGo.cost[n];
      if (total < bestTotal) {
        bestTotal = total;
        best = n;
      }
    }
    float reach = reachSteps * stepScale;
    if (best < 0 || !Float.isFinite(bestTotal) || direct <= reach) {
      return new Waypoint(toGo.goal.clone(), -1, direct, direct, new int[0]);
    }
    int n = best;
    float along = distance(n, current, 0);
    int[] path = new int[8];
    int len = 0;
    path[len++] = n;
    while (toGo.next[n] >= 0) {
      int m = toGo.next[n];
      float step = toGo.cost[n] - toGo.cost[m];
      if (along + step > reach) {
        break;
      }
      along += step;
      n = m;
      if (len == path.length) {
        path = Arrays.copyOf(path, len * 2);
      }
      path[len++] = n;
    }
    path = Arrays.copyOf(path, len);
    if (toGo.next[n] == -1 && along + toGo.cost[n] <= reach) {
      return new Waypoint(toGo.goal.clone(), -1, bestTotal, direct, path);
    }
    return new Waypoint(node(n), n, bestTotal, direct, path);
  }

  /**
   * A graph from a file holding the memory store's landmark export ({@code GET
   * /landmarks?model=...}, see {@link #fromLandmarks}).
   */
  public static LandmarkGraph fromMemoryExport(Path json) {
    LandmarkExport export;
    try {
      export = MemoryJson.mapper().readValue(json.toFile(), LandmarkExport.class);
    } catch (IOException e) {
      throw new PlannerException(
          "Error reading landmark export " + json + ": " + e.getMessage(), e);
    }
    try {
      return fromLandmarks(export);
    } catch (PlannerException e) {
      throw new PlannerException(json + ": " + e.getMessage(), e);
    }
  }

  /**
   * A graph from the memory store's landmark export (as {@code MemoryClient.landmarks} returns it):
   * landmarks become nodes, observed transitions between them edges; the export's model names the
   * latent space.
   */
  public static LandmarkGraph fromLandmarks(LandmarkExport export) {
    List<LandmarkExport.Landmark> marks = export.landmarks();
    if (marks.isEmpty() || marks.get(0).latent() == null) {
      throw new PlannerException(
          "the export has no landmarks with latents; export them with GET"
              + " /landmarks?model=<sha>&latents=true");
    }
    Builder b =
        builder(marks.get(0).latent().length)
            .latentSpace(export.model() == null ? "" : export.model());
    java.util.Map<Long, Integer> index = new java.util.HashMap<>();
    for (LandmarkExport.Landmark m : marks) {
      if (m.latent() == null) {
        throw new PlannerException("landmark " + m.id() + " of the export has no latent");
      }
      index.put(m.id(), b.addLandmark(m.latent().clone()));
    }
    for (LandmarkExport.Edge e : export.edges()) {
      Integer from = index.get(e.from());
      Integer to = index.get(e.to());
      if (from != null && to != null && e.count() > 0) {
        b.addTransition(from, to);
      }
    }
    return b.build();
  }

  /** Saves the graph in this class's binary format. */
  public void save(Path file) {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeUTF(latentSpace);
      out.writeInt(dim);
      out.writeInt(count);
      out.writeFloat(stepScale);
      for (float v : nodes) {
        out.writeFloat(v);
      }
      out.writeInt(outTarget.length);
      for (int i = 0; i <= count; i++) {
        out.writeInt(outStart[i]);
      }
      for (int i = 0; i < outTarget.length; i++) {
        out.writeInt(outTarget[i]);
        out.writeFloat(outWeight[i]);
      }
    } catch (IOException e) {
      throw new PlannerException("Error writing landmark graph " + file + ": " + e.getMessage(), e);
    }
  }

  /** Loads a graph written by {@link #save}. */
  public static LandmarkGraph load(Path file) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new PlannerException(
            file + " is not a landmark graph (bad magic); write one with LandmarkGraph.save");
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw new PlannerException(
            "landmark graph " + file + " has format " + format + "; this build reads " + FORMAT);
      }
      String space = in.readUTF();
      int dim = in.readInt();
      int count = in.readInt();
      float scale = in.readFloat();
      float[] nodes = new float[dim * count];
      for (int i = 0; i < nodes.length; i++) {
        nodes[i] = in.readFloat();
      }
      int edges = in.readInt();
      int[] start = new int[count + 1];
      for (int i = 0; i <= count; i++) {
        start[i] = in.readInt();
      }
      int[] target = new int[edges];
      float[] weight = new float[edges];
      for (int i = 0; i < edges; i++) {
        target[i] = in.readInt();
        weight[i] = in.readFloat();
      }
      return new LandmarkGraph(dim, scale, space, nodes, start, target, weight);
    } catch (IOException e) {
      throw new PlannerException("Error reading landmark graph " + file + ": " + e.getMessage(), e);
    }
  }

  private int[] attach(float[] z, float radius, int minimum) {
    // Nodes within the radius (from the grid), or the nearest `minimum` when fewer are.
    int[] within = grid.within(nodes, z, 0, radius);
    if (within.length >= minimum) {
      return within;
    }
    // Off the graph: look again in the grid at 2, 4 and 8 times the radius. Every node within a
    // radius is found, so once `minimum` are, the nearest `minimum` of the whole graph are among
    // them; only a latent far from every node scans them all.
    for (float wider = 2 * radius; wider <= 8 * radius; wider *= 2) {
      int[] found = grid.within(nodes, z, 0, wider);
      if (found.length >= minimum) {
        return nearest(found, found.length, z, minimum);
      }
    }
    return nearest(null, count, z, minimum);
  }

  /**
   * The nearest {@code minimum} (at least one) of {@code candidates[0..n)}, or of the first {@code
   * n} nodes when {@code candidates} is null, nearest first.
   */
  private int[] nearest(int[] candidates, int n, float[] z, int minimum) {
    int[] nearest = new int[Math.max(1, minimum)];
    float[] nearestD = new float[nearest.length];
    Arrays.fill(nearestD, Float.POSITIVE_INFINITY);
    int last = nearest.length - 1;
    for (int i = 0; i < n; i++) {
      int node = candidates == null ? i : candidates[i];
      // Squared distances, cut short once past the current last of the nearest.
      float d = Distances.squaredL2Within(nodes, node * dim, z, 0, dim, nearestD[last]);
      if (d < nearestD[last]) {
        int j = last;
        while (j > 0 && d < nearestD[j - 1]) {
          nearest[j] = nearest[j - 1];
          nearestD[j] = nearestD[j - 1];
          j--;
        }
        nearest[j] = node;
        nearestD[j] = d;
      }
    }
    int k = 0;
    while (k < nearest.length && Float.isFinite(nearestD[k])) {
      k++;
    }
    return Arrays.copyOf(nearest, k);
  }

  private float distance(int node, float[] z, int off) {
    return Cost.distance(Cost.Norm.L2, nodes, node * dim, z, off, dim);
  }

  private void checkDim(float[] z) {
    if (z.length != dim) {
      throw new PlannerException(
          "latent has "
              + z.length
              + " floats but the landmark graph's latents have "
              + dim
              + "; the graph was built with another encoder");
    }
  }

  /**
   * Every node's cost-to-go toward one goal.
   *
   * @param goal the goal latent
   * @param cost per node: the length of the best way to the goal (infinite when there is none)
   * @param next per node: the next node on that way, -1 when the goal comes next, -2 when none
   */
  public record CostToGo(float[] goal, float[] cost, int[] next) {
    /** Whether any node has a way to the goal. */
    public boolean reachable() {
      for (float c : cost) {
        if (Float.isFinite(c)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Where to head next.
   *
   * @param latent the waypoint's latent (the goal's, when {@code node == -1})
   * @param node the graph node, or -1 for the goal itself
   * @param wayLength the length of the way from the current latent to the goal through the graph
   * @param directDistance the straight latent distance from the current latent to the goal
   * @param path the graph nodes from where the way enters the graph up to the waypoint
   */
  public record Waypoint(
      float[] latent, int node, float wayLength, float directDistance, int[] path) {
    /** Whether the waypoint is the goal itself. */
    public boolean isGoal() {
      return node < 0;
    }
  }

  /** Builds a {@link LandmarkGraph} from recorded episodes. */
  public static final class Builder {
    private final int dim;
    private final List<float[]> episodes = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final List<float[]> landmarks = new ArrayList<>();
    private final List<int[]> transitions = new ArrayList<>();
    private float mergeSteps = 0.5f;
    private float linkSteps = 1.0f;
    private boolean bidirectional = true;
    private String latentSpace = "";

    private Builder(int dim) {
      if (dim < 1) {
        throw new PlannerException("latent size must be >= 1, got " + dim);
      }
      this.dim = dim;
    }

    /** Latents closer than this many step scales share a node (default 0.5). */
    public Builder mergeSteps(float steps) {
      this.mergeSteps = steps;
      return this;
    }

    /** Nodes closer than this many step scales are linked both ways (default 1.0). */
    public Builder linkSteps(float steps) {
      this.linkSteps = steps;
      return this;
    }

    /**
     * Whether each observed transition is also usable backwards (default true: the agent can undo
     * its moves, as in the two-rooms world).
     */
    public Builder bidirectional(boolean bidirectional) {
      this.bidirectional = bidirectional;
      return this;
    }

    /** The latent space (the encoder's SHA-256) the latents belong to. */
    public Builder latentSpace(String sha256) {
      this.latentSpace = Objects.requireNonNull(sha256, "sha256");
      return this;
    }

    /** Adds one episode: its latents in time order. */
    public Builder addEpisode(float[][] latents) {
      if (!landmarks.isEmpty()) {
        throw new PlannerException("a graph is built from episodes or from landmarks, not both");
      }
      float[] flat = new float[latents.length * dim];
      for (int t = 0; t < latents.length; t++) {
        if (latents[t].length != dim) {
          throw new PlannerException(
              "episode latent " + t + " has " + latents[t].length + " floats, expected " + dim);
        }
        System.arraycopy(latents[t], 0, flat, t * dim, dim);
      }
      episodes.add(flat);
      lengths.add(latents.length);
      return this;
    }

    /**
     * Adds a landmark: a node of its own, never merged (for graphs from the memory store's landmark
     * export). Returns its index, for {@link #addTransition}.
     */
    public int addLandmark(float[] latent) {
      if (latent.length != dim) {
        throw new PlannerException("landmark has " + latent.length + " floats, expected " + dim);
      }
      if (!episodes.isEmpty()) {
        throw new PlannerException("a graph is built from episodes or from landmarks, not both");
      }
      landmarks.add(latent.clone());
      return landmarks.size() - 1;
    }

    /** Adds an observed transition between two landmarks (indices from {@link #addLandmark}). */
    public Builder addTransition(int from, int to) {
      if (from < 0 || to < 0 || from >= landmarks.size() || to >= landmarks.size()) {
        throw new PlannerException(
            "transition " + from + " -> " + to + " names a landmark that was not added");
      }
      transitions.add(new int[] {from, to});
      return this;
    }

    /** Builds the graph; needs one episode of two or more steps, or landmarks. */
    public LandmarkGraph build() {
      if (!landmarks.isEmpty()) {
        return buildFromLandmarks();
      }
      float scale = medianStep();
      float merge = mergeSteps * scale;
      float link = linkSteps * scale;
      float[] nodes = new float[1024 * dim];
      int count = 0;
      LatentGrid index = new LatentGrid(sample(), sampleCount(), dim, Math.max(link, merge));
      List<long[]> edges = new ArrayList<>();
      for (int e = 0; e < episodes.size(); e++) {
        float[] ep = episodes.get(e);
        int prev = -1;
        for (int t = 0; t < lengths.get(e); t++) {
          final float[] nodesNow = nodes;
          final int off = t * dim;
          int[] best = {-1};
          float[] bestD = {Float.POSITIVE_INFINITY};
          index.candidates(
              ep,
              off,
              merge,
              n -> {
                float d = Cost.distance(Cost.Norm.L2, nodesNow, n * dim, ep, off, dim);
                if (d < bestD[0]) {
                  bestD[0] = d;
                  best[0] = n;
                }
              });
          int node = best[0];
          if (node < 0 || bestD[0] > merge) {
            if ((count + 1) * dim > nodes.length) {
              nodes = Arrays.copyOf(nodes, nodes.length * 2);
            }
            System.arraycopy(ep, off, nodes, count * dim, dim);
            index.add(count, nodes, count * dim);
            node = count++;
          }
          if (prev >= 0 && prev != node) {
            edges.add(new long[] {prev, node});
            if (bidirectional) {
              edges.add(new long[] {node, prev});
            }
          }
          prev = node;
        }
      }
      nodes = Arrays.copyOf(nodes, count * dim);
      return finish(nodes, count, edges, scale, link);
    }

    private LandmarkGraph buildFromLandmarks() {
      int count = landmarks.size();
      float[] nodes = new float[count * dim];
      for (int i = 0; i < count; i++) {
        System.arraycopy(landmarks.get(i), 0, nodes, i * dim, dim);
      }
      List<long[]> edges = new ArrayList<>();
      List<Float> lengths = new ArrayList<>();
      for (int[] t : transitions) {
        if (t[0] == t[1]) {
          continue;
        }
        edges.add(new long[] {t[0], t[1]});
        if (bidirectional) {
          edges.add(new long[] {t[1], t[0]});
        }
        lengths.add(Cost.distance(Cost.Norm.L2, nodes, t[0] * dim, nodes, t[1] * dim, dim));
      }
      if (lengths.isEmpty()) {
        throw new PlannerException(
            "a landmark graph needs at least one transition between two different landmarks");
      }
      float[] s = new float[lengths.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = lengths.get(i);
      }
      Arrays.sort(s);
      float scale = s[s.length / 2];
      return finish(nodes, count, edges, scale, linkSteps * scale);
    }

    private LandmarkGraph finish(
        float[] nodes, int count, List<long[]> edges, float scale, float link) {
      LatentGrid index = new LatentGrid(nodes, count, dim, Math.max(link, 1e-6f));
      for (int n = 0; n < count; n++) {
        index.add(n, nodes, n * dim);
      }
      for (int a = 0; a < count; a++) {
        final int from = a;
        index.candidates(
            nodes,
            a * dim,
            link,
            b -> {
              if (b > from
                  && Cost.distance(Cost.Norm.L2, nodes, from * dim, nodes, b * dim, dim) <= link) {
                edges.add(new long[] {from, b});
                edges.add(new long[] {b, from});
              }
            });
      }
      // CSR, one edge per (source, target), weight = latent distance between the nodes.
      edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
      int[] start = new int[count + 1];
      int[] target = new int[edges.size()];
      float[] weight = new float[edges.size()];
      int m = 0;
      long[] last = null;
      for (long[] e : edges) {
        if (last != null && last[0] == e[0] && last[1] == e[1]) {
          continue;
        }
        target[m] = (int) e[1];
        weight[m] =
            Cost.distance(Cost.Norm.L2, nodes, (int) e[0] * dim, nodes, (int) e[1] * dim, dim);
        start[(int) e[0] + 1]++;
        m++;
        last = e;
      }
      for (int i = 0; i < count; i++) {
        start[i + 1] += start[i];
      }
      return new LandmarkGraph(
          dim,
          scale,
          latentSpace,
          nodes,
          start,
          Arrays.copyOf(target, m),
          Arrays.copyOf(weight, m));
    }

    private int sampleCount() {
      int total = 0;
      for (int l : lengths) {
        total += l;
      }
      return Math.min(total, 8192);
    }

    private float[] sample() {
      int total = 0;
      for (int l : lengths) {
        total += l;
      }
      int n = sampleCount();
      float[] out = new float[n * dim];
      // Every k-th latent over all episodes: a sample spread over the whole recording.
      double stride = total / (double) n;
      int e = 0;
      int before = 0;
      for (int i = 0; i < n; i++) {
        int g = (int) (i * stride);
        while (g >= before + lengths.get(e)) {
          before += lengths.get(e);
          e++;
        }
        System.arraycopy(episodes.get(e), (g - before) * dim, out, i * dim, dim);
      }
      return out;
    }

    private float medianStep() {
      List<Float> steps = new ArrayList<>();
      for (int e = 0; e < episodes.size(); e++) {
        float[] ep = episodes.get(e);
        for (int t = 1; t < lengths.get(e); t++) {
          steps.add(Cost.distance(Cost.Norm.L2, ep, (t - 1) * dim, ep, t * dim, dim));
        }
      }
      if (steps.isEmpty()) {
        throw new PlannerException(
            "a landmark graph needs at least one episode with two or more latents");
      }
      float[] s = new float[steps.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = steps.get(i);
      }
      Arrays.sort(s);
      float median = s[s.length / 2];
      if (!(median > 0)) {
        throw new PlannerException(
            "the recorded episodes barely move (median step distance " + median + ")");
      }
      return median;
    }
  }
}
