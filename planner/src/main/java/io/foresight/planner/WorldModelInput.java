package io.foresight.planner;

import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelRef;
import java.util.Arrays;
import java.util.Objects;

/**
 * One input of the keyed world-model operator ({@link WorldModelOperator}): a stream's encoded
 * latent, an action it executed, or a goal given as a latent (goal images are encoded with the
 * stream's encoder before they reach the operator).
 *
 * <p>A Flink POJO (public fields, no-argument constructor), keyed by {@link #streamId}. Build
 * instances with the factories.
 *
 * <pre>{@code
 * DataStream<WorldModelInput> in = latents.map(WorldModelInput::latent)
 *     .union(actions.map(WorldModelInput::action), goalLatents);
 * }</pre>
 */
public class WorldModelInput {

  /** What an input carries. */
  public enum Kind {
    /** {@link #values} is the encoder's latent of frame {@link #sequence}. */
    LATENT,
    /** {@link #values} is an action executed after frame {@link #sequence} (-1: the latest). */
    ACTION,
    /**
     * {@link #values} is the goal latent of goal {@link #goalId}; {@link #active} false cancels.
     */
    GOAL
  }

  /** What this input carries. */
  public Kind kind;

  /** The stream (the key). */
  public String streamId;

  /** Frame sequence for latents; for actions the frame after which it ran, -1 when unknown. */
  public long sequence;

  /** Microseconds since the epoch. */
  public long timeUs;

  /** The latent, the action vector or the goal latent. */
  public float[] values;

  /** Model name of a latent or goal latent (empty for actions). */
  public String modelName = "";

  /** Model version of a latent or goal latent. */
  public String modelVersion = "";

  /** The encoder's SHA-256: the latent space. */
  public String modelSha256 = "";

  /** Goal id (goals only). */
  public String goalId = "";

  /** Goal tolerance in latent distance (goals only). */
  public float tolerance;

  /** false cancels the goal (goals only). */
  public boolean active = true;

  /** Flink's POJO constructor; use the factories. */
  public WorldModelInput() {}

  /** A latent from the encoder. */
  public static WorldModelInput latent(LatentState s) {
    WorldModelInput in = new WorldModelInput();
    in.kind = Kind.LATENT;
    in.streamId = s.getStreamId();
    in.sequence = s.getSequence();
    in.timeUs = s.getTimeUs();
    in.values = Tensors.values(s.getLatent());
    in.setModel(s.getModel());
    return in;
  }

  /** A latent given directly. */
  public static WorldModelInput latent(
      String streamId, long sequence, long timeUs, float[] latent, ModelRef model) {
    WorldModelInput in = new WorldModelInput();
    in.kind = Kind.LATENT;
    in.streamId = Objects.requireNonNull(streamId, "streamId");
    in.sequence = sequence;
    in.timeUs = timeUs;
    in.values = latent.clone();
    in.setModel(model);
    return in;
  }

  /** An action a robot executed. */
  public static WorldModelInput action(ActionCommand a) {
    float[] v = new float[a.getValues().size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.getValues().get(i);
    }
    return action(
        a.getStreamId(),
        a.getFrameSequence() == null ? -1 : a.getFrameSequence(),
        a.getTimeUs(),
        v);
  }

  /** An action given directly; {@code afterSequence} -1 means after the latest frame. */
  public static WorldModelInput action(
      String streamId, long afterSequence, long timeUs, float[] action) {
    WorldModelInput in = new WorldModelInput();
    in.kind = Kind.ACTION;
    in.streamId = Objects.requireNonNull(streamId, "streamId");
    in.sequence = afterSequence;
    in.timeUs = timeUs;
    in.values = action.clone();
    return in;
  }

  /** A goal as a latent (encode goal images with the stream's encoder first). */
  public static WorldModelInput goal(
      String streamId,
      String goalId,
      long timeUs,
      float[] goalLatent,
      float tolerance,
      ModelRef model) {
    WorldModelInput in = new WorldModelInput();
    in.kind = Kind.GOAL;
    in.streamId = Objects.requireNonNull(streamId, "streamId");
    in.goalId = Objects.requireNonNull(goalId, "goalId");
    in.timeUs = timeUs;
    in.values = goalLatent.clone();
    in.tolerance = tolerance;
    in.active = true;
    in.setModel(model);
    return in;
  }

  /** Cancels a stream's goal. */
  public static WorldModelInput cancelGoal(String streamId, String goalId, long timeUs) {
    WorldModelInput in = new WorldModelInput();
    in.kind = Kind.GOAL;
    in.streamId = Objects.requireNonNull(streamId, "streamId");
    in.goalId = goalId == null ? "" : goalId;
    in.timeUs = timeUs;
    in.values = new float[0];
    in.active = false;
    return in;
  }

  /** The model reference of a latent or goal. */
  public ModelRef model() {
    return new ModelRef(modelName, modelVersion, modelSha256);
  }

  private void setModel(ModelRef m) {
    if (m != null) {
      modelName = m.getName();
      modelVersion = m.getVersion();
      modelSha256 = m.getSha256();
    }
  }

  /** The stream id, for {@code keyBy}. */
  public String getStreamId() {
    return streamId;
  }

  @Override
  public String toString() {
    return "WorldModelInput{"
        + kind
        + ", stream="
        + streamId
        + ", sequence="
        + sequence
        + ", values="
        + (values == null ? "null" : values.length + " floats")
        + (kind == Kind.GOAL ? ", goal=" + goalId + ", active=" + active : "")
        + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorldModelInput w
        && kind == w.kind
        && Objects.equals(streamId, w.streamId)
        && sequence == w.sequence
        && timeUs == w.timeUs
        && Arrays.equals(values, w.values)
        && Objects.equals(goalId, w.goalId)
        && active == w.active;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, streamId, sequence, timeUs, goalId, active);
  }
}
