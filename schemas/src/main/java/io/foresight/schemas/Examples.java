package io.foresight.schemas;

import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.AlignedReading;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelDeployment;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.PlannerStats;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.schemas.avro.SurpriseEvent;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * One fixed example record of every wire type. They document the contract, pin its encoding in the
 * golden-bytes tests and let integration tests send one of everything.
 */
public final class Examples {
  private static final long T0 = 1_764_000_000_000_000L;

  private Examples() {}

  /** One example of every record type, in {@link Topics#ALL} order. */
  public static List<SpecificRecord> all() {
    return List.of(
        cameraFrame(),
        sensorReading(),
        actionCommand(),
        goal(),
        latentState(),
        prediction(),
        surpriseEvent(),
        plan(),
        deadLetter(),
        modelDeployment());
  }

  /** The topic each example record belongs on. */
  public static String topicOf(SpecificRecord record) {
    return switch (record.getSchema().getName()) {
      case "CameraFrame" -> Topics.FRAMES;
      case "SensorReading" -> Topics.READINGS;
      case "ActionCommand" -> Topics.ACTIONS;
      case "Goal" -> Topics.GOALS;
      case "LatentState" -> Topics.LATENTS;
      case "Prediction" -> Topics.PREDICTIONS;
      case "SurpriseEvent" -> Topics.SURPRISE;
      case "Plan" -> Topics.PLANS;
      case "DeadLetter" -> Topics.DEADLETTER;
      case "ModelDeployment" -> Topics.CONTROL;
      default ->
          throw new ContractException("no topic for record type " + record.getSchema().getName());
    };
  }

  public static ModelRef modelRef() {
    return new ModelRef("two-rooms-jepa", "1.0.0", "0".repeat(64));
  }

  /** A 2x2 RGB8 frame: red, green / blue, white. */
  public static CameraFrame cameraFrame() {
    byte[] px = {
      (byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255
    };
    return CameraFrame.newBuilder()
        .setStreamId("cam-1")
        .setSequence(7)
        .setCaptureTimeUs(T0)
        .setEncoding(FrameEncoding.RGB8)
        .setWidth(2)
        .setHeight(2)
        .setData(ByteBuffer.wrap(px))
        .setFrameId("f-7")
        .setMetadata(Map.of("camera", "front"))
        .build();
  }

  public static SensorReading sensorReading() {
    return SensorReading.newBuilder()
        .setStreamId("cam-1")
        .setSequence(7)
        .setTimeUs(T0)
        .setKind("proprio")
        .setValues(List.of(12.5, 40.0, 0.5, -0.25))
        .setNames(List.of("x", "y", "vx", "vy"))
        .build();
  }

  public static ActionCommand actionCommand() {
    return ActionCommand.newBuilder()
        .setStreamId("cam-1")
        .setTimeUs(T0 + 100_000)
        .setValues(List.of(0.5f, -1.0f))
        .setSource(ActionSource.PLANNER)
        .setPlanId("plan-3")
        .setFrameSequence(7L)
        .build();
  }

  public static Goal goal() {
    return Goal.newBuilder()
        .setStreamId("cam-1")
        .setGoalId("goal-1")
        .setTimeUs(T0)
        .setTarget(
            new GoalImage(FrameEncoding.GRAY8, 2, 1, ByteBuffer.wrap(new byte[] {0, (byte) 200})))
        .setTolerance(4.0f)
        .setActive(true)
        .build();
  }

  public static LatentState latentState() {
    return LatentState.newBuilder()
        .setStreamId("cam-1")
        .setSequence(7)
        .setTimeUs(T0)
        .setModel(modelRef())
        .setLatent(Tensors.tensor(new float[] {0.25f, -1.5f, 3.0f, 0f}, 4))
        .setReadings(List.of(new AlignedReading("proprio", T0 - 1000, List.of(12.5, 40.0))))
        .build();
  }

  public static Prediction prediction() {
    return Prediction.newBuilder()
        .setStreamId("cam-1")
        .setSequence(7)
        .setTimeUs(T0)
        .setModel(modelRef())
        .setHorizons(List.of(1, 5))
        .setPredicted(Tensors.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4))
        .setSurprise(0.125)
        .setSurpriseNormalized(0.5)
        .build();
  }

  public static SurpriseEvent surpriseEvent() {
    return SurpriseEvent.newBuilder()
        .setStreamId("cam-1")
        .setSequence(8)
        .setTimeUs(T0 + 100_000)
        .setModel(modelRef())
        .setScore(2.5)
        .setNormalizedScore(6.0)
        .setThreshold(4.0)
        .build();
  }

  public static Plan plan() {
    return Plan.newBuilder()
        .setStreamId("cam-1")
        .setPlanId("plan-3")
        .setGoalId("goal-1")
        .setTimeUs(T0 + 5_000)
        .setBasedOnSequence(7)
        .setActions(List.of(List.of(0.5f, -1.0f), List.of(1.0f, 0.0f)))
        .setExpectedCost(0.75)
        .setStats(new PlannerStats("cem", 300, 3, 4.5, false, 2L, 1.25))
        .setBasedOnTimeUs(T0 + 1_000)
        .build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic(Topics.FRAMES)
        .setPartition(0)
        .setOffset(42)
        .setKey(ByteBuffer.wrap("cam-1".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setStage("decode")
        .setError("wrong marker 01 02; expected C3 01")
        .setErrorType("WRONG_MARKER")
        .setTimeUs(T0)
        .build();
  }

  public static ModelDeployment modelDeployment() {
    return ModelDeployment.newBuilder()
        .setDeploymentId("00000000-0000-0000-0000-000000000017")
        .setModelDir("/models/two-rooms")
        .setModelName("two-rooms-jepa")
        .setModelVersion("1.0.0")
        .setEncoderSha256("0".repeat(64))
        .setPredictorSha256("1".repeat(64))
        .setRequestedAtUs(T0)
        .setRequestedBy("operator@host")
        .build();
  }
}
