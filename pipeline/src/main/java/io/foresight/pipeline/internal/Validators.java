package io.foresight.pipeline.internal;

import io.foresight.pipeline.RawRecord;
import io.foresight.schemas.ContractException;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.schemas.avro.Tensor;
import java.util.List;

/** The checks each input record passes before the job accepts it. */
public final class Validators {
  private Validators() {}

  private static void streamId(String streamId, RawRecord raw) {
    if (streamId == null || streamId.isBlank()) {
      throw new ContractException("the stream id is empty; every record needs one");
    }
    if (raw.key() != null && !raw.keyString().equals(streamId)) {
      throw new ContractException(
          "the record key '"
              + raw.keyString()
              + "' is not its stream id '"
              + streamId
              + "'; key every record by its stream id so a stream stays in one partition");
    }
  }

  public static void frame(CameraFrame f, RawRecord raw) {
    streamId(f.getStreamId(), raw);
    if (f.getWidth() <= 0 || f.getHeight() <= 0) {
      throw new ContractException(
          "frame size " + f.getWidth() + "x" + f.getHeight() + " is not positive");
    }
    if (f.getData().remaining() > Topics.MAX_FRAME_BYTES) {
      throw new ContractException(
          "frame data of "
              + f.getData().remaining()
              + " bytes is over the limit of "
              + Topics.MAX_FRAME_BYTES);
    }
  }

  public static void reading(SensorReading r, RawRecord raw) {
    streamId(r.getStreamId(), raw);
    if (r.getKind() == null || r.getKind().isBlank()) {
      throw new ContractException("the reading has no kind");
    }
    finite(r.getValues(), "reading values");
  }

  public static void action(ActionCommand a, RawRecord raw) {
    streamId(a.getStreamId(), raw);
    if (a.getValues().isEmpty()) {
      throw new ContractException("the action has no values");
    }
    finite(a.getValues(), "action values");
  }

  public static void goal(Goal g, RawRecord raw) {
    streamId(g.getStreamId(), raw);
    if (!Float.isFinite(g.getTolerance()) || g.getTolerance() < 0) {
      throw new ContractException(
          "goal tolerance " + g.getTolerance() + " is not a finite value >= 0");
    }
    if (g.getTarget() instanceof Tensor t) {
      for (float v : Tensors.values(t)) {
        if (!Float.isFinite(v)) {
          throw new ContractException("the goal latent holds a non-finite value (" + v + ")");
        }
      }
    } else if (g.getTarget() instanceof GoalImage img) {
      if (img.getWidth() <= 0 || img.getHeight() <= 0) {
        throw new ContractException(
            "goal image size " + img.getWidth() + "x" + img.getHeight() + " is not positive");
      }
    }
  }

  private static void finite(List<? extends Number> values, String what) {
    for (int i = 0; i < values.size(); i++) {
      double v = values.get(i).doubleValue();
      if (!Double.isFinite(v)) {
        throw new ContractException(
            what + "[" + i + "] is " + v + "; only finite values are accepted");
      }
    }
  }
}
