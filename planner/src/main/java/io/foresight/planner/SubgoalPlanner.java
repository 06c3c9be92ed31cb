package io.foresight.planner;

import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
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
    long t0 = System.nanoTime();
    long budgetNs = (request.budget() != null ? request.budget() : inner.budget()).toNanos();
    GoalWays ways = ways(request.goal());
    PlanResult r = null;
    boolean cut = false;
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      long left = budgetNs - (System.nanoTime() - t0);
      if (r != null && left <= 0) {
        cut = true;
        break;
      }
      LandmarkGraph.Waypoint wp =
          graph.waypoint(request.start(), ways.toGo, attachSteps, reachSteps);
      lastWaypoint = wp;
      // The waypoint search and the retries share the request's budget with the inner planner.
      r = inner.plan(request.withGoal(wp.latent()).withBudget(Duration.ofNanos(Math.max(1, left))));
      if (checker == null || wp.isGoal() || attempt == maxRetries || leadsOn(request, wp, r)) {
        break;
      }
      // The world model says this waypoint cannot be approached from here (a door of another
      // episode, say): leave the way there out of the ways to this goal and look again. The
      // entry node stays: it is next to where the agent is.
      for (int i = 1; i < wp.path().length; i++) {
        ways.blocked.set(wp.path()[i]);
      }
      ways.blocked.set(wp.node());
      blockedWaypoints++;
      ways.toGo = graph.costToGo(request.goal(), attachSteps, 3, ways.blocked);
    }
    long elapsed = System.nanoTime() - t0;
    return new PlanResult(
        name,
        r.actions(),
        r.cost(),
        r.samples(),
        r.iterations(),
        elapsed / 1e6,
        r.deadlineHit() || cut || elapsed > budgetNs,
        r.predicted());
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
