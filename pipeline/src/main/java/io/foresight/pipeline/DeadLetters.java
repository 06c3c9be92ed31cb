package io.foresight.pipeline;

import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;

/** Builds the dead-letter records of the job: original bytes, origin, stage and reason. */
public final class DeadLetters {
  /** The side output every stage of the job sends refused records to. */
  public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

  private DeadLetters() {}

  /** A dead letter for {@code record}, refused by {@code stage} because of {@code error}. */
  public static DeadLetter of(RawRecord record, String stage, Throwable error) {
    String type =
        error instanceof WireFormatException w ? w.kind().name() : error.getClass().getSimpleName();
    return of(record, stage, String.valueOf(error.getMessage()), type);
  }

  /** A dead letter with an explicit reason and type. */
  public static DeadLetter of(RawRecord record, String stage, String reason, String type) {
    return DeadLetter.newBuilder()
        .setSourceTopic(record.topic())
        .setPartition(record.partition())
        .setOffset(record.offset())
        .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
        .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .setStage(stage)
        .setError(reason)
        .setErrorType(type)
        .setTimeUs(System.currentTimeMillis() * 1000)
        .build();
  }
}
