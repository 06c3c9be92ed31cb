package io.foresight.planner;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Scores surprise per stream: the distance between the latent predicted for a frame (given the
 * action that was executed) and the latent the encoder produced, normalised by that stream's
 * running statistics so that one threshold means the same on every stream ("this frame is 4
 * standard deviations more surprising than this camera usually is").
 *
 * <p>The statistics are those of the logarithm of the distance: prediction errors are positive and
 * heavy-tailed (most frames are predicted well, some less), and on a log scale their spread is
 * close to normal, so a threshold in standard deviations means about the same false-alarm rate on
 * every stream. The score is compared with the statistics of the stream's earlier frames, then
 * added to them winsorised: a value beyond {@code clamp} standard deviations enters as if it were
 * at {@code clamp}, so a violation does not inflate the spread that the next violation is measured
 * against, while a lasting change of level (a new room, new lighting) is still learnt, a little at
 * a time. No frame is surprising during the warm-up (the first {@code warmUp} scores of a stream).
 *
 * <p>{@code foresight eval surprise} replays this detector over evaluation episodes and reports its
 * precision, recall and false alarms per 1,000 frames at several thresholds (docs/model.md).
 *
 * <pre>{@code
 * SurpriseScorer scorer = SurpriseScorer.builder().threshold(4.0).build();
 * SurpriseScore s = scorer.score(stats, predicted, encoded);   // stats: kept per stream
 * if (s.surprising()) { emit(s.toEvent(streamId, sequence, timeUs, model)); }
 * stats = s.statistics();
 * }</pre>
 */
public final class SurpriseScorer {
  /** Distances below this count as this (the log of zero is not a number). */
  private static final double MIN_DISTANCE = 1e-12;

  private final Cost.Norm norm;
  private final double threshold;
  private final long warmUp;
  private final double alpha;
  private final double clamp;
  private final Map<String, SurpriseStatistics> streams = new HashMap<>();

  private SurpriseScorer(Builder b) {
    this.norm = b.norm;
    this.threshold = b.threshold;
    this.warmUp = b.warmUp;
    this.alpha = b.alpha;
    this.clamp = b.clamp;
  }

  /** A builder with the defaults: L2, threshold 4, warm-up 20, alpha 0.01, clamp 2.5. */
  public static Builder builder() {
    return new Builder();
  }

  /** The surprise scorer {@code options} describe ({@code planner.surprise.*}). */
  public static SurpriseScorer create(PlannerOptions options) {
    return builder()
        .threshold(options.get(PlannerOptions.SURPRISE_THRESHOLD))
        .warmUp(options.get(PlannerOptions.SURPRISE_WARMUP))
        .alpha(options.get(PlannerOptions.SURPRISE_ALPHA))
        .clamp(options.get(PlannerOptions.SURPRISE_CLAMP))
        .build();
  }

  /** The threshold in standard deviations of the log-distance. */
  public double threshold() {
    return threshold;
  }

  /**
   * Scores one frame against statistics the caller keeps (Flink keyed state, for example).
   *
   * @param statistics the stream's statistics so far ({@link SurpriseStatistics#EMPTY} at first)
   * @param predicted the latent predicted for this frame
   * @param encoded the latent the encoder produced for this frame
   */
  public SurpriseScore score(SurpriseStatistics statistics, float[] predicted, float[] encoded) {
    if (predicted.length != encoded.length) {
      throw new PlannerException(
          "predicted latent has "
              + predicted.length
              + " floats but the encoded one has "
              + encoded.length
              + "; they must come from the same model");
    }
    double raw = Cost.distance(norm, predicted, 0, encoded, 0, predicted.length);
    return scoreRaw(statistics, raw);
  }

  /** Scores a raw distance computed elsewhere. */
  public SurpriseScore scoreRaw(SurpriseStatistics statistics, double raw) {
    SurpriseStatistics before = statistics == null ? SurpriseStatistics.EMPTY : statistics;
    double x = Math.log(Math.max(raw, MIN_DISTANCE));
    double normalized = Double.NaN;
    double learnt = x;
    if (before.count() >= warmUp && before.count() >= 2) {
      double std = Math.max(before.std(), 1e-12);
      normalized = (x - before.mean()) / std;
      if (normalized > clamp) {
        learnt = before.mean() + clamp * std;
      } else if (normalized < -clamp) {
        learnt = before.mean() - clamp * std;
      }
    }
    boolean surprising = !Double.isNaN(normalized) && normalized > threshold;
    return new SurpriseScore(raw, normalized, threshold, surprising, before.add(learnt, alpha));
  }

  /**
   * Scores one frame of a stream whose statistics this scorer keeps itself (single-process use).
   *
   * @return the score when it is surprising
   */
  public Optional<SurpriseScore> observe(String streamId, float[] predicted, float[] encoded) {
    SurpriseScore s = score(streams.get(streamId), predicted, encoded);
    streams.put(streamId, s.statistics());
    return s.surprising() ? Optional.of(s) : Optional.empty();
  }

  /** The statistics this scorer keeps for a stream ({@link SurpriseStatistics#EMPTY} if none). */
  public SurpriseStatistics statistics(String streamId) {
    return streams.getOrDefault(streamId, SurpriseStatistics.EMPTY);
  }

  /** Forgets a stream. */
  public void forget(String streamId) {
    streams.remove(streamId);
  }

  /** Builds a {@link SurpriseScorer}. */
  public static final class Builder {
    private Cost.Norm norm = Cost.Norm.L2;
    private double threshold = 4.0;
    private long warmUp = 20;
    private double alpha = 0.01;
    private double clamp = 2.5;

    private Builder() {}

    /** The distance between predicted and encoded latent (default L2). */
    public Builder norm(Cost.Norm norm) {
      this.norm = java.util.Objects.requireNonNull(norm, "norm");
      return this;
    }

    /** Surprising above this many running standard deviations (default 4). */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /** Scores per stream before any can be surprising (default 20). */
    public Builder warmUp(long warmUp) {
      this.warmUp = warmUp;
      return this;
    }

    /** Weight of a new score in the running statistics after warm-up (default 0.01). */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /**
     * Scores beyond this many standard deviations enter the running statistics as if they were at
     * it (default 2.5): violations do not inflate the spread, lasting changes are still learnt.
     */
    public Builder clamp(double clamp) {
      this.clamp = clamp;
      return this;
    }

    /** Validates and builds. */
    public SurpriseScorer build() {
      if (!Double.isFinite(threshold)) {
        throw new PlannerException("surprise threshold must be finite, got " + threshold);
      }
      if (warmUp < 2) {
        throw new PlannerException(
            "surprise warm-up must be >= 2 scores (a standard deviation needs two), got " + warmUp);
      }
      if (!(clamp > 0) || Double.isInfinite(clamp)) {
        throw new PlannerException(
            "surprise clamp must be a positive number of standard deviations, got " + clamp);
      }
      if (!(alpha > 0 && alpha < 1)) {
        throw new PlannerException("surprise alpha must be in (0, 1), got " + alpha);
      }
      return new SurpriseScorer(this);
    }
  }
}
