package io.foresight.tools.bench;

import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.FrameDecoder;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.planner.PlannerOptions;
import io.foresight.planner.WorldModel;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.FrameEncoding;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;

/**
 * Measures the model's own cost on one core, as the limit the closed loop is compared with: the
 * encoder per frame (ONNX Runtime, batch 32, one thread) and the predictor per plan at the job's
 * planner settings ({@code iterations} batched rollouts of {@code samples} action sequences over
 * {@code horizon} steps through {@link WorldModel#rollout}). Planner bookkeeping (sampling, costs,
 * elites) is not in it: it is the part of the job's work that the model itself needs.
 */
public final class ModelCostProbe {
  static final int ENCODER_BATCH = 32;

  private ModelCostProbe() {}

  /**
   * Measures both, with the job's encoder (model, device; one thread, batch 32) and planner
   * settings.
   */
  public static StreamsReport.ModelCost measure(EncoderOptions encoder, PlannerOptions po) {
    Path modelDir = po.modelDir();
    double encoderUs = encoderUsPerFrame(encoder);
    int samples = po.get(PlannerOptions.SAMPLES);
    int horizon = po.get(PlannerOptions.HORIZON);
    int iterations = po.get(PlannerOptions.ITERATIONS);
    double planUs =
        predictorUsPerPlan(modelDir, po.get(PlannerOptions.DEVICE), samples, horizon, iterations);
    return new StreamsReport.ModelCost(
        encoder.modelDir().orElse(modelDir).toString(),
        ENCODER_BATCH,
        round(encoderUs),
        po.get(PlannerOptions.ALGORITHM),
        samples,
        horizon,
        iterations,
        (long) samples * horizon * iterations,
        round(planUs),
        round(encoderUs + planUs));
  }

  static double encoderUsPerFrame(EncoderOptions job) {
    EncoderOptions options =
        job.toBuilder()
            .set(EncoderOptions.THREADS, 1)
            .set(EncoderOptions.THREADS_SPIN, false)
            .set(EncoderOptions.BATCH_SIZE, ENCODER_BATCH)
            .build();
    try (OnnxFrameEncoder encoder = OnnxFrameEncoder.builder().options(options).build()) {
      ModelCard.Input in = encoder.card().input();
      FrameDecoder decoder = encoder.newDecoder();
      FrameBatch batch = encoder.newBatch();
      Random rng = new Random(1);
      byte[] rgb = new byte[in.width() * in.height() * 3];
      for (int i = 0; i < ENCODER_BATCH; i++) {
        rng.nextBytes(rgb);
        batch.add(decoder, FrameEncoding.RGB8, in.width(), in.height(), rgb);
      }
      float[] out = new float[ENCODER_BATCH * encoder.latentSize()];
      FloatBuffer buf = batch.buffer();
      return timeUs(() -> encoder.encodeInto(buf, ENCODER_BATCH, out, 0), 20, 1.5) / ENCODER_BATCH;
    }
  }

  static double predictorUsPerPlan(
      Path modelDir, String device, int samples, int horizon, int iterations) {
    try (WorldModel model =
        WorldModel.builder(ModelCard.load(modelDir))
            .device(device)
            .threads(1)
            .maxBatch(samples)
            .maxHorizon(Math.max(32, horizon))
            .build()) {
      Random rng = new Random(2);
      float[] start = new float[model.latentDim()];
      for (int i = 0; i < start.length; i++) {
        start[i] = (float) rng.nextGaussian();
      }
      float[] actions = new float[horizon * samples * model.actionDim()];
      for (int i = 0; i < actions.length; i++) {
        actions[i] = rng.nextFloat() * 2 - 1;
      }
      float[] out = new float[horizon * samples * model.latentDim()];
      return timeUs(
          () -> {
            for (int it = 0; it < iterations; it++) {
              model.rollout(start, samples, horizon, actions, out);
            }
          },
          5,
          1.5);
    }
  }

  /** Mean microseconds of {@code work} after {@code warmup} runs, over at least {@code seconds}. */
  private static double timeUs(Runnable work, int warmup, double seconds) {
    for (int i = 0; i < warmup; i++) {
      work.run();
    }
    long n = 0;
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    long t;
    do {
      work.run();
      n++;
      t = System.nanoTime();
    } while (t < end || n < 10);
    return (t - t0) / 1000.0 / n;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
