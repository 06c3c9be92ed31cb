package io.foresight.planner;

/**
 * An input the world-model operator could not use, with why: a latent of another size or another
 * latent space, an action of the wrong size. Emitted on {@link WorldModelOperator#REJECTED} so the
 * job can dead-letter it instead of dropping it.
 */
public class RejectedInput {
  /** The input as it arrived. */
  public WorldModelInput input;

  /** What is wrong with it. */
  public String reason;

  /** Flink's POJO constructor. */
  public RejectedInput() {}

  public RejectedInput(WorldModelInput input, String reason) {
    this.input = input;
    this.reason = reason;
  }

  @Override
  public String toString() {
    return "RejectedInput{" + input + ": " + reason + "}";
  }
}
