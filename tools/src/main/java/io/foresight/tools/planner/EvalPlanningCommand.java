package io.foresight.tools.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.planner.PlannerOptions;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.tools.eval.EvalBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code foresight eval planning}: closed-loop goal reaching in the simulated two-rooms world
 * (world -> encoder -> planner -> world, all in this process), random start and goal per episode,
 * the goal in the other room for every second episode. Prints and writes success rates, steps to
 * the goal and planning latency. With {@code --world pusht}: the block to a goal pose {@code
 * --horizon-steps} ahead along a scripted push (or {@code --goals random}), success by the Push-T
 * criterion (2 px and 10 degrees at 64x64, stated in the report).
 *
 * <pre>{@code
 * foresight eval planning --episodes 100 --seed 1 --planner mppi --json planning.json
 * foresight eval planning --world pusht --episodes 100 --seed 7 --horizon-steps 25 --json pt.json
 * }</pre>
 */
@Command(
    name = "planning",
    mixinStandardHelpOptions = true,
    description =
        "Closed-loop goal reaching in the two-rooms world (success rate same room, other room) or"
            + " with --world pusht pushing the block to a goal pose; steps to goal, plan latency"
            + " p50/p99.")
public class EvalPlanningCommand implements Callable<Integer> {

  @Option(names = "--episodes", defaultValue = "100", description = "Episodes (${DEFAULT-VALUE})")
  int episodes;

  @Option(names = "--seed", defaultValue = "1", description = "Task seed (${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--planner", description = "cem or mppi (default: planner.algorithm)")
  String planner;

  @Option(names = "--json", description = "Write the report to this file")
  Path json;

  @Option(
      names = "--world",
      defaultValue = "tworooms",
      description = "tworooms or pusht (${DEFAULT-VALUE}); pusht uses models/push-t by default")
  String world;

  @Option(
      names = "--horizon-steps",
      defaultValue = "25",
      description =
          "Push-T: the goal is where a scripted push puts the block after this many steps"
              + " (${DEFAULT-VALUE}; 50 is the long-horizon variant)")
  int horizonSteps;

  @Option(
      names = "--goals",
      defaultValue = "pushes",
      description =
          "Push-T: pushes (goal frames along held-out scripted pushes) or random (random goal"
              + " poses, goal image without the agent) (${DEFAULT-VALUE})")
  String goals;

  @Option(
      names = "--max-steps",
      description =
          "Steps before an episode fails (default: 100; Push-T: 2 x --horizon-steps, 200 with"
              + " --goals random)")
  Integer maxSteps;

  @Option(
      names = "--success-px",
      defaultValue = "4",
      description = "Reached when the agent is this close to the goal, pixels (${DEFAULT-VALUE})")
  float successPx;

  @Option(
      names = "--subgoals",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Plan through a landmark graph of remembered latents (default: on)")
  boolean subgoals;

  @Option(names = "--graph", description = "A saved landmark graph (default: record one now)")
  Path graph;

  @Option(
      names = "--graph-episodes",
      defaultValue = "3000",
      description = "Exploration episodes recorded for the graph (${DEFAULT-VALUE})")
  int graphEpisodes;

  @Option(
      names = "--graph-steps",
      defaultValue = "40",
      description = "Steps per recorded episode (${DEFAULT-VALUE})")
  int graphSteps;

  @Option(
      names = "--graph-merge",
      defaultValue = "1.0",
      description = "Graph node merge radius, in median steps (${DEFAULT-VALUE})")
  float mergeSteps;

  @Option(
      names = "--graph-link",
      defaultValue = "1.5",
      description = "Graph link radius, in median steps (${DEFAULT-VALUE})")
  float linkSteps;

  @Option(names = "--save-graph", description = "Save the recorded graph here")
  Path saveGraph;

  @Option(
      names = "--warmup-plans",
      defaultValue = "200",
      description = "Plans run before measuring (${DEFAULT-VALUE})")
  int warmupPlans;

  @Option(
      names = "--check",
      description =
          "Exit with code 3 when a figure misses its target (the thresholds below; defaults are"
              + " the documented targets of docs/benchmarks.md)")
  boolean check;

  @Option(
      names = "--min-success",
      description =
          "--check: least success_rate (default 0.98; Push-T 0.95, 0.8 with --horizon-steps 50"
              + " or more)")
  Double minSuccess;

  @Option(
      names = "--max-plan-p99-ms",
      description = "--check: most plan_ms_p99 (default 20; Push-T 50)")
  Double maxPlanP99Ms;

  @Mixin PlannerCliOptions common = new PlannerCliOptions();

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    if (planner != null) {
      overrides.put(PlannerOptions.ALGORITHM.key(), planner);
    }
    if (graphSteps < 1 || graphSteps > 63) {
      throw new IllegalArgumentException("--graph-steps must be in 1..63, got " + graphSteps);
    }
    boolean pushT =
        world.strip().toLowerCase(java.util.Locale.ROOT).replace("-", "").equals(PushTConfig.NAME);
    if (pushT && common.modelDir == null) {
      overrides.put(
          PlannerOptions.MODEL_DIR.key(), EvalBuilder.shippedDir(PushTConfig.NAME).toString());
    }
    PlannerOptions options = common.toOptions(overrides);
    Map<String, Object> report =
        pushT
            ? PlanningEvaluation.runPushT(
                new PlanningEvaluation.PushTSettings(
                    episodes,
                    seed,
                    horizonSteps,
                    maxSteps != null ? maxSteps : goals.equals("random") ? 200 : 2 * horizonSteps,
                    goals,
                    options,
                    warmupPlans),
                System.err::println)
            : runTwoRooms(options);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String text = mapper.writeValueAsString(report);
    System.out.println(text);
    if (json != null) {
      mapper.writeValue(json.toFile(), report);
    }
    if (!check) {
      return 0;
    }
    double least =
        minSuccess != null ? minSuccess : !pushT ? 0.98 : horizonSteps >= 50 ? 0.8 : 0.95;
    double most = maxPlanP99Ms != null ? maxPlanP99Ms : pushT ? 50 : 20;
    return new io.foresight.tools.eval.cli.Checks(System.err)
        .atLeast("success_rate", report.get("success_rate"), least)
        .atMost("plan_ms_p99", report.get("plan_ms_p99"), most)
        .exitCode();
  }

  private Map<String, Object> runTwoRooms(PlannerOptions options) {
    if (!world.strip().equalsIgnoreCase("tworooms")) {
      throw new IllegalArgumentException("unknown world '" + world + "'; use tworooms or pusht");
    }
    return PlanningEvaluation.run(
        new PlanningEvaluation.Settings(
            episodes,
            seed,
            maxSteps != null ? maxSteps : 100,
            successPx,
            options,
            subgoals,
            graph,
            graphEpisodes,
            graphSteps,
            mergeSteps,
            linkSteps,
            saveGraph,
            warmupPlans),
        System.err::println);
  }
}
