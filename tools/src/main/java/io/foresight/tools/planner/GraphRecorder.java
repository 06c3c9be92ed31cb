package io.foresight.tools.planner;

import io.foresight.planner.LandmarkGraph;
import io.foresight.runtime.Device;
import io.foresight.runtime.ImageEncoder;
import io.foresight.schemas.ModelCard;
import io.foresight.sim.world.ExplorationPolicy;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Records exploration episodes in the two-rooms world (the same mixed policy the training data
 * uses), encodes them and builds a {@link LandmarkGraph} over their latents.
 */
public final class GraphRecorder {
  private GraphRecorder() {}

  /** The encoder graph building and the planning evaluation use: the card's, on the CPU. */
  public static ImageEncoder encoder(ModelCard card, int threads) {
    return ImageEncoder.builder(card)
        .session(s -> s.device(Device.CPU).intraOpThreads(threads))
        .maxBatch(64)
        .build();
  }

  /**
   * Records and encodes {@code episodes} episodes of {@code steps} actions each.
   *
   * @return per episode, its latents ({@code steps + 1} of them)
   */
  public static List<float[][]> record(
      WorldConfig config, ImageEncoder encoder, int episodes, int steps, long seed) {
    TwoRoomsWorld world = new TwoRoomsWorld(config, seed);
    ExplorationPolicy policy = ExplorationPolicy.mixed();
    SplittableRandom rnd = new SplittableRandom(seed);
    List<float[][]> out = new ArrayList<>(episodes);
    float[] action = new float[2];
    int dim = encoder.latentSize();
    for (int e = 0; e < episodes; e++) {
      world.reset(rnd.nextLong());
      policy.reset(world, rnd.split());
      List<byte[]> frames = new ArrayList<>(steps + 1);
      for (int t = 0; t <= steps; t++) {
        byte[] rgb = new byte[config.frameBytes()];
        world.render(rgb);
        frames.add(rgb);
        if (t < steps) {
          policy.act(world, action);
          world.step(action[0], action[1]);
        }
      }
      float[] flat = new float[(steps + 1) * dim];
      encoder.encodeRgb8(frames, config.width(), config.height(), flat);
      float[][] latents = new float[steps + 1][dim];
      for (int t = 0; t <= steps; t++) {
        System.arraycopy(flat, t * dim, latents[t], 0, dim);
      }
      out.add(latents);
    }
    return out;
  }

  /** Builds a graph over recorded latents. */
  public static LandmarkGraph build(
      List<float[][]> episodes, String latentSpace, float mergeSteps, float linkSteps) {
    LandmarkGraph.Builder b =
        LandmarkGraph.builder(episodes.get(0)[0].length)
            .latentSpace(latentSpace)
            .mergeSteps(mergeSteps)
            .linkSteps(linkSteps);
    episodes.forEach(b::addEpisode);
    return b.build();
  }
}
