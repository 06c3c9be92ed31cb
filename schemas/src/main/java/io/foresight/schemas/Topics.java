package io.foresight.schemas;

import java.util.List;

/**
 * The Kafka topics of Foresight and their size limits. Every record's key is the stream id in
 * UTF-8, so one stream stays in one partition, in order.
 */
public final class Topics {
  public static final String FRAMES = "foresight.frames";
  public static final String READINGS = "foresight.readings";
  public static final String ACTIONS = "foresight.actions";
  public static final String GOALS = "foresight.goals";
  public static final String LATENTS = "foresight.latents";
  public static final String PREDICTIONS = "foresight.predictions";
  public static final String SURPRISE = "foresight.surprise";
  public static final String PLANS = "foresight.plans";
  public static final String DEADLETTER = "foresight.deadletter";

  /**
   * Model deployments ({@code ModelDeployment}) for the running job: one partition, so that every
   * reader sees the deployments in the order they were made.
   */
  public static final String CONTROL = "foresight.control";

  /** All topics, inputs first, the control topic last. */
  public static final List<String> ALL =
      List.of(
          FRAMES,
          READINGS,
          ACTIONS,
          GOALS,
          LATENTS,
          PREDICTIONS,
          SURPRISE,
          PLANS,
          DEADLETTER,
          CONTROL);

  /** The partitions of a topic when the others get {@code partitions}: 1 for {@link #CONTROL}. */
  public static int partitions(String topic, int partitions) {
    return CONTROL.equals(topic) ? 1 : partitions;
  }

  /** The largest frame payload (CameraFrame.data) that Foresight accepts: 8 MiB. */
  public static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

  /**
   * The record size limit used consistently by the broker ({@code message.max.bytes}), the frame
   * and dead-letter topics ({@code max.message.bytes}), producers ({@code max.request.size}) and
   * consumers (fetch sizes): a maximal frame plus room for the Avro header and metadata.
   */
  public static final int MAX_RECORD_BYTES = MAX_FRAME_BYTES + 1024 * 1024;

  private Topics() {}
}
