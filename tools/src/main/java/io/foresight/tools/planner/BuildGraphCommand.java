package io.foresight.tools.planner;

import io.foresight.planner.LandmarkGraph;
import io.foresight.planner.PlannerOptions;
import io.foresight.runtime.ImageEncoder;
import io.foresight.schemas.ModelCard;
import io.foresight.sim.world.WorldConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight planner graph}: records exploration episodes in the simulated two-rooms world,
 * encodes them with the model's encoder and saves the landmark graph the subgoal planner steers
 * through, by default beside the model ({@code landmarks.bin}, which {@code
 * planner.subgoals.graph=auto} picks up).
 *
 * <pre>{@code
 * foresight planner graph --episodes 1000 --seed 7
 * }</pre>
 */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description =
        "Record exploration episodes in the two-rooms world, encode them and save the landmark"
            + " graph used for subgoals (default: landmarks.bin beside the model).")
public class BuildGraphCommand implements Callable<Integer> {

  @Option(
      names = "--model-dir",
      description = "Model folder with model-card.json (default: the shipped models/two-rooms)")
  Path modelDir;

  @Option(names = "--out", description = "Graph file (default: landmarks.bin in the model folder)")
  Path out;

  @Option(
      names = "--episodes",
      defaultValue = "3000",
      description = "Episodes to record (${DEFAULT-VALUE})")
  int episodes;

  @Option(
      names = "--steps",
      defaultValue = "40",
      description = "Steps per episode, 1..63 (${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--merge",
      defaultValue = "1.0",
      description = "Node merge radius, in median steps (${DEFAULT-VALUE})")
  float merge;

  @Option(
      names = "--link",
      defaultValue = "1.5",
      description = "Link radius, in median steps (${DEFAULT-VALUE})")
  float link;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Encoder threads (${DEFAULT-VALUE})")
  int threads;

  @Override
  public Integer call() {
    if (steps < 1 || steps > 63) {
      throw new IllegalArgumentException("--steps must be in 1..63, got " + steps);
    }
    Path dir = modelDir != null ? modelDir : ModelCard.shippedDir();
    ModelCard card = ModelCard.load(dir);
    Path file = out != null ? out : dir.resolve(PlannerOptions.GRAPH_FILE_NAME);
    long t0 = System.nanoTime();
    try (ImageEncoder encoder = GraphRecorder.encoder(card, threads)) {
      List<float[][]> eps =
          GraphRecorder.record(WorldConfig.DEFAULT, encoder, episodes, steps, seed);
      LandmarkGraph graph = GraphRecorder.build(eps, card.modelRef().getSha256(), merge, link);
      graph.save(file);
      System.out.printf(
          "landmark graph: %d nodes, %d edges, step scale %.4f, from %d episodes x %d steps,"
              + " %.1f s -> %s%n",
          graph.size(),
          graph.edges(),
          graph.stepScale(),
          episodes,
          steps,
          (System.nanoTime() - t0) / 1e9,
          file);
    }
    return 0;
  }
}
