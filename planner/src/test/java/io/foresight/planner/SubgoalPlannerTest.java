package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubgoalPlannerTest {
  private static LandmarkGraph graph;
  private final WalledWorld world = new WalledWorld();

  @BeforeAll
  static void buildGraph() {
    graph = WalledWorld.graph(60, 120, 5);
  }

  private Planner cem() {
    return CemPlanner.builder(world).horizon(5).samples(128).iterations(3).build();
  }

  private float run(Planner planner, float[] start, float[] goal, int maxSteps) {
    return run(world, planner, start, goal, maxSteps);
  }

  private static float run(
      WalledWorld world, Planner planner, float[] start, float[] goal, int maxSteps) {
    float[] z = start.clone();
    float[][] warm = null;
    for (int i = 0; i < maxSteps; i++) {
      PlanResult r = planner.plan(PlanRequest.of(z, goal).withWarmStart(warm));
      warm = r.actions();
      float[] nz = new float[2];
      world.moveIn(z, 0, r.firstAction(), 0, nz, 0);
      z = nz;
      if (Cost.L2_TERMINAL.distance(z, goal) < 0.05f) {
        break;
      }
    }
    return Cost.L2_TERMINAL.distance(z, goal);
  }

  @Test
  void shouldGetStuckAtTheWallWithoutSubgoals() {
    float d = run(cem(), new float[] {0.2f, 0.9f}, new float[] {0.8f, 0.9f}, 80);

    assertThat(d).isGreaterThan(0.2f);
  }

  @Test
  void shouldGoThroughTheDoorWithSubgoals() {
    Planner p = SubgoalPlanner.builder(cem(), graph).build();

    float d = run(p, new float[] {0.2f, 0.9f}, new float[] {0.8f, 0.9f}, 80);

    assertThat(d).isLessThan(0.05f);
  }

  @Test
  void shouldRuleOutADoorOfAnotherEpisodeWhenTheModelSaysItIsShut() {
    // The graph remembers episodes with a door at the top (many) and at the bottom (a few); the
    // latent does not say where the door is. The current world has its door at the bottom.
    LandmarkGraph twoDoors = twoDoors();
    WalledWorld here = new WalledWorld(0.7f, 0.9f);
    float[] start = {0.2f, 0.15f};
    float[] goal = {0.8f, 0.15f};
    Planner cem = summedCem(here);

    float unchecked = run(here, SubgoalPlanner.builder(cem, twoDoors).build(), start, goal, 120);
    Counting checker = new Counting(here);
    SubgoalPlanner checked =
        SubgoalPlanner.builder(cem, twoDoors).checkWith(checker, 0.8f, 3).build();
    float d = run(here, checked, start, goal, 120);

    assertThat(unchecked).isGreaterThan(0.2f);
    assertThat(d).isLessThan(0.05f);
    assertThat(checked.blockedWaypoints()).isPositive();
    // CEM reports the latents it predicted for its plan, so the check rolls nothing out itself.
    assertThat(checker.rollouts).isZero();
  }

  @Test
  void shouldRollThePlanOutToCheckItWhenThePlannerDoesNotReportItsLatents() {
    LandmarkGraph twoDoors = twoDoors();
    WalledWorld here = new WalledWorld(0.7f, 0.9f);
    Planner cem = summedCem(here);
    // The same plans without their latents, as a planner returning a mean gives them.
    Planner withoutLatents =
        new Planner() {
          @Override
          public PlanResult plan(PlanRequest request) {
            PlanResult r = cem.plan(request);
            return new PlanResult(
                r.planner(),
                r.actions(),
                r.cost(),
                r.samples(),
                r.iterations(),
                r.elapsedMs(),
                r.deadlineHit());
          }

          @Override
          public String name() {
            return cem.name();
          }

          @Override
          public int horizon() {
            return cem.horizon();
          }

          @Override
          public java.time.Duration budget() {
            return cem.budget();
          }
        };
    Counting checker = new Counting(here);
    SubgoalPlanner checked =
        SubgoalPlanner.builder(withoutLatents, twoDoors).checkWith(checker, 0.8f, 3).build();

    float d = run(here, checked, new float[] {0.2f, 0.15f}, new float[] {0.8f, 0.15f}, 120);

    assertThat(d).isLessThan(0.05f);
    assertThat(checked.blockedWaypoints()).isPositive();
    assertThat(checker.rollouts).isPositive();
  }

  @Test
  void shouldPlanForSeveralAgentsTogetherEachThroughItsOwnWaypointsAndRetries() {
    // Three agents in the world with the door at the bottom, planned for in one call per step:
    // each goes through the door, and the shut door of the other episodes is ruled out as alone.
    LandmarkGraph twoDoors = twoDoors();
    WalledWorld here = new WalledWorld(0.7f, 0.9f);
    SubgoalPlanner checked =
        SubgoalPlanner.builder(summedCem(here), twoDoors).checkWith(here, 0.8f, 3).build();
    float[][] z = {{0.2f, 0.15f}, {0.15f, 0.3f}, {0.8f, 0.2f}};
    float[][] goals = {{0.8f, 0.15f}, {0.85f, 0.3f}, {0.2f, 0.2f}};
    float[][][] warm = new float[3][][];

    for (int step = 0; step < 120; step++) {
      java.util.List<PlanRequest> requests = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        requests.add(PlanRequest.of(z[i], goals[i]).withWarmStart(warm[i]));
      }
      java.util.List<PlanResult> plans = checked.planAll(requests);
      assertThat(plans).hasSize(3);
      for (int i = 0; i < 3; i++) {
        warm[i] = plans.get(i).actions();
        float[] nz = new float[2];
        here.moveIn(z[i], 0, plans.get(i).firstAction(), 0, nz, 0);
        z[i] = nz;
      }
    }

    for (int i = 0; i < 3; i++) {
      assertThat(Cost.L2_TERMINAL.distance(z[i], goals[i])).as("agent %d", i).isLessThan(0.05f);
    }
    assertThat(checked.blockedWaypoints()).isPositive();
  }

  /**
   * A graph of episodes with a door at the top (many) and at the bottom (a few); the latent does
   * not say where the door is.
   */
  private static LandmarkGraph twoDoors() {
    LandmarkGraph.Builder b = LandmarkGraph.builder(2);
    new WalledWorld(0.1f, 0.3f).record(b, 60, 120, 11);
    new WalledWorld(0.7f, 0.9f).record(b, 30, 120, 12);
    return b.build();
  }

  private static Planner summedCem(WalledWorld world) {
    return CemPlanner.builder(world)
        .horizon(5)
        .samples(128)
        .iterations(3)
        .cost(new Cost(Cost.Norm.L2, Cost.Aggregation.SUM))
        .build();
  }

  /** Dynamics that count the rollouts asked of them. */
  private static final class Counting implements Dynamics {
    private final Dynamics inner;
    int rollouts;

    Counting(Dynamics inner) {
      this.inner = inner;
    }

    @Override
    public int latentDim() {
      return inner.latentDim();
    }

    @Override
    public int actionDim() {
      return inner.actionDim();
    }

    @Override
    public int maxBatch() {
      return inner.maxBatch();
    }

    @Override
    public int maxHorizon() {
      return inner.maxHorizon();
    }

    @Override
    public void step(float[] latents, float[] actions, int batch, float[] out) {
      inner.step(latents, actions, batch, out);
    }

    @Override
    public void rollout(float[] start, int batch, int horizon, float[] actions, float[] out) {
      rollouts++;
      inner.rollout(start, batch, horizon, actions, out);
    }
  }

  @Test
  void shouldHeadStraightForAGoalInTheSameRoom() {
    SubgoalPlanner p = SubgoalPlanner.builder(cem(), graph).reachSteps(4).build();

    LandmarkGraph.Waypoint wp = p.waypoint(new float[] {0.2f, 0.5f}, new float[] {0.25f, 0.52f});

    assertThat(wp.isGoal()).isTrue();
  }

  @Test
  void shouldPickAWaypointOnTheWayToTheDoor() {
    SubgoalPlanner p = SubgoalPlanner.builder(cem(), graph).build();

    LandmarkGraph.Waypoint wp = p.waypoint(new float[] {0.35f, 0.9f}, new float[] {0.8f, 0.9f});

    assertThat(wp.isGoal()).isFalse();
    // Toward the door: lower than the start, not further right through the wall.
    assertThat(wp.latent()[1]).isLessThan(0.9f);
    assertThat(wp.wayLength()).isGreaterThan(wp.directDistance());
  }

  @Test
  void shouldShareOneCostToGoTablePerGoalAmongItsCallers() {
    float[] goal = {0.8f, 0.9f};
    LandmarkGraph.CostToGo a = graph.cachedCostToGo(goal, 1.5f, 3);

    // Another array with the same goal (another stream, another planner thread) gets the same
    // table; a change of goal or attach settings gets its own, equal to what costToGo computes.
    assertThat(graph.cachedCostToGo(goal.clone(), 1.5f, 3)).isSameAs(a);
    assertThat(a.cost()).containsExactly(graph.costToGo(goal, 1.5f, 3).cost());
    assertThat(graph.cachedCostToGo(new float[] {0.7f, 0.9f}, 1.5f, 3)).isNotSameAs(a);
    assertThat(graph.cachedCostToGo(goal, 2f, 3)).isNotSameAs(a);
    assertThat(graph.costCacheEntries()).isGreaterThanOrEqualTo(16);
  }

  @Test
  void shouldFindTheSameWaypointsForMoreGoalsThanItOnceKept() {
    // One planner, 200 goals in turn (it kept 64 before): the shared tables give the waypoints a
    // planner computing each table afresh gives.
    SubgoalPlanner shared = SubgoalPlanner.builder(cem(), graph).build();
    float[] start = {0.35f, 0.9f};
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 200; i++) {
        float[] goal = {0.6f + (i % 20) * 0.015f, 0.1f + (i / 20) * 0.08f};
        LandmarkGraph.Waypoint viaCache = shared.waypoint(start, goal);
        LandmarkGraph.Waypoint fresh =
            graph.waypoint(start, graph.costToGo(goal, 1.5f, 3), 1.5f, 3f);
        assertThat(viaCache.node()).isEqualTo(fresh.node());
        assertThat(viaCache.latent()).containsExactly(fresh.latent());
      }
    }
  }

  @Test
  void shouldSaveAndLoadTheGraph(@TempDir Path dir) {
    Path file = dir.resolve("g.bin");
    graph.save(file);

    LandmarkGraph back = LandmarkGraph.load(file);

    assertThat(back.size()).isEqualTo(graph.size());
    assertThat(back.edges()).isEqualTo(graph.edges());
    assertThat(back.stepScale()).isEqualTo(graph.stepScale());
    assertThat(back.node(7)).containsExactly(graph.node(7));
  }

  @Test
  void shouldRefuseAFileThatIsNoGraph(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.bin");
    java.nio.file.Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    assertThatThrownBy(() -> LandmarkGraph.load(file))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("is not a landmark graph");
  }

  @Test
  void shouldBuildAGraphFromTheMemoryStoresLandmarkExport(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("landmarks.json");
    java.nio.file.Files.writeString(
        file,
        "{\"model\":\"abc\",\"landmarks\":["
            + "{\"id\":0,\"latent\":[0.2,0.9]},{\"id\":1,\"latent\":[0.3,0.5]},"
            + "{\"id\":2,\"latent\":[0.7,0.5]},{\"id\":3,\"latent\":[0.8,0.9]}],"
            + "\"edges\":[{\"from\":0,\"to\":1,\"count\":4},{\"from\":1,\"to\":2,"
            + "\"count\":2},{\"from\":2,\"to\":3,\"count\":1}]}");

    LandmarkGraph g = LandmarkGraph.fromMemoryExport(file);
    LandmarkGraph.CostToGo toGo = g.costToGo(new float[] {0.8f, 0.9f}, 0.1f, 1);

    assertThat(g.size()).isEqualTo(4);
    assertThat(g.latentSpace()).isEqualTo("abc");
    assertThat(toGo.next()[0]).isEqualTo(1);
    assertThat(toGo.next()[1]).isEqualTo(2);
    // From near landmark 0, the next waypoint is on the way through the door, not straight right.
    LandmarkGraph.Waypoint wp = g.waypoint(new float[] {0.2f, 0.88f}, toGo, 1f, 1f);
    assertThat(wp.node()).isEqualTo(1);
  }

  @Test
  void shouldEnterTheGraphAtTheNearestNodesFromAnyDistance() {
    // Off the graph, a goal attaches to its nearest nodes: the grid looks at 2, 4 and 8 times the
    // radius before scanning every node; each way must give the nodes a full scan gives.
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    float attach = 0.5f;
    for (int q = 0; q < 200; q++) {
      float far = (float) (graph.stepScale() * attach * (1 + r.nextDouble() * 20));
      double angle = r.nextDouble() * 2 * Math.PI;
      float[] base = graph.node(r.nextInt(graph.size()));
      float[] goal = {
        base[0] + (float) (far * Math.cos(angle)), base[1] + (float) (far * Math.sin(angle))
      };
      Integer[] order = new Integer[graph.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(
          order,
          java.util.Comparator.comparingDouble(
              (Integer i) -> Cost.distance(Cost.Norm.L2, graph.node(i), 0, goal, 0, 2)));
      float third = Cost.distance(Cost.Norm.L2, graph.node(order[2]), 0, goal, 0, 2);
      if (third <= attach * graph.stepScale()) {
        continue; // on the graph: every node within the radius attaches, not the nearest three
      }

      LandmarkGraph.CostToGo toGo = graph.costToGo(goal, attach, 3);

      java.util.List<Integer> entered = new java.util.ArrayList<>();
      for (int n = 0; n < graph.size(); n++) {
        if (toGo.next()[n] == -1) {
          entered.add(n);
        }
      }
      assertThat(entered).containsExactlyInAnyOrder(order[0], order[1], order[2]);
    }
  }

  @Test
  void shouldRefuseALatentOfAnotherSize() {
    assertThatThrownBy(() -> graph.costToGo(new float[3], 1, 1))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("the graph was built with another encoder");
  }
}
