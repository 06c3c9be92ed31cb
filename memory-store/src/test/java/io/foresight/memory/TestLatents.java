package io.foresight.memory;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.AlignedReading;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builders of wire records for the memory's tests. */
public final class TestLatents {
  public static final String SHA_A =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  public static final String SHA_B =
      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  public static final ModelRef MODEL_A = new ModelRef("two-rooms", "1", SHA_A);
  public static final ModelRef MODEL_B = new ModelRef("other", "2", SHA_B);

  private TestLatents() {}

  public static byte[] key(String stream) {
    return stream.getBytes(StandardCharsets.UTF_8);
  }

  /** A deterministic latent of {@code dim} values for (stream, sequence). */
  public static float[] latent(String stream, long seq, int dim) {
    Random r = new Random(stream.hashCode() * 31L + seq);
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  public static LatentState state(String stream, long seq, long timeUs, ModelRef model, float[] v) {
    List<AlignedReading> readings = new ArrayList<>();
    readings.add(new AlignedReading("proprio", timeUs - 5, List.of((double) seq, 2.5)));
    return new LatentState(stream, seq, timeUs, model, Tensors.tensor(v, 1, v.length), readings);
  }

  public static byte[] encode(LatentState s) {
    return AvroCodec.of(LatentState.class).encode(s);
  }

  /** An encoded latent of model A with 64 values, time = 1000 * seq + 1_000_000. */
  public static byte[] latentBytes(String stream, long seq) {
    return encode(state(stream, seq, time(seq), MODEL_A, latent(stream, seq, 64)));
  }

  public static long time(long seq) {
    return 1_000_000L + 1000L * seq;
  }

  public static byte[] action(String stream, long timeUs, Long frameSequence, float... values) {
    List<Float> v = new ArrayList<>();
    for (float f : values) {
      v.add(f);
    }
    return AvroCodec.of(ActionCommand.class)
        .encode(
            new ActionCommand(stream, timeUs, v, ActionSource.PLANNER, "plan-1", frameSequence));
  }

  public static byte[] prediction(String stream, long seq, double surprise) {
    return AvroCodec.of(Prediction.class)
        .encode(
            new Prediction(
                stream,
                seq,
                time(seq),
                MODEL_A,
                List.of(1),
                Tensors.tensor(new float[64], 1, 64),
                surprise,
                surprise / 2));
  }

  public static byte[] surprise(String stream, long seq, double score) {
    return AvroCodec.of(SurpriseEvent.class)
        .encode(new SurpriseEvent(stream, seq, time(seq), MODEL_A, score, score * 3, 2.0));
  }
}
