package io.foresight.pipeline.internal;

import io.foresight.planner.RejectedInput;
import io.foresight.planner.WorldModelInput;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Dead letters for inputs the world-model operator refused (e.g. a latent of another model). */
public final class RejectedInputs {
  private RejectedInputs() {}

  public static DeadLetter toDeadLetter(RejectedInput r) {
    WorldModelInput in = r.input;
    String topic;
    byte[] value;
    switch (in.kind) {
      case LATENT -> {
        topic = Topics.LATENTS;
        value =
            AvroCodec.of(LatentState.class)
                .encode(
                    LatentState.newBuilder()
                        .setStreamId(in.streamId)
                        .setSequence(in.sequence)
                        .setTimeUs(in.timeUs)
                        .setModel(new ModelRef(in.modelName, in.modelVersion, in.modelSha256))
                        .setLatent(Tensors.tensor(in.values, in.values.length))
                        .setReadings(List.of())
                        .build());
      }
      case ACTION -> {
        topic = Topics.ACTIONS;
        List<Float> v = new ArrayList<>();
        for (float f : in.values) {
          v.add(f);
        }
        value =
            AvroCodec.of(ActionCommand.class)
                .encode(
                    ActionCommand.newBuilder()
                        .setStreamId(in.streamId)
                        .setTimeUs(in.timeUs)
                        .setValues(v)
                        .setSource(ActionSource.PLANNER)
                        .setFrameSequence(in.sequence < 0 ? null : in.sequence)
                        .build());
      }
      default -> {
        topic = Topics.GOALS;
        value = null;
      }
    }
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setPartition(-1)
        .setOffset(-1)
        .setKey(ByteBuffer.wrap(in.streamId.getBytes(StandardCharsets.UTF_8)))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setStage("world-model")
        .setError(r.reason)
        .setErrorType("REJECTED")
        .setTimeUs(System.currentTimeMillis() * 1000)
        .build();
  }
}
