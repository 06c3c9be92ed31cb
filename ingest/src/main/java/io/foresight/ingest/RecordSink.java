package io.foresight.ingest;

import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.SensorReading;

/**
 * Where producers put the records they make. {@link FramePublisher} sends them to Kafka; tests and
 * in-process users can collect them instead.
 */
public interface RecordSink {
  /** Takes a camera frame (checked against Foresight's limits first). */
  void send(CameraFrame frame);

  /** Takes a sensor reading. */
  void send(SensorReading reading);

  /** Takes an executed action. */
  void send(ActionCommand action);

  /** Takes a goal. */
  void send(Goal goal);

  /** Waits until everything taken so far is delivered. */
  void flush();

  /** Delivery counters, or null where there are none. */
  PublisherStats stats();
}
