package io.foresight.tools.eval;

import io.foresight.schemas.ModelCard;
import io.foresight.sim.world.EpisodesBuilder;
import java.nio.file.Path;

/**
 * The settings every evaluation on episodes of the simulated world shares (the episodes, and the
 * model, device and threads that score them), so {@link PredictionEval} and {@link SurpriseEval}
 * declare and check them once.
 *
 * @param <B> the evaluation's builder, returned by the setters
 */
public abstract class EvalBuilder<B extends EvalBuilder<B>> extends EpisodesBuilder<B> {
  protected Path modelDir;
  protected String device = "cpu";
  protected int threads = 0;

  /**
   * @param defaultSeed the episodes' seed when none is given
   */
  protected EvalBuilder(long defaultSeed) {
    super(200, 40, defaultSeed);
  }

  /** The folder with {@code model-card.json} (default: the shipped model). */
  public B modelDir(Path modelDir) {
    this.modelDir = modelDir;
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
