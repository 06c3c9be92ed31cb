package io.foresight.tools.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.planner.PlannerOptions;
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
 * the goal and planning latency.
 *
 * <pre>{@code
 * foresight eval planning --episodes 100 --seed 1 --planner mppi --json planning.json
 * }</pre>
 */
@Command(
    name = "planning",
    mixinStandardHelpOptions = true,
    description =
        "Closed-loop goal reaching in the two-rooms world: success rate (same room, other room),"
            + " steps to goal, plan latency p50/p99.")
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
      names = "--max-steps",
      defaultValue = "100",
      description = "Steps before an episode fails (${DEFAULT-VALUE})")
  int maxSteps;

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
      defaultValue = "0.98",
      description = "--check: least success_rate (${DEFAULT-VALUE})")
  double minSuccess;

  @Option(
      names = "--max-plan-p99-ms",
      defaultValue = "20",
      description = "--check: most plan_ms_p99 (${DEFAULT-VALUE})")
  double maxPlanP99Ms;

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
    PlannerOptions options = common.toOptions(overrides);
    Map<String, Object> report =
        PlanningEvaluation.run(
            new PlanningEvaluation.Settings(
                episodes,
                seed,
                maxSteps,
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
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String text = mapper.writeValueAsString(report);
    System.out.println(text);
    if (json != null) {
      mapper.writeValue(json.toFile(), report);
    }
    if (!check) {
      return 0;
    }
    return new io.foresight.tools.eval.cli.Checks(System.err)
        .atLeast("success_rate", report.get("success_rate"), minSuccess)
        .atMost("plan_ms_p99", report.get("plan_ms_p99"), maxPlanP99Ms)
        .exitCode();
  }
}
