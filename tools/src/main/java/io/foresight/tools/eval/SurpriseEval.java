package io.foresight.tools.eval;

import io.foresight.planner.PlannerOptions;
import io.foresight.schemas.ModelCard;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldSpec;
import io.foresight.tools.eval.internal.DetectorSweep;
import io.foresight.tools.eval.internal.RuntimeModel;
import io.foresight.tools.eval.internal.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates surprise in the runtime: episodes of the simulated world with injected violations of
 * physics (Two-Rooms: teleport, vanish, through-wall; Push-T: block teleport, block spin, block
 * through agent) and their clean twins (same seed, same actions, no violation), scored by {@code
 * ||P(z_t-1, a_t-1) - z_t||}, the distance between the latent the predictor expected for a frame
 * and the frame's encoded latent.
 *
 * <pre>{@code
 * SurpriseReport r = SurpriseEval.builder().episodes(200).seed(2001).build().run();
 * double auroc = r.auroc();
 * }</pre>
 */
public final class SurpriseEval {
  // The streaming detector's operating points: the world-model operator's defaults (threshold 4,
  // warm-up 20, alpha 0.01) and around them; an alarm within 2 frames of a violation is a hit, as
  // in the demo's report.
  private static final double[] DETECTOR_THRESHOLDS = {3, 3.5, 4, 4.5, 5, 6};
  private static final long[] DETECTOR_WARMUPS = {20, 50};
  private static final double DETECTOR_ALPHA = PlannerOptions.SURPRISE_ALPHA.defaultValue();
  private static final int DETECTOR_WINDOW = 2;

  private final Path modelDir;
  private final int episodes;
  private final int steps;
  private final long seed;
  private final double violationRate;
  private final int clip;
  private final String policy;
  private final String device;
  private final int threads;
  private final String world;

  private SurpriseEval(Builder b) {
    this.modelDir = b.modelDir;
    this.episodes = b.episodes();
    this.steps = b.steps();
    this.seed = b.seed();
    this.violationRate = b.violationRate;
    this.clip = b.clip;
    this.policy = b.policy();
    this.device = b.device;
    this.threads = b.threads;
    this.world = b.world;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Generates the episode pairs, scores every frame and measures. */
  public SurpriseReport run() {
    long start = System.nanoTime();
    try (RuntimeModel model = RuntimeModel.open(modelDir, device, threads)) {
      ModelCard card = model.card();
      WorldSpec clean = EvalBuilder.worldFor(card, world);
      WorldSpec violated = EvalBuilder.withViolations(clean, violationRate);
      EvalEpisodes vEps = EvalEpisodes.generate(violated, seed, episodes, steps, policy);
      EvalEpisodes cEps = EvalEpisodes.replay(clean, vEps);
      double[][] sv = scores(model, vEps);
      double[][] sc = scores(model, cEps);

      List<Double> all = new ArrayList<>();
      List<Boolean> pos = new ArrayList<>();
      Map<Integer, List<Double>> byKind = new LinkedHashMap<>();
      List<Double> normal = new ArrayList<>();
      int pairs = 0;
      double correct = 0;
      int half = clip / 2;
      for (int e = 0; e < episodes; e++) {
        byte[] lab = vEps.labels(e);
        for (int t = 1; t < steps; t++) {
          double s = sv[e][t];
          all.add(s);
          pos.add(lab[t] != 0);
          if (lab[t] == 0) {
            normal.add(s);
          } else {
            byKind.computeIfAbsent((int) lab[t], k -> new ArrayList<>()).add(s);
            int lo = Math.max(1, t - half);
            int hi = Math.min(steps - 1, t + half);
            double peakV = Double.NEGATIVE_INFINITY;
            double peakC = Double.NEGATIVE_INFINITY;
            for (int u = lo; u <= hi; u++) {
              peakV = Math.max(peakV, sv[e][u]);
              peakC = Math.max(peakC, sc[e][u]);
            }
            pairs++;
            correct += peakV > peakC ? 1 : peakV == peakC ? 0.5 : 0;
          }
        }
      }
      double auroc = Stats.auroc(toArray(all), toBool(pos));

      List<Double> violations = new ArrayList<>();
      byKind.values().forEach(violations::addAll);
      List<Double> cleanScores = new ArrayList<>();
      for (int e = 0; e < episodes; e++) {
        for (int t = 1; t < steps; t++) {
          cleanScores.add(sc[e][t]);
        }
      }
      double aurocVsClean = aurocOf(violations, cleanScores);
      Map<String, Double> aurocByKind = new LinkedHashMap<>();
      Map<String, Integer> counts = new LinkedHashMap<>();
      // The kinds of the world evaluated; the report keeps their keys even when none occurred.
      for (Violation.Kind k :
          clean instanceof PushTConfig ? Violation.Kind.pushT() : Violation.Kind.twoRooms()) {
        List<Double> ks = byKind.getOrDefault(k.code(), List.of());
        String name = k.name().toLowerCase(Locale.ROOT);
        counts.put(name, ks.size());
        if (!ks.isEmpty()) {
          aurocByKind.put(name, aurocOf(ks, normal));
        }
      }
      byte[][] labels = new byte[episodes][];
      for (int e = 0; e < episodes; e++) {
        labels[e] = vEps.labels(e);
      }
      List<Map<String, Object>> detector = new ArrayList<>();
      DetectorSweep.sweep(
              sv,
              labels,
              sc,
              DETECTOR_THRESHOLDS,
              DETECTOR_WARMUPS,
              DETECTOR_ALPHA,
              DETECTOR_WINDOW)
          .forEach(p -> detector.add(p.toMap()));
      return new SurpriseReport(
          card.name() + " " + card.version() + " " + card.fileInfo("encoder").sha256(),
          clean.worldName(),
          seed,
          episodes,
          steps,
          violationRate,
          auroc,
          aurocVsClean,
          aurocByKind,
          pairs == 0 ? Double.NaN : correct / pairs,
          pairs,
          clip,
          counts,
          normal.size(),
          mean(normal),
          mean(violations),
          detector,
          "encoder " + model.encoderProvider() + ", predictor " + model.predictorProvider(),
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** Surprise of frame t (t >= 1) of every episode; index 0 is unused (NaN). */
  static double[][] scores(RuntimeModel model, EvalEpisodes eps) {
    int d = model.latentDim();
    int steps = eps.steps();
    float[][] z = PredictionEval.encodeAll(model, eps);
    int per = steps - 1;
    int n = eps.episodes() * per;
    float[] cur = new float[n * d];
    float[] act = new float[n * 2];
    for (int e = 0; e < eps.episodes(); e++) {
      System.arraycopy(z[e], 0, cur, e * per * d, per * d);
      System.arraycopy(eps.actions(e), 0, act, e * per * 2, per * 2);
    }
    model.predict(cur, act, n, cur);
    double[][] out = new double[eps.episodes()][steps];
    for (int e = 0; e < eps.episodes(); e++) {
      out[e][0] = Double.NaN;
      for (int t = 1; t < steps; t++) {
        int row = (e * per + t - 1) * d;
        double s = 0;
        for (int j = 0; j < d; j++) {
          double v = cur[row + j] - z[e][t * d + j];
          s += v * v;
        }
        out[e][t] = Math.sqrt(s);
      }
    }
    return out;
  }

  private static double aurocOf(List<Double> positives, List<Double> negatives) {
    double[] s = new double[positives.size() + negatives.size()];
    boolean[] p = new boolean[s.length];
    int i = 0;
    for (double v : positives) {
      s[i] = v;
      p[i++] = true;
    }
    for (double v : negatives) {
      s[i++] = v;
    }
    return Stats.auroc(s, p);
  }

  private static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static double[] toArray(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static boolean[] toBool(List<Boolean> v) {
    boolean[] out = new boolean[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }

  /** Builds a {@link SurpriseEval}; every setting has a default. */
  public static final class Builder extends EvalBuilder<Builder> {
    private double violationRate = 0.03;
    private int clip = 5;

    private Builder() {
      super(2001);
    }

    /** Probability per step of injecting a violation (default 0.03). */
    public Builder violationRate(double violationRate) {
      this.violationRate = violationRate;
      return this;
    }

    /** Frames per clip of the pairwise test, centred on the violation (default 5). */
    public Builder clip(int clip) {
      this.clip = clip;
      return this;
    }

    /** Validates and builds. */
    public SurpriseEval build() {
      if (episodes < 2) {
        throw new IllegalArgumentException("episodes must be >= 2, got " + episodes);
      }
      if (steps < 3) {
        throw new IllegalArgumentException("steps must be >= 3, got " + steps);
      }
      if (!(violationRate > 0 && violationRate <= 1)) {
        throw new IllegalArgumentException(
            "violation rate is a probability per step in (0, 1], got " + violationRate);
      }
      if (clip < 1) {
        throw new IllegalArgumentException("clip must be >= 1 frame, got " + clip);
      }
      checkShared();
      return new SurpriseEval(this);
    }
  }
}
