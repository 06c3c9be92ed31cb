package io.foresight.sim.world;

import java.util.Objects;

/**
 * The settings of a set of episodes of the simulated world (how many, how long, their seed and the
 * exploration policy), shared by the builders of whatever generates episodes: the dataset recorder
 * and the evaluations.
 *
 * @param <B> the builder returned by the setters
 */
public abstract class EpisodesBuilder<B extends EpisodesBuilder<B>> {
  protected int episodes;
  protected int steps;
  protected long seed;
  protected String policy = "mixed";

  /** Starts with these defaults (a negative count means "required"). */
  protected EpisodesBuilder(int episodes, int steps, long seed) {
    this.episodes = episodes;
    this.steps = steps;
    this.seed = seed;
  }

  /** Episodes to generate. */
  public B episodes(int episodes) {
    this.episodes = episodes;
    return self();
  }

  /** Frames per episode. */
  public B steps(int steps) {
    this.steps = steps;
    return self();
  }

  /** The episodes' seed. */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /** {@code mixed} (default), {@code random} or {@code door}; see {@link ExplorationPolicy}. */
  public B policy(String policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return self();
  }

  /** The number of episodes given so far. */
  public int episodes() {
    return episodes;
  }

  /** The frames per episode given so far. */
  public int steps() {
    return steps;
  }

  /** The seed given so far. */
  public long seed() {
    return seed;
  }

  /** The policy given so far. */
  public String policy() {
    return policy;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
