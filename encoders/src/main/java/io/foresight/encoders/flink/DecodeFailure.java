package io.foresight.encoders.flink;

import io.foresight.encoders.FrameDecodeException;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame the encoder operator could not decode, emitted on {@link
 * FrameEncoderOperator#DECODE_FAILURES} so the job can send it to {@code foresight.deadletter}.
 *
 * @param request the frame as it arrived
 * @param reason why it was refused
 * @param message what was wrong, for people
 */
public record DecodeFailure(
    EncodeRequest request, FrameDecodeException.Reason reason, String message)
    implements Serializable {

  /** The stage name dead letters of this kind carry. */
  public static final String STAGE = "decode";

  /**
   * The dead-letter record: key = stream id, value = the frame re-encoded as a {@link CameraFrame}
   * (single-object Avro; frame id and metadata are not carried through the operator), error type =
   * the reason.
   */
  public DeadLetter toDeadLetter(long nowUs) {
    byte[] value = AvroCodec.of(CameraFrame.class).encode(request.toCameraFrame());
    return DeadLetter.newBuilder()
        .setSourceTopic(request.sourceTopic() == null ? "" : request.sourceTopic())
        .setPartition(request.sourcePartition())
        .setOffset(request.sourceOffset())
        .setKey(
            request.streamId() == null
                ? null
                : ByteBuffer.wrap(request.streamId().getBytes(StandardCharsets.UTF_8)))
        .setValue(ByteBuffer.wrap(value))
        .setStage(STAGE)
        .setError(message)
        .setErrorType(reason.name())
        .setTimeUs(nowUs)
        .build();
  }
}
