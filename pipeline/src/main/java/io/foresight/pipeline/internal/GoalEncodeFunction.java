package io.foresight.pipeline.internal;

import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.LatentBatch;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.pipeline.DeadLetters;
import io.foresight.pipeline.RawRecord;
import io.foresight.planner.WorldModelInput;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ContractException;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.Tensor;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns goals into goal latents for the world-model operator: latent goals pass through, goal
 * images are encoded with the same encoder as the frames (goals are rare, so one at a time). Goals
 * that do not decode, validate or encode go to the dead-letter topic.
 */
public final class GoalEncodeFunction extends ProcessFunction<RawRecord, WorldModelInput> {
  private static final long serialVersionUID = 1L;
  private final EncoderOptions options;
  private transient AvroCodec<Goal> codec;
  private transient OnnxFrameEncoder encoder;
  private transient FrameBatch batch;

  public GoalEncodeFunction(EncoderOptions options) {
    this.options = options;
  }

  @Override
  public void open(OpenContext ctx) {
    codec = AvroCodec.of(Goal.class);
    encoder = OnnxFrameEncoder.builder().options(options).batchSize(1).build();
    batch = encoder.newBatch();
  }

  @Override
  public void close() {
    if (encoder != null) {
      encoder.close();
      encoder = null;
    }
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<WorldModelInput> out) {
    try {
      Goal g = codec.decode(raw.value());
      Validators.goal(g, raw);
      if (!g.getActive()) {
        out.collect(WorldModelInput.cancelGoal(g.getStreamId(), g.getGoalId(), g.getTimeUs()));
        return;
      }
      float[] latent;
      if (g.getTarget() instanceof Tensor t) {
        latent = Tensors.values(t);
        if (latent.length != encoder.latentSize()) {
          throw new ContractException(
              "the goal latent has "
                  + latent.length
                  + " values but the model's latent has "
                  + encoder.latentSize());
        }
      } else {
        GoalImage img = (GoalImage) g.getTarget();
        ByteBuffer b = img.getData().duplicate();
        byte[] data = new byte[b.remaining()];
        b.get(data);
        batch.clear();
        batch.add(encoder.newDecoder(), img.getEncoding(), img.getWidth(), img.getHeight(), data);
        LatentBatch lb = encoder.encode(batch);
        latent = lb.latent(0);
      }
      out.collect(
          WorldModelInput.goal(
              g.getStreamId(),
              g.getGoalId(),
              g.getTimeUs(),
              latent,
              g.getTolerance(),
              encoder.modelRef()));
    } catch (RuntimeException e) {
      // ContractException (bad record), FrameDecodeException (bad image), EncoderException
      ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "goal", e));
    }
  }
}
