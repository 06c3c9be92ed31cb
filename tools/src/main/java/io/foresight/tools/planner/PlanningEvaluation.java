package io.foresight.tools.planner;

import io.foresight.planner.LandmarkGraph;
import io.foresight.planner.PlanRequest;
import io.foresight.planner.PlanResult;
import io.foresight.planner.Planner;
import io.foresight.planner.PlannerOptions;
import io.foresight.planner.Planners;
import io.foresight.planner.WorldModel;
import io.foresight.runtime.ImageEncoder;
import io.foresight.schemas.ModelCard;
import io.foresight.sim.pusht.BlockPose;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.pusht.PushTPolicy;
import io.foresight.sim.pusht.PushTWorld;
import io.foresight.sim.world.GoalPose;
import io.foresight.sim.world.Position;
import io.foresight.sim.world.Room;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldPolicy;
import io.foresight.tools.eval.internal.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The closed-loop planning evaluation: simulated world -> encoder -> planner -> world. Two-Rooms
 * ({@link #run}): a random start and goal per episode, the goal in the other room for every second
 * episode. Push-T ({@link #runPushT}): the block to a goal pose, taken {@code horizonSteps} steps
 * ahead along a scripted push or drawn at random, success by the world's criterion.
 */
public final class PlanningEvaluation {

  /**
   * What to run.
   *
   * @param episodes number of episodes
   * @param seed seed of the tasks (doors, starts, goals)
   * @param maxSteps steps before an episode counts as failed
   * @param successPx the agent must come this close (pixels) to the goal position
   * @param options the planner options (model folder, planner, budget, threads)
   * @param subgoals whether to plan through a landmark graph
   * @param graphFile a saved graph to use, or null to record one
   * @param graphEpisodes episodes to record for the graph
   * @param graphSteps steps per recorded episode
   * @param mergeSteps graph node merge radius in step scales
   * @param linkSteps graph link radius in step scales
   * @param saveGraph where to save the recorded graph, or null
   * @param warmupPlans plans run before measuring (JIT, ONNX Runtime warm-up)
   */
  public record Settings(
      int episodes,
      long seed,
      int maxSteps,
      float successPx,
      PlannerOptions options,
      boolean subgoals,
      Path graphFile,
      int graphEpisodes,
      int graphSteps,
      float mergeSteps,
      float linkSteps,
      Path saveGraph,
      int warmupPlans) {}

  /**
   * What to run in Push-T.
   *
   * @param episodes number of episodes
   * @param seed seed of the tasks (starts, goals)
   * @param horizonSteps {@code pushes}: the goal is where a scripted push (no noise) from the
   *     episode's start puts the block after this many steps; {@code random}: unused
   * @param maxSteps steps before an episode counts as failed
   * @param goals {@code pushes} (goal frames from the scripted push, agent included) or {@code
   *     random} (a random goal pose, the goal image the robots publish: the block there, no agent)
   * @param options the planner options (model folder, planner, budget, threads)
   * @param warmupPlans plans run before measuring
   */
  public record PushTSettings(
      int episodes,
      long seed,
      int horizonSteps,
      int maxSteps,
      String goals,
      PlannerOptions options,
      int warmupPlans) {
    public PushTSettings {
      if (episodes < 1) {
        throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
      }
      if (horizonSteps < 1 || maxSteps < 1) {
        throw new IllegalArgumentException(
            "horizon and max steps must be >= 1, got " + horizonSteps + " and " + maxSteps);
      }
      if (!goals.equals("pushes") && !goals.equals("random")) {
        throw new IllegalArgumentException("goals must be pushes or random, got '" + goals + "'");
      }
    }
  }

  private PlanningEvaluation() {}

  /**
   * Push-T closed loop: per episode a start (the world's reset), a goal pose and its goal frame;
   * the planner plans from each frame's latent toward the goal frame's latent, the first action is
   * applied, until the block meets the success criterion ({@link PushTConfig#success}: within 2 px
   * and 10 degrees at 64x64) or {@code maxSteps} run out. Tasks whose goal the block already meets
   * at the start (a push that did not move it) are redrawn.
   */
  public static Map<String, Object> runPushT(PushTSettings s, Consumer<String> log) {
    PlannerOptions o = s.options();
    ModelCard card = ModelCard.load(o.modelDir());
    PushTConfig cfg =
        PushTConfig.builder().size(card.input().width(), card.input().height()).build();
    int threads = o.get(PlannerOptions.THREADS);
    Map<String, Object> report = new LinkedHashMap<>();
    try (WorldModel model = WorldModel.open(o);
        ImageEncoder encoder = GraphRecorder.encoder(card, threads)) {
      Planner planner = Planners.create(o, model);
      warmUp(planner, model.latentDim(), s.warmupPlans());
      PushTWorld world = new PushTWorld(cfg);
      byte[] rgb = new byte[cfg.frameBytes()];
      byte[] goalRgb = new byte[cfg.frameBytes()];
      List<Double> planMs = new ArrayList<>();
      List<Double> stepsToGoal = new ArrayList<>();
      List<Double> finalPx = new ArrayList<>();
      List<Double> finalDeg = new ArrayList<>();
      List<Double> startPx = new ArrayList<>();
      List<Map<String, Object>> perEpisode = new ArrayList<>();
      SplittableRandom tasks = new SplittableRandom(s.seed());
      int success = 0;
      int redrawn = 0;
      long t0 = System.nanoTime();
      for (int e = 0; e < s.episodes(); e++) {
        long epSeed = 0;
        BlockPose goal = null;
        for (int attempt = 0; attempt < 20; attempt++) {
          epSeed = tasks.nextLong();
          goal = pushTGoal(world, epSeed, s, goalRgb);
          world.reset(epSeed);
          if (!cfg.success(world.block(), goal)) {
            break;
          }
          redrawn++;
        }
        BlockPose start = world.block();
        float[] goalLatent = encoder.encodeRgb8(goalRgb, cfg.width(), cfg.height());
        float[][] warm = null;
        boolean reached = false;
        int steps = 0;
        double epPlanMs = 0;
        while (steps < s.maxSteps()) {
          world.render(rgb);
          float[] z = encoder.encodeRgb8(rgb, cfg.width(), cfg.height());
          long c1 = System.nanoTime();
          PlanResult r = planner.plan(PlanRequest.of(z, goalLatent).withWarmStart(warm));
          double ms = (System.nanoTime() - c1) / 1e6;
          planMs.add(ms);
          epPlanMs += ms;
          warm = r.actions();
          float[] a = r.actions()[0];
          world.step(a[0], a[1]);
          steps++;
          if (cfg.success(world.block(), goal)) {
            reached = true;
            break;
          }
        }
        BlockPose end = world.block();
        if (reached) {
          success++;
          stepsToGoal.add((double) steps);
        }
        finalPx.add((double) end.distanceTo(goal));
        finalDeg.add(Math.toDegrees(end.angleTo(goal)));
        startPx.add((double) start.distanceTo(goal));
        Map<String, Object> ep = new LinkedHashMap<>();
        ep.put("episode", e);
        ep.put("start", pose(start));
        ep.put("goal", pose(goal));
        ep.put("reached", reached);
        ep.put("steps", steps);
        ep.put("final_px", Stats.round(end.distanceTo(goal), 2));
        ep.put("final_deg", Stats.round(Math.toDegrees(end.angleTo(goal)), 1));
        ep.put("plan_ms_mean", Stats.round(epPlanMs / steps, 3));
        perEpisode.add(ep);
        if ((e + 1) % 10 == 0 || e + 1 == s.episodes()) {
          log.accept(String.format("%d/%d episodes: success %d", e + 1, s.episodes(), success));
        }
      }
      double[] plan = toArray(planMs);
      report.put("eval", "planning");
      report.put("world", PushTConfig.NAME);
      report.put("episodes", s.episodes());
      report.put("seed", s.seed());
      report.put("goals", s.goals());
      report.put("horizon_steps", s.goals().equals("pushes") ? s.horizonSteps() : null);
      report.put("max_steps", s.maxSteps());
      report.put("planner", planner.name());
      report.put("success_rate", Stats.round(success / (double) s.episodes(), 4));
      Map<String, Object> criterion = new LinkedHashMap<>();
      criterion.put("pixels", cfg.successPixels());
      criterion.put("degrees", cfg.successDegrees());
      criterion.put("image", cfg.width() + "x" + cfg.height());
      criterion.put(
          "definition",
          "the block's centre of mass within `pixels` of the goal pose's and its angle within"
              + " `degrees` (modulo 360), at any step up to max_steps (PushTConfig.success)");
      report.put("success_criterion", criterion);
      report.put("mean_steps_to_goal", Stats.round(Stats.mean(toArray(stepsToGoal)), 2));
      report.put("start_distance_px_median", Stats.round(Stats.quantile(toArray(startPx), 0.5), 2));
      report.put("final_distance_px_median", Stats.round(Stats.quantile(toArray(finalPx), 0.5), 2));
      report.put("final_angle_deg_median", Stats.round(Stats.quantile(toArray(finalDeg), 0.5), 1));
      report.put("tasks_redrawn", redrawn);
      report.put("plan_ms_p50", Stats.round(Stats.quantile(plan, 0.5), 3));
      report.put("plan_ms_p99", Stats.round(Stats.quantile(plan, 0.99), 3));
      report.put("plan_ms_mean", Stats.round(Stats.mean(plan), 3));
      report.put("plans", plan.length);
      report.put("wall_s", Stats.round((System.nanoTime() - t0) / 1e9, 1));
      report.put("model", Map.of("name", card.name(), "version", card.version()));
      report.put("provider", model.provider().actual().toString());
      report.put("threads", threads);
      report.put("available_processors", Runtime.getRuntime().availableProcessors());
      report.put("options", o.toMap());
      report.put("per_episode", perEpisode);
    }
    return report;
  }

  /**
   * Resets the world with {@code seed} and makes the episode's goal: its pose (returned) and its
   * goal frame (into {@code goalRgb}). Leaves the world after the scripted push; reset it again.
   */
  private static BlockPose pushTGoal(PushTWorld world, long seed, PushTSettings s, byte[] goalRgb) {
    world.reset(seed);
    if (s.goals().equals("random")) {
      GoalPose g = world.randomGoal(new SplittableRandom(seed), 2 * world.config().successPixels());
      BlockPose goal = new BlockPose(g.x(), g.y(), g.angle());
      world.renderGoal(goal, goalRgb);
      return goal;
    }
    WorldPolicy push = PushTPolicy.push(world, 0.0);
    push.reset(new Random(~seed));
    float[] a = new float[2];
    for (int t = 0; t < s.horizonSteps(); t++) {
      push.act(a);
      world.step(a[0], a[1]);
    }
    world.render(goalRgb);
    return world.block();
  }

  private static List<Double> pose(BlockPose p) {
    return List.of(
        Stats.round(p.x(), 2), Stats.round(p.y(), 2), Stats.round(Math.toDegrees(p.angle()), 1));
  }

  /** Runs the evaluation and returns the report (JSON-ready). */
  public static Map<String, Object> run(Settings s, Consumer<String> log) {
    PlannerOptions o = s.options();
    ModelCard card = ModelCard.load(o.modelDir());
    WorldConfig cfg = WorldConfig.DEFAULT;
    int threads = o.get(PlannerOptions.THREADS);
    Map<String, Object> report = new LinkedHashMap<>();
    try (WorldModel model = WorldModel.open(o);
        ImageEncoder encoder = GraphRecorder.encoder(card, threads)) {
      Planner base = Planners.create(o, model);
      Planner planner = base;
      Map<String, Object> graphInfo = new LinkedHashMap<>();
      if (s.subgoals()) {
        long g0 = System.nanoTime();
        LandmarkGraph graph;
        if (s.graphFile() != null) {
          graph = LandmarkGraph.load(s.graphFile());
          graphInfo.put("file", s.graphFile().toString());
        } else {
          List<float[][]> eps =
              GraphRecorder.record(
                  cfg, encoder, s.graphEpisodes(), s.graphSteps(), s.seed() ^ 0x5DEECE66DL);
          double recordS = (System.nanoTime() - g0) / 1e9;
          graph =
              GraphRecorder.build(eps, card.modelRef().getSha256(), s.mergeSteps(), s.linkSteps());
          graphInfo.put("record_s", Stats.round(recordS, 2));
          graphInfo.put("recorded_episodes", s.graphEpisodes());
          graphInfo.put("steps_per_episode", s.graphSteps());
          if (s.saveGraph() != null) {
            graph.save(s.saveGraph());
            graphInfo.put("saved_to", s.saveGraph().toString());
          }
        }
        graphInfo.put("nodes", graph.size());
        graphInfo.put("edges", graph.edges());
        graphInfo.put("step_scale", Stats.round(graph.stepScale(), 5));
        graphInfo.put("build_s", Stats.round((System.nanoTime() - g0) / 1e9, 2));
        log.accept(
            String.format(
                "landmark graph: %d nodes, %d edges, step scale %.4f, %.1f s",
                graph.size(), graph.edges(), graph.stepScale(), (System.nanoTime() - g0) / 1e9));
        planner = Planners.create(o, model, graph);
      }
      warmUp(base, model.latentDim(), s.warmupPlans());
      // Recording the graph leaves gigabytes of frames behind: collect them now, not mid-episode.
      System.gc();

      TwoRoomsWorld world = new TwoRoomsWorld(cfg, s.seed());
      byte[] rgb = new byte[cfg.frameBytes()];
      List<Double> planMs = new ArrayList<>();
      List<Double> encodeMs = new ArrayList<>();
      int[] success = new int[2];
      int[] total = new int[2];
      List<Double> stepsToGoal = new ArrayList<>();
      List<Double> finalPx = new ArrayList<>();
      int deadlineHits = 0;
      int endedInGoalRoom = 0;
      List<Map<String, Object>> perEpisode = new ArrayList<>();
      SplittableRandom tasks = new SplittableRandom(s.seed());
      long t0 = System.nanoTime();
      for (int e = 0; e < s.episodes(); e++) {
        long epSeed = tasks.nextLong();
        world.reset(epSeed);
        SplittableRandom rnd = new SplittableRandom(epSeed);
        boolean otherRoom = e % 2 == 1;
        Room startRoom = world.agentRoom();
        Room goalRoom = otherRoom ? startRoom.other() : startRoom;
        Position goal;
        do {
          goal = world.randomFreePosition(rnd, goalRoom);
        } while (goal.distanceTo(world.agent()) < 2 * s.successPx());
        Position start = world.agent();
        int epDeadlineHits = 0;
        double epPlanMs = 0;
        world.renderGoal(goal.x(), goal.y(), rgb);
        float[] goalLatent = encoder.encodeRgb8(rgb, cfg.width(), cfg.height());
        float[][] warm = null;
        boolean reached = false;
        int steps = 0;
        while (steps < s.maxSteps()) {
          world.render(rgb);
          long c0 = System.nanoTime();
          float[] z = encoder.encodeRgb8(rgb, cfg.width(), cfg.height());
          long c1 = System.nanoTime();
          PlanResult r = planner.plan(PlanRequest.of(z, goalLatent).withWarmStart(warm));
          long c2 = System.nanoTime();
          encodeMs.add((c1 - c0) / 1e6);
          planMs.add((c2 - c1) / 1e6);
          deadlineHits += r.deadlineHit() ? 1 : 0;
          epDeadlineHits += r.deadlineHit() ? 1 : 0;
          epPlanMs += (c2 - c1) / 1e6;
          warm = r.actions();
          float[] a = r.actions()[0];
          world.step(a[0], a[1]);
          steps++;
          if (world.agent().distanceTo(goal) <= s.successPx()) {
            reached = true;
            break;
          }
        }
        int k = otherRoom ? 1 : 0;
        total[k]++;
        if (reached) {
          success[k]++;
          stepsToGoal.add((double) steps);
        }
        if (world.agentRoom() == goalRoom) {
          endedInGoalRoom++;
        }
        finalPx.add((double) world.agent().distanceTo(goal));
        Map<String, Object> ep = new LinkedHashMap<>();
        ep.put("episode", e);
        ep.put("other_room", otherRoom);
        ep.put("door_top", world.doorTop());
        ep.put("start", List.of(Stats.round(start.x(), 1), Stats.round(start.y(), 1)));
        ep.put("goal", List.of(Stats.round(goal.x(), 1), Stats.round(goal.y(), 1)));
        ep.put("reached", reached);
        ep.put("steps", steps);
        ep.put("final_px", Stats.round(world.agent().distanceTo(goal), 2));
        ep.put("plan_ms_mean", Stats.round(epPlanMs / steps, 3));
        ep.put("deadline_hits", epDeadlineHits);
        perEpisode.add(ep);
        if ((e + 1) % 10 == 0 || e + 1 == s.episodes()) {
          log.accept(
              String.format(
                  "%d/%d episodes: success %d/%d same room, %d/%d other room",
                  e + 1, s.episodes(), success[0], total[0], success[1], total[1]));
        }
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      double[] plan = toArray(planMs);
      report.put("episodes", s.episodes());
      report.put("seed", s.seed());
      report.put("planner", planner.name());
      report.put("success_rate", Stats.round((success[0] + success[1]) / (double) s.episodes(), 4));
      report.put("success_rate_same_room", rate(success[0], total[0]));
      report.put("success_rate_other_room", rate(success[1], total[1]));
      report.put("mean_steps_to_goal", Stats.round(Stats.mean(toArray(stepsToGoal)), 2));
      report.put("plan_ms_p50", Stats.round(Stats.quantile(plan, 0.5), 3));
      report.put("plan_ms_p99", Stats.round(Stats.quantile(plan, 0.99), 3));
      report.put("plan_ms_mean", Stats.round(Stats.mean(plan), 3));
      report.put("plan_ms_max", Stats.round(Stats.quantile(plan, 1.0), 3));
      report.put("plans", plan.length);
      report.put("deadline_hits", deadlineHits);
      report.put("encode_ms_p50", Stats.round(Stats.quantile(toArray(encodeMs), 0.5), 3));
      report.put("ended_in_goal_room", Stats.round(endedInGoalRoom / (double) s.episodes(), 4));
      report.put("final_distance_px_median", Stats.round(Stats.quantile(toArray(finalPx), 0.5), 2));
      report.put("success_px", s.successPx());
      report.put("max_steps", s.maxSteps());
      report.put("wall_s", Stats.round(wall, 1));
      report.put("model", Map.of("name", card.name(), "version", card.version()));
      report.put("provider", model.provider().actual().toString());
      report.put("threads", threads);
      report.put("available_processors", Runtime.getRuntime().availableProcessors());
      if (s.subgoals()) {
        if (planner instanceof io.foresight.planner.SubgoalPlanner sp) {
          graphInfo.put("waypoints_ruled_out", sp.blockedWaypoints());
        }
        report.put("graph", graphInfo);
      }
      report.put("options", o.toMap());
      report.put("per_episode", perEpisode);
    }
    return report;
  }

  private static void warmUp(Planner planner, int dim, int plans) {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < plans; i++) {
      float[] a = new float[dim];
      float[] b = new float[dim];
      for (int j = 0; j < dim; j++) {
        a[j] = (float) rnd.nextGaussian();
        b[j] = (float) rnd.nextGaussian();
      }
      planner.plan(PlanRequest.of(a, b));
    }
  }

  private static Object rate(int s, int n) {
    return n == 0 ? null : Stats.round(s / (double) n, 4);
  }

  private static double[] toArray(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
