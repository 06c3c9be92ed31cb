package io.foresight.tools.eval;

import io.foresight.schemas.ModelCard;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.world.EpisodesBuilder;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldSpec;
import java.nio.file.Path;
import java.util.Locale;

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
  protected String world;

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

  /**
   * The simulated world the episodes come from: {@code tworooms} or {@code pusht} (default: the
   * world the model card names in {@code world}, else {@code tworooms}). Without a model folder,
   * {@code pusht} evaluates the shipped Push-T model ({@code models/push-t}).
   */
  public B world(String world) {
    this.world = world == null ? null : normalise(world);
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
      modelDir = shippedDir(world);
    }
  }

  /** The shipped model of a world: {@code models/two-rooms} or {@code models/push-t}. */
  public static Path shippedDir(String world) {
    Path twoRooms = ModelCard.shippedDir();
    return world != null && normalise(world).equals(PushTConfig.NAME)
        ? twoRooms.resolveSibling(PUSH_T_DIR)
        : twoRooms;
  }

  /** The folder name of the shipped Push-T model, next to {@code models/two-rooms}. */
  public static final String PUSH_T_DIR = "push-t";

  /**
   * The world of a model: the card's {@code world} ({@code tworooms} when it has none); a world
   * given explicitly must agree with it.
   *
   * @throws IllegalArgumentException when the explicit world is not the card's
   */
  public static String worldOf(ModelCard card, String explicit) {
    String declared = normalise(card.json().path("world").asText(WorldConfig.NAME));
    if (explicit != null && !normalise(explicit).equals(declared)) {
      throw new IllegalArgumentException(
          "the model "
              + card.name()
              + " in "
              + card.directory()
              + " is a "
              + declared
              + " model (its card's world), not "
              + normalise(explicit)
              + "; pass --world "
              + declared
              + " or a --model-dir of a "
              + normalise(explicit)
              + " model");
    }
    return declared;
  }

  /** The clean (violation-free) world that matches the model's input size. */
  public static WorldSpec worldFor(ModelCard card, String world) {
    ModelCard.Input in = card.input();
    if (worldOf(card, world).equals(PushTConfig.NAME)) {
      return PushTConfig.builder().size(in.width(), in.height()).build();
    }
    return WorldConfig.builder().size(in.width(), in.height()).build();
  }

  /** The same world with violations injected with probability {@code rate} per step. */
  static WorldSpec withViolations(WorldSpec clean, double rate) {
    if (clean instanceof PushTConfig p) {
      return p.toBuilder().violationRate(rate).build();
    }
    return ((WorldConfig) clean).toBuilder().violationRate(rate).build();
  }

  private static String normalise(String world) {
    String n = world.strip().toLowerCase(Locale.ROOT).replace("-", "");
    if (!n.equals(WorldConfig.NAME) && !n.equals(PushTConfig.NAME)) {
      throw new IllegalArgumentException(
          "unknown world '" + world + "'; use " + WorldConfig.NAME + " or " + PushTConfig.NAME);
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
