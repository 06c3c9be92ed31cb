package io.foresight.tools.eval;

import io.foresight.schemas.ModelCard;
import io.foresight.sim.world.WorldSpec;
import io.foresight.tools.eval.internal.RuntimeModel;
import io.foresight.tools.eval.internal.Stats;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Evaluates a world model's predictions in the runtime (ONNX Runtime through the encoders and
 * planner modules) on episodes of the simulated world: error of multi-step latent rollouts against
 * the copy-last baseline, a linear probe of the agent's position (and in Push-T of the block's
 * pose), and the latents' spread.
 *
 * <pre>{@code
 * PredictionReport r = PredictionEval.builder().episodes(200).seed(1001).build().run();
 * double h1 = r.errorRatio().get(1);
 * }</pre>
 */
public final class PredictionEval {
  private final Path modelDir;
  private final int episodes;
  private final int steps;
  private final long seed;
  private final int[] horizons;
  private final String policy;
  private final String device;
  private final int threads;
  private final String world;

  private PredictionEval(Builder b) {
    this.modelDir = b.modelDir;
    this.episodes = b.episodes();
    this.steps = b.steps();
    this.seed = b.seed();
    this.horizons = b.horizons.clone();
    this.policy = b.policy();
    this.device = b.device;
    this.threads = b.threads;
    this.world = b.world;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Generates the episodes, encodes them, rolls the predictor out and measures. */
  public PredictionReport run() {
    long start = System.nanoTime();
    try (RuntimeModel model = RuntimeModel.open(modelDir, device, threads)) {
      ModelCard card = model.card();
      WorldSpec spec = EvalBuilder.worldFor(card, world);
      EvalEpisodes eps = EvalEpisodes.generate(spec, seed, episodes, steps, policy);
      int d = model.latentDim();
      float[][] z = encodeAll(model, eps);

      Map<Integer, Double> ratio = new LinkedHashMap<>();
      Map<Integer, Double> l2 = new LinkedHashMap<>();
      for (int h : horizons) {
        if (h >= steps) {
          continue;
        }
        int per = steps - h;
        int n = episodes * per;
        float[] cur = new float[n * d];
        float[] act = new float[n * 2];
        for (int e = 0; e < episodes; e++) {
          System.arraycopy(z[e], 0, cur, e * per * d, per * d);
        }
        for (int k = 0; k < h; k++) {
          for (int e = 0; e < episodes; e++) {
            System.arraycopy(eps.actions(e), 2 * k, act, e * per * 2, per * 2);
          }
          model.predict(cur, act, n, cur);
        }
        double err = 0;
        double copy = 0;
        double errL2 = 0;
        double copyL2 = 0;
        for (int e = 0; e < episodes; e++) {
          for (int t = 0; t < per; t++) {
            double se = 0;
            double sc = 0;
            int row = (e * per + t) * d;
            for (int j = 0; j < d; j++) {
              float target = z[e][(t + h) * d + j];
              double de = cur[row + j] - target;
              double dc = z[e][t * d + j] - target;
              se += de * de;
              sc += dc * dc;
            }
            err += se;
            copy += sc;
            errL2 += Math.sqrt(se);
            copyL2 += Math.sqrt(sc);
          }
        }
        ratio.put(h, err / copy);
        l2.put(h, errL2 / copyL2);
      }

      int half = episodes / 2;
      double[][] xTrain = new double[half * steps][];
      double[][] yTrain = new double[half * steps][];
      double[][] xTest = new double[(episodes - half) * steps][];
      double[][] yTest = new double[(episodes - half) * steps][];
      for (int e = 0; e < episodes; e++) {
        for (int t = 0; t < steps; t++) {
          double[] x = new double[d];
          for (int j = 0; j < d; j++) {
            x[j] = z[e][t * d + j];
          }
          double[] y = {eps.positions(e)[2 * t], eps.positions(e)[2 * t + 1]};
          if (e < half) {
            xTrain[e * steps + t] = x;
            yTrain[e * steps + t] = y;
          } else {
            xTest[(e - half) * steps + t] = x;
            yTest[(e - half) * steps + t] = y;
          }
        }
      }
      Stats.Probe probe = Stats.ridgeProbe(xTrain, yTrain, xTest, yTest, 1e-3);

      double[] std = latentStd(z, d);
      double min = Double.MAX_VALUE;
      double mean = 0;
      for (double s : std) {
        min = Math.min(min, s);
        mean += s / d;
      }
      Map<String, Double> block = eps.hasBlocks() ? blockProbe(z, eps, d) : Map.of();
      return new PredictionReport(
          card.name() + " " + card.version() + " " + card.fileInfo("encoder").sha256(),
          spec.worldName(),
          seed,
          episodes,
          steps,
          ratio,
          l2,
          probe.meanR2(),
          probe.r2(),
          probe.rmse(),
          distanceCorrelation(z, eps, d),
          std,
          min,
          mean,
          block,
          "encoder " + model.encoderProvider() + ", predictor " + model.predictorProvider(),
          (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * A ridge probe latent -> the block's pose (x, y, cos angle, sin angle), fitted on the first half
   * of the episodes and scored on the second: an angle wraps, so its direction is probed and the
   * angle's R^2 is the mean of the cos and sin R^2; {@code block_probe_r2} is the mean of x, y and
   * angle; the angle's RMSE is the RMS of the angle between the probed and the true direction, in
   * degrees.
   */
  static Map<String, Double> blockProbe(float[][] z, EvalEpisodes eps, int d) {
    int episodes = eps.episodes();
    int steps = eps.steps();
    int half = episodes / 2;
    double[][] xTrain = new double[half * steps][];
    double[][] yTrain = new double[half * steps][];
    double[][] xTest = new double[(episodes - half) * steps][];
    double[][] yTest = new double[(episodes - half) * steps][];
    for (int e = 0; e < episodes; e++) {
      float[] b = eps.blocks(e);
      for (int t = 0; t < steps; t++) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
          x[j] = z[e][t * d + j];
        }
        double a = b[3 * t + 2];
        double[] y = {b[3 * t], b[3 * t + 1], Math.cos(a), Math.sin(a)};
        if (e < half) {
          xTrain[e * steps + t] = x;
          yTrain[e * steps + t] = y;
        } else {
          xTest[(e - half) * steps + t] = x;
          yTest[(e - half) * steps + t] = y;
        }
      }
    }
    Stats.Probe p = Stats.ridgeProbe(xTrain, yTrain, xTest, yTest, 1e-3);
    double[][] pred = Stats.ridgePredict(xTrain, yTrain, xTest, 1e-3);
    double sq = 0;
    for (int r = 0; r < xTest.length; r++) {
      double da = Math.atan2(pred[r][3], pred[r][2]) - Math.atan2(yTest[r][3], yTest[r][2]);
      da = Math.IEEEremainder(da, 2 * Math.PI);
      sq += da * da;
    }
    double angleR2 = (p.r2()[2] + p.r2()[3]) / 2;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("block_probe_r2", (p.r2()[0] + p.r2()[1] + angleR2) / 3);
    m.put("block_probe_r2_x", p.r2()[0]);
    m.put("block_probe_r2_y", p.r2()[1]);
    m.put("block_probe_r2_angle", angleR2);
    m.put("block_probe_r2_cos", p.r2()[2]);
    m.put("block_probe_r2_sin", p.r2()[3]);
    m.put("block_probe_rmse_px_x", p.rmse()[0]);
    m.put("block_probe_rmse_px_y", p.rmse()[1]);
    m.put("block_probe_rmse_deg", Math.toDegrees(Math.sqrt(sq / Math.max(1, xTest.length))));
    return m;
  }

  static float[][] encodeAll(RuntimeModel model, EvalEpisodes eps) {
    int d = model.latentDim();
    WorldSpec c = eps.config();
    float[][] z = new float[eps.episodes()][eps.steps() * d];
    for (int e = 0; e < eps.episodes(); e++) {
      model.encode(eps.frames(e), 0, eps.steps(), c.width(), c.height(), z[e], 0);
    }
    return z;
  }

  private static double[] latentStd(float[][] z, int d) {
    double[] sum = new double[d];
    double[] sq = new double[d];
    long n = 0;
    for (float[] ep : z) {
      for (int i = 0; i < ep.length; i += d) {
        for (int j = 0; j < d; j++) {
          sum[j] += ep[i + j];
          sq[j] += (double) ep[i + j] * ep[i + j];
        }
        n++;
      }
    }
    double[] std = new double[d];
    for (int j = 0; j < d; j++) {
      double m = sum[j] / n;
      std[j] = Math.sqrt(Math.max(0, sq[j] / n - m * m) * n / Math.max(1, n - 1));
    }
    return std;
  }

  private static double distanceCorrelation(float[][] z, EvalEpisodes eps, int d) {
    Random rng = new Random(0);
    int pairs = 20000;
    double[] dz = new double[pairs];
    double[] dp = new double[pairs];
    for (int k = 0; k < pairs; k++) {
      int e = rng.nextInt(eps.episodes());
      int i = rng.nextInt(eps.steps());
      int j = rng.nextInt(eps.steps());
      double s = 0;
      for (int m = 0; m < d; m++) {
        double v = z[e][i * d + m] - z[e][j * d + m];
        s += v * v;
      }
      dz[k] = Math.sqrt(s);
      float[] p = eps.positions(e);
      dp[k] = Math.hypot(p[2 * i] - p[2 * j], p[2 * i + 1] - p[2 * j + 1]);
    }
    return Stats.pearson(dz, dp);
  }

  /** Builds a {@link PredictionEval}; every setting has a default. */
  public static final class Builder extends EvalBuilder<Builder> {
    private int[] horizons = {1, 5, 10};

    private Builder() {
      super(1001);
    }

    /** Rollout horizons (default 1, 5, 10). */
    public Builder horizons(int... horizons) {
      this.horizons = horizons.clone();
      return this;
    }

    /** Validates and builds. */
    public PredictionEval build() {
      if (episodes < 2) {
        throw new IllegalArgumentException(
            "episodes must be >= 2 (the probe fits on one half, scores on the other), got "
                + episodes);
      }
      if (steps < 2) {
        throw new IllegalArgumentException("steps must be >= 2, got " + steps);
      }
      if (horizons.length == 0) {
        throw new IllegalArgumentException("give at least one horizon");
      }
      for (int h : horizons) {
        if (h < 1) {
          throw new IllegalArgumentException("horizons must be >= 1, got " + h);
        }
      }
      checkShared();
      return new PredictionEval(this);
    }
  }
}
