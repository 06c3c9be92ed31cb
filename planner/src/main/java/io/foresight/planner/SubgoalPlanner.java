package io.foresight.planner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans through waypoints: finds the way from the current latent to the goal through a {@link
 * LandmarkGraph} of remembered states, then lets a short-horizon planner (CEM or MPPI) steer toward
 * the next waypoint on it. Straight latent distance pushes an agent into the wall between two
 * rooms; the way through the graph goes through the door.
 *
 * <p>The cost-to-go of a goal is computed once (Dijkstra over the graph) and cached by the graph
 * ({@link LandmarkGraph#cachedCostToGo}, shared by every planner on it) for the next plans toward
 * the same goal; this planner keeps, per goal, the waypoints the world model ruled out (and the
 * table that avoids them) for as many recent goals as the graph keeps tables. The reported cost is
 * the inner planner's cost to the waypoint.
 *
 * <pre>{@code
 * Planner planner = SubgoalPlanner.builder(cem, LandmarkGraph.load(file)).reachSteps(3).build();
 * }</pre>
 */
public final class SubgoalPlanner implements Planner {
  private final Planner inner;
  private final LandmarkGraph graph;
  private final float attachSteps;
  private final float reachSteps;
  private final String name;
  private final Dynamics checker;
  private final float progress;
  private final int maxRetries;
  private final int cachedGoals;
  private final LinkedHashMap<GoalKey, GoalWays> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<GoalKey, GoalWays> eldest) {
          return size() > cachedGoals;
        }
      };
  private LandmarkGraph.Waypoint lastWaypoint;
  private int blockedWaypoints;

  /** A goal's cost-to-go and the nodes found not to lead anywhere for it. */
  private static final class GoalWays {
    LandmarkGraph.CostToGo toGo;
    final BitSet blocked = new BitSet();

    GoalWays(LandmarkGraph.CostToGo toGo) {
      this.toGo = toGo;
    }
  }

  private SubgoalPlanner(Builder b) {
    this.inner = b.inner;
    this.graph = b.graph;
    this.attachSteps = b.attachSteps;
    this.reachSteps = b.reachSteps;
    this.checker = b.checker;
    this.progress = b.progress;
    this.maxRetries = b.maxRetries;
    // As many goals as the graph keeps tables for: a goal with ruled-out waypoints holds a table
    // of its own, so this bounds those to the graph's budget too.
    this.cachedGoals = graph.costCacheEntries();
    this.name = inner.name() + "+subgoals";
  }

  /** A builder over an inner planner and a graph. */
  public static Builder builder(Planner inner, LandmarkGraph graph) {
    return new Builder(inner, graph);
  }

  @Override
  public PlanResult plan(PlanRequest request) {
    return planAll(List.of(request)).get(0);
  }

  /**
   * Plans for several requests together: each attempt finds every open request's waypoint, then the
   * inner planner searches toward all of them at once ({@link Planner#planAll}); the requests whose
   * waypoint the world model rules out are tried again, together, with the next waypoint. One
   * request is planned as {@link #plan} plans it.
   */
  @Override
  public List<PlanResult> planAll(List<PlanRequest> requests) {
    long t0 = System.nanoTime();
    int k = requests.size();
    long[] budgetNs = new long[k];
    GoalWays[] ways = new GoalWays[k];
    LandmarkGraph.Waypoint[] waypoints = new LandmarkGraph.Waypoint[k];
    PlanResult[] results = new PlanResult[k];
    boolean[] cut = new boolean[k];
    List<Integer> open = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      PlanRequest q = requests.get(i);
      budgetNs[i] = (q.budget() != null ? q.budget() : inner.budget()).toNanos();
      ways[i] = ways(q.goal());
      open.add(i);
    }
    for (int attempt = 0; attempt <= maxRetries && !open.isEmpty(); attempt++) {
      List<Integer> now = new ArrayList<>(open.size());
      List<PlanRequest> toWaypoints = new ArrayList<>(open.size());
      for (int i : open) {
        PlanRequest q = requests.get(i);
        long left = budgetNs[i] - (System.nanoTime() - t0);
        if (results[i] != null && left <= 0) {
          cut[i] = true;
          continue;
        }
        LandmarkGraph.Waypoint wp =
            graph.waypoint(q.start(), ways[i].toGo, attachSteps, reachSteps);
        waypoints[i] = wp;
        lastWaypoint = wp;
        // The waypoint search and the retries share the request's budget with the inner planner.
        now.add(i);
        toWaypoints.add(q.withGoal(wp.latent()).withBudget(Duration.ofNanos(Math.max(1, left))));
      }
      if (now.isEmpty()) {
        break;
      }
      List<PlanResult> found = inner.planAll(toWaypoints);
      open = new ArrayList<>(now.size());
      for (int j = 0; j < now.size(); j++) {
        int i = now.get(j);
        PlanRequest q = requests.get(i);
        LandmarkGraph.Waypoint wp = waypoints[i];
        PlanResult r = found.get(j);
        results[i] = r;
        if (checker == null || wp.isGoal() || attempt == maxRetries || leadsOn(q, wp, r)) {
          continue;
        }
        // The world model says this waypoint cannot be approached from here (a door of another
        // episode, say): leave the way there out of the ways to this goal and look again. The
        // entry node stays: it is next to where the agent is.
        GoalWays w = ways[i];
        for (int p = 1; p < wp.path().length; p++) {
          w.blocked.set(wp.path()[p]);
        }
        w.blocked.set(wp.node());
        blockedWaypoints++;
        w.toGo = graph.costToGo(q.goal(), attachSteps, 3, w.blocked);
        open.add(i);
      }
    }
    long elapsed = System.nanoTime() - t0;
    List<PlanResult> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      PlanResult r = results[i];
      out.add(
          new PlanResult(
              name,
              r.actions(),
              r.cost(),
              r.samples(),
              r.iterations(),
              elapsed / 1e6,
              r.deadlineHit() || cut[i] || elapsed > budgetNs[i],
              r.predicted()));
    }
    return out;
  }

  private boolean leadsOn(PlanRequest request, LandmarkGraph.Waypoint wp, PlanResult r) {
    int d = checker.latentDim();
    float[][] path = r.predicted();
    if (path == null || path.length == 0 || path[0].length != d) {
      path = rollOut(request.start(), r.actions());
    }
    float before = Cost.distance(Cost.Norm.L2, request.start(), 0, wp.latent(), 0, d);
    float best = before;
    for (float[] z : path) {
      best = Math.min(best, Cost.distance(Cost.Norm.L2, z, 0, wp.latent(), 0, d));
    }
    return best <= progress * before;
  }

  /** The checker's latents after each step of {@code actions}, for a plan that came without. */
  private float[][] rollOut(float[] start, float[][] actions) {
    int h = actions.length;
    int a = checker.actionDim();
    int d = checker.latentDim();
    float[] flat = new float[h * a];
    for (int t = 0; t < h; t++) {
      System.arraycopy(actions[t], 0, flat, t * a, a);
    }
    float[] traj = new float[h * d];
    checker.rollout(start, 1, h, flat, traj);
    float[][] path = new float[h][];
    for (int t = 0; t < h; t++) {
      path[t] = java.util.Arrays.copyOfRange(traj, t * d, (t + 1) * d);
    }
    return path;
  }

  /** The waypoint the planner would steer toward from {@code current}. */
  public LandmarkGraph.Waypoint waypoint(float[] current, float[] goal) {
    return graph.waypoint(current, ways(goal).toGo, attachSteps, reachSteps);
  }

  /** How many waypoints the world model has ruled out so far. */
  public int blockedWaypoints() {
    return blockedWaypoints;
  }

  private GoalWays ways(float[] goal) {
    return cache.computeIfAbsent(
        new GoalKey(goal), k -> new GoalWays(graph.cachedCostToGo(goal, attachSteps, 3)));
  }

  /** The waypoint of the last plan, or null before the first. */
  public LandmarkGraph.Waypoint lastWaypoint() {
    return lastWaypoint;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int horizon() {
    return inner.horizon();
  }

  @Override
  public Duration budget() {
    return inner.budget();
  }

  /** Builds a {@link SubgoalPlanner}. */
  public static final class Builder {
    private final Planner inner;
    private final LandmarkGraph graph;
    private float attachSteps = 1.5f;
    private float reachSteps = 3f;
    private Dynamics checker;
    private float progress = 0.8f;
    private int maxRetries = 3;

    private Builder(Planner inner, LandmarkGraph graph) {
      this.inner = Objects.requireNonNull(inner, "inner");
      this.graph = Objects.requireNonNull(graph, "graph");
    }

    /** How close (in step scales) a node must be to enter or leave the graph (default 1.5). */
    public Builder attachSteps(float steps) {
      this.attachSteps = steps;
      return this;
    }

    /** How far ahead along the way the waypoint lies, in step scales (default 3). */
    public Builder reachSteps(float steps) {
      this.reachSteps = steps;
      return this;
    }

    /**
     * Checks each waypoint with the world model: when the plan toward it is not predicted to bring
     * the latent within {@code progress} of its distance (default 0.8), the waypoint is left out of
     * the ways to this goal and another is tried (at most {@code maxRetries} per plan). Off unless
     * set: the graph alone decides. When the inner planner reports the latents it predicted for its
     * plan ({@link PlanResult#predicted()}), the check uses them instead of rolling the plan out
     * again, so {@code dynamics} should be the inner planner's own world model.
     */
    public Builder checkWith(Dynamics dynamics, float progress, int maxRetries) {
      this.checker = Objects.requireNonNull(dynamics, "dynamics");
      this.progress = progress;
      this.maxRetries = maxRetries;
      return this;
    }

    /** Validates and builds. */
    public SubgoalPlanner build() {
      if (checker != null && (!(progress > 0 && progress <= 1) || maxRetries < 1)) {
        throw new PlannerException(
            "subgoal check needs progress in (0, 1] and retries >= 1, got "
                + progress
                + " and "
                + maxRetries);
      }
      if (!(attachSteps > 0) || !(reachSteps > 0)) {
        throw new PlannerException(
            "subgoal attach and reach must be > 0 step scales, got "
                + attachSteps
                + " and "
                + reachSteps);
      }
      return new SubgoalPlanner(this);
    }
  }
}
