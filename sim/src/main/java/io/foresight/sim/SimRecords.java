package io.foresight.sim;

import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.Violation;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** Turns the state of a {@link TwoRoomsWorld} into Foresight's wire records. */
public final class SimRecords {
  /** Frame metadata key naming the violation visible in the frame (ground truth). */
  public static final String VIOLATION_KEY = "sim.violation";

  /** Frame metadata key holding the agent's position "x,y" (ground truth). */
  public static final String AGENT_KEY = "sim.agent";

  /** The kind of proprioception readings. */
  public static final String PROPRIO = "proprio";

  private static final List<String> PROPRIO_NAMES = TwoRoomsWorld.PROPRIO_NAMES;

  private SimRecords() {}

  /**
   * The current frame as an RGB8 {@link CameraFrame}. The frame owns a fresh copy of the pixels;
   * {@code scratch} is the render buffer.
   */
  public static CameraFrame frame(
      String streamId, long sequence, long timeUs, TwoRoomsWorld world, byte[] scratch) {
    world.render(scratch);
    Violation v = world.currentViolation();
    Map<String, String> meta =
        v == null
            ? Map.of(AGENT_KEY, agent(world))
            : Map.of(AGENT_KEY, agent(world), VIOLATION_KEY, v.kind().name());
    return CameraFrame.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setCaptureTimeUs(timeUs)
        .setEncoding(FrameEncoding.RGB8)
        .setWidth(world.config().width())
        .setHeight(world.config().height())
        .setData(ByteBuffer.wrap(scratch.clone()))
        .setFrameId(null)
        .setMetadata(meta)
        .build();
  }

  private static String agent(TwoRoomsWorld world) {
    return String.format(java.util.Locale.ROOT, "%.3f,%.3f", world.agentX(), world.agentY());
  }

  /** The agent's proprioception (x, y, vx, vy) as a {@link SensorReading} of kind "proprio". */
  public static SensorReading proprio(
      String streamId, long sequence, long timeUs, TwoRoomsWorld world) {
    return SensorReading.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setTimeUs(timeUs)
        .setKind(PROPRIO)
        .setValues(
            List.of(
                (double) world.agentX(),
                (double) world.agentY(),
                (double) world.agentVx(),
                (double) world.agentVy()))
        .setNames(PROPRIO_NAMES)
        .build();
  }

  /** A goal image: the scene with the agent drawn at (gx, gy). */
  public static Goal goal(
      String streamId,
      String goalId,
      long timeUs,
      TwoRoomsWorld world,
      float gx,
      float gy,
      float tolerance) {
    byte[] rgb = new byte[world.config().frameBytes()];
    world.renderGoal(gx, gy, rgb);
    GoalImage image =
        GoalImage.newBuilder()
            .setEncoding(FrameEncoding.RGB8)
            .setWidth(world.config().width())
            .setHeight(world.config().height())
            .setData(ByteBuffer.wrap(rgb))
            .build();
    return Goal.newBuilder()
        .setStreamId(streamId)
        .setGoalId(goalId)
        .setTimeUs(timeUs)
        .setTarget(image)
        .setTolerance(tolerance)
        .setActive(true)
        .build();
  }

  /** An executed action. */
  public static ActionCommand action(
      String streamId,
      long timeUs,
      float ax,
      float ay,
      ActionSource source,
      String planId,
      long frameSequence) {
    return ActionCommand.newBuilder()
        .setStreamId(streamId)
        .setTimeUs(timeUs)
        .setValues(List.of(ax, ay))
        .setSource(source)
        .setPlanId(planId)
        .setFrameSequence(frameSequence)
        .build();
  }
}
