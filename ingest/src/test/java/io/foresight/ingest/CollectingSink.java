package io.foresight.ingest;

import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.SensorReading;
import java.util.ArrayList;
import java.util.List;

/** A {@link RecordSink} that keeps everything in lists, for tests. */
public final class CollectingSink implements RecordSink {
  public final List<CameraFrame> frames = new ArrayList<>();
  public final List<SensorReading> readings = new ArrayList<>();
  public final List<ActionCommand> actions = new ArrayList<>();
  public final List<Goal> goals = new ArrayList<>();

  @Override
  public void send(CameraFrame frame) {
    FramePublisher.validate(frame);
    frames.add(frame);
  }

  @Override
  public void send(SensorReading reading) {
    readings.add(reading);
  }

  @Override
  public void send(ActionCommand action) {
    actions.add(action);
  }

  @Override
  public void send(Goal goal) {
    goals.add(goal);
  }

  @Override
  public void flush() {}

  @Override
  public PublisherStats stats() {
    return null;
  }
}
