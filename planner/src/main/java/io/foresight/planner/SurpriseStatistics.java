package io.foresight.planner;

/**
 * Running statistics of one stream's surprise scores (the {@link SurpriseScorer} keeps those of the
 * log-distance): how many were seen, their mean and variance. Exact (Welford) over the first {@code
 * 1 / alpha} scores, exponentially weighted after, so the statistics follow slow drift (lighting, a
 * new room) but not single spikes.
 *
 * @param count scores seen so far
 * @param mean running mean
 * @param variance running variance
 */
public record SurpriseStatistics(long count, double mean, double variance) {

  /** No scores yet. */
  public static final SurpriseStatistics EMPTY = new SurpriseStatistics(0, 0, 0);

  public SurpriseStatistics {
    if (count < 0 || !(variance >= 0) || !Double.isFinite(mean)) {
      throw new PlannerException(
          "surprise statistics need count >= 0, finite mean and variance >= 0, got "
              + count
              + ", "
              + mean
              + ", "
              + variance);
    }
  }

  /** The standard deviation. */
  public double std() {
    return Math.sqrt(variance);
  }

  /**
   * These statistics with one more score.
   *
   * @param x the raw score
   * @param alpha the weight of a new score once past the warm-up ({@code count >= 1 / alpha})
   */
  public SurpriseStatistics add(double x, double alpha) {
    long n = count + 1;
    double a = Math.max(alpha, 1.0 / n);
    double diff = x - mean;
    double incr = a * diff;
    double m = mean + incr;
    double v = (1 - a) * (variance + diff * incr);
    return new SurpriseStatistics(n, m, Math.max(0, v));
  }
}
