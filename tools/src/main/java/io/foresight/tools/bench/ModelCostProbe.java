package io.foresight.tools.bench;

import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.FrameDecoder;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.planner.PlannerOptions;
import io.foresight.planner.Planners;
import io.foresight.planner.WorldModel;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.FrameEncoding;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Measures the model's own cost on one core, as the limit the closed loop is compared with: the
 * encoder per frame (ONNX Runtime, batch 32, one thread) and the predictor per plan at the job's
 * planner settings (one batched rollout over {@code horizon} steps per iteration, of the
 * iteration's action sequences ({@link Planners#populations}), through {@link WorldModel#rollout}).
 * Beside the limit it measures the predictor's work the job does for every frame besides plans (the
 * latent's prediction and the surprise step: {@link #predictionsUsPerFrame}), which splits the rest
 * of the job into model work and the rest. Planner bookkeeping (sampling, costs, elites) is not in
 * it: it is the part of the job's work that the model itself needs.
 *
 * <p>Both are timed in the measuring thread's CPU time (ONNX Runtime at one intra-op thread runs on
 * the calling thread; wall time on a GPU) after a second of warm-up: the probe runs while the stack
 * starts, and wall time there measured the other threads too (the same build gave 455 and 725 us
 * per plan).
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
    int[] populations = Planners.populations(po);
    int samples = populations[0];
    int horizon = po.get(PlannerOptions.HORIZON);
    int iterations = populations.length;
    String device = po.get(PlannerOptions.DEVICE);
    double planUs = predictorUsPerPlan(modelDir, device, populations, horizon);
    int predictHorizon = po.get(PlannerOptions.PREDICT_HORIZON);
    double predictionsUs = predictionsUsPerFrame(modelDir, device, predictHorizon);
    return new StreamsReport.ModelCost(
        encoder.modelDir().orElse(modelDir).toString(),
        ENCODER_BATCH,
        round(encoderUs),
        po.get(PlannerOptions.ALGORITHM),
        samples,
        horizon,
        iterations,
        (long) Arrays.stream(populations).sum() * horizon,
        round(planUs),
        predictHorizon,
        round(predictionsUs),
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
      return timeUs(
              () -> encoder.encodeInto(buf, ENCODER_BATCH, out, 0),
              encoder.provider().isCuda(),
              1.0,
              1.5)
          / ENCODER_BATCH;
    }
  }

  static double predictorUsPerPlan(Path modelDir, String device, int[] populations, int horizon) {
    int samples = Arrays.stream(populations).max().orElse(1);
    try (WorldModel model = oneThreadModel(modelDir, device, samples, horizon)) {
      Random rng = new Random(2);
      float[] start = gaussian(rng, model.latentDim());
      float[] actions = new float[horizon * samples * model.actionDim()];
      for (int i = 0; i < actions.length; i++) {
        actions[i] = rng.nextFloat() * 2 - 1;
      }
      float[] out = new float[horizon * samples * model.latentDim()];
      return timeUs(
          () -> {
            for (int n : populations) {
              model.rollout(start, n, horizon, actions, out);
            }
          },
          model.provider().isCuda(),
          1.0,
          1.5);
    }
  }

  /**
   * The predictor's work the world-model operator does for every frame besides plans, as it does
   * it: the latent's prediction over {@code predictHorizon} steps ({@link WorldModel#predict}, one
   * sequence) and, when the stream's action arrives, the one step from the latent under that action
   * ({@link WorldModel#step}) that the next latent's surprise is scored against.
   */
  static double predictionsUsPerFrame(Path modelDir, String device, int predictHorizon) {
    try (WorldModel model = oneThreadModel(modelDir, device, 1, predictHorizon)) {
      Random rng = new Random(3);
      float[] start = gaussian(rng, model.latentDim());
      float[][] actions = new float[predictHorizon][model.actionDim()];
      for (float[] a : actions) {
        for (int i = 0; i < a.length; i++) {
          a[i] = rng.nextFloat() * 2 - 1;
        }
      }
      float[] next = new float[model.latentDim()];
      return timeUs(
          () -> {
            model.predict(start, actions);
            model.step(start, actions[0], 1, next);
          },
          model.provider().isCuda(),
          1.0,
          1.0);
    }
  }

  /** The predictor on one intra-op thread, for batches up to {@code maxBatch}. */
  private static WorldModel oneThreadModel(
      Path modelDir, String device, int maxBatch, int horizon) {
    return WorldModel.builder(ModelCard.load(modelDir))
        .device(device)
        .threads(1)
        .maxBatch(maxBatch)
        .maxHorizon(Math.max(32, horizon))
        .build();
  }

  /** A latent of {@code n} standard normal values. */
  private static float[] gaussian(Random rng, int n) {
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = (float) rng.nextGaussian();
    }
    return z;
  }

  /**
   * Mean microseconds per run of {@code work}, after {@code warmupS} seconds of runs, over at least
   * {@code seconds} (and 10 runs): of this thread's CPU, or of wall time on a GPU (whose work is
   * not this thread's CPU).
   */
  private static double timeUs(Runnable work, boolean wall, double warmupS, double seconds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    java.util.function.LongSupplier clock =
        wall ? System::nanoTime : threads::getCurrentThreadCpuTime;
    long warmEnd = System.nanoTime() + (long) (warmupS * 1e9);
    do {
      work.run();
    } while (System.nanoTime() < warmEnd);
    long n = 0;
    long c0 = clock.getAsLong();
    long need = (long) (seconds * 1e9);
    long used;
    do {
      work.run();
      n++;
      used = clock.getAsLong() - c0;
    } while (used < need || n < 10);
    return used / 1000.0 / n;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
