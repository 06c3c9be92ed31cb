package io.foresight.tools.demo;

import io.foresight.planner.WorldModel;
import io.foresight.runtime.Device;
import io.foresight.schemas.ModelCard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the world model imagines, as pictures: a plan's actions rolled out from a latent by the
 * predictor, each predicted latent decoded to an agent position by the model's {@link LatentProbe}.
 * The demo's report and live view draw these paths over the paths actually taken.
 *
 * <pre>{@code
 * try (Imagination im = Imagination.open(modelDir)) {
 *   List<double[]> path = im.path(latent, plan.actions());   // [x, y] per step, from the start
 * }
 * }</pre>
 */
public final class Imagination implements AutoCloseable {
  /** The longest rollout drawn (steps). */
  public static final int MAX_STEPS = 32;

  private final WorldModel model;
  private final LatentProbe probe;

  private Imagination(WorldModel model, LatentProbe probe) {
    this.model = model;
    this.probe = probe;
  }

  /**
   * The predictor (on the CPU, one sequence at a time) and the probe of the model in {@code
   * modelDir}.
   *
   * @throws IllegalStateException if the model has no probe.json
   */
  public static Imagination open(Path modelDir) {
    LatentProbe probe = LatentProbe.load(modelDir);
    if (probe == null) {
      throw new IllegalStateException(
          "the model in "
              + modelDir
              + " has no "
              + LatentProbe.FILE_NAME
              + "; fit one with models/recipe/fit_probe.sh");
    }
    ModelCard card = ModelCard.load(modelDir);
    String encoder = card.fileInfo("encoder").sha256();
    if (probe.encoderSha256() != null && !probe.encoderSha256().equalsIgnoreCase(encoder)) {
      throw new IllegalStateException(
          "the "
              + LatentProbe.FILE_NAME
              + " in "
              + modelDir
              + " was fitted on the latents of another encoder (sha256 "
              + probe.encoderSha256()
              + ", the card's is "
              + encoder
              + "); refit it with models/recipe/fit_probe.sh "
              + modelDir);
    }
    WorldModel model =
        WorldModel.builder(card)
            .device(Device.CPU)
            .threads(1)
            .maxBatch(1)
            .maxHorizon(MAX_STEPS)
            .build();
    return new Imagination(model, probe);
  }

  public LatentProbe probe() {
    return probe;
  }

  /** Where the probe puts a latent. */
  public double[] position(float[] latent) {
    return probe.decode(latent);
  }

  /**
   * The imagined path: the start latent's position, then one position per action (at most {@value
   * #MAX_STEPS}).
   */
  public List<double[]> path(float[] latent, float[][] actions) {
    List<double[]> out = new ArrayList<>();
    out.add(probe.decode(latent));
    int h = Math.min(actions.length, MAX_STEPS);
    if (h == 0) {
      return out;
    }
    float[][] steps = model.predict(latent, Arrays.copyOf(actions, h));
    for (float[] z : steps) {
      out.add(probe.decode(z));
    }
    return out;
  }

  /**
   * A plan as imagined: the agent's path and (with a Push-T probe) the block centre's path, each
   * the start latent's position then one per action.
   *
   * @param agent {@code [x, y]} per step
   * @param block {@code [x, y]} per step, or null when the probe has no block part
   */
  public record Imagined(List<double[]> agent, List<double[]> block) {}

  /** The imagined paths of the agent and, where the probe has it, the block (one rollout). */
  public Imagined imagine(float[] latent, float[][] actions) {
    List<double[]> agent = new ArrayList<>();
    List<double[]> block = probe.block() == null ? null : new ArrayList<>();
    agent.add(probe.decode(latent));
    if (block != null) {
      block.add(probe.decodeBlock(latent));
    }
    int h = Math.min(actions.length, MAX_STEPS);
    if (h > 0) {
      for (float[] z : model.predict(latent, Arrays.copyOf(actions, h))) {
        agent.add(probe.decode(z));
        if (block != null) {
          block.add(probe.decodeBlock(z));
        }
      }
    }
    return new Imagined(agent, block);
  }

  @Override
  public void close() {
    model.close();
  }
}
