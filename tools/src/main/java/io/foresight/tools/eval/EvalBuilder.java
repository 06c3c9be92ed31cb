package io.foresight.tools.eval;

import io.foresight.schemas.ModelCard;
import java.nio.file.Path;

/**
 * The settings every evaluation on episodes of the simulated world shares (model, episodes, steps,
 * seed, policy, device, threads), so {@link PredictionEval} and {@link SurpriseEval} declare and
 * check them once.
 *
 * @param <B> the evaluation's builder, returned by the setters
 */
public abstract class EvalBuilder<B extends EvalBuilder<B>> {
  protected Path modelDir;
  protected int episodes = 200;
  protected int steps = 40;
  protected long seed;
  protected String policy = "mixed";
  protected String device = "cpu";
  protected int threads = 0;

  /**
   * @param defaultSeed the episodes' seed when none is given
   */
  protected EvalBuilder(long defaultSeed) {
    this.seed = defaultSeed;
  }

  /** The folder with {@code model-card.json} (default: the shipped model). */
  public B modelDir(Path modelDir) {
    this.modelDir = modelDir;
    return self();
  }

  /** Episodes to generate (default 200). */
  public B episodes(int episodes) {
    this.episodes = episodes;
    return self();
  }

  /** Frames per episode (default 40). */
  public B steps(int steps) {
    this.steps = steps;
    return self();
  }

  /** The episodes' seed (the shipped model was trained on seed 1, so evaluations use others). */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /** Exploration policy of the episodes: mixed (default), random or door. */
  public B policy(String policy) {
    this.policy = policy;
    return self();
  }

  /** {@code cpu} (default), {@code auto}, {@code cuda} or {@code cuda:N}. */
  public B device(String device) {
    this.device = device;
    return self();
  }

  /** ONNX Runtime intra-op threads (0: its default). */
  public B threads(int threads) {
    this.threads = threads;
    return self();
  }

  /** Checks the shared settings and fills in the shipped model where none is given. */
  protected void checkShared() {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0, got " + threads);
    }
    if (modelDir == null) {
      modelDir = ModelCard.shippedDir();
    }
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
