package io.foresight.planner.internal;

import io.foresight.planner.Cost;
import io.foresight.planner.Dynamics;
import io.foresight.planner.PlanRequest;
import io.foresight.planner.PlanResult;
import io.foresight.planner.PlannerException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The shared machinery of sampling planners (CEM, MPPI): a Gaussian over action sequences, batched
 * rollouts, costs, the best sequence so far, warm start and the deadline. A {@link Update} turns
 * the costs of one iteration into the next distribution.
 *
 * <p>All buffers are allocated once; a plan allocates only its result. Not thread-safe.
 */
public final class SamplingEngine {

  /** How one iteration's costs move the sampling distribution. */
  public interface Update {
    /**
     * Updates {@code mean} and {@code std} ({@code [decisions * actionDim]}) in place from the
     * evaluated {@code samples} ({@code [n][decisions * actionDim]}) and their {@code costs}.
     *
     * @return the expected cost of {@code mean}, or NaN when the update does not estimate it
     */
    double update(float[] samples, float[] costs, int n, float[] mean, float[] std);
  }

  /** The settings shared by the sampling planners, validated by their builders. */
  public record Settings(
      int horizon,
      int samples,
      int iterations,
      int actionRepeat,
      float[] low,
      float[] high,
      float[] initialStd,
      Cost cost,
      Duration budget,
      boolean warmStart,
      boolean returnMean,
      long seed,
      int[] populations) {

    /** The sequences iteration {@code it} evaluates ({@link #populations}). */
    public int population(int it) {
      return populations[it];
    }
  }

  /**
   * iCEM's population decay (Pinneri et al., "Sample-efficient cross-entropy method for real-time
   * planning", CoRL 2020): iteration {@code i} evaluates {@code max(floor, samples / decay^i)}
   * sequences, never more than {@code samples}; {@code decay} 1 evaluates {@code samples} every
   * iteration. Later iterations refine a distribution that earlier ones have already narrowed (and
   * a warm start has seeded), so they need fewer sequences. The callers check {@code decay >= 1}.
   */
  public static int[] populations(int samples, int iterations, double decay, int floor) {
    int[] p = new int[iterations];
    for (int i = 0; i < iterations; i++) {
      long n = Math.round(samples / Math.pow(decay, i));
      p[i] = (int) Math.min(samples, Math.max(Math.max(2, floor), n));
    }
    return p;
  }

  private final Dynamics dynamics;
  private final Settings s;
  private final Update update;
  private final int dim;
  private final int adim;
  private final int decisions;
  private final int width;
  private final float[] mean;
  private final float[] std;
  private final float[] samples;
  private final float[] timeActions;
  private final float[] traj;
  private final float[] costs;
  private final float[] best;

  /** The predicted latents of {@code best}, time-major {@code [horizon][dim]}. */
  private final float[] bestTraj;

  private final GaussianNoise rng;

  public SamplingEngine(Dynamics dynamics, Settings settings, Update update) {
    this.dynamics = dynamics;
    this.s = settings;
    this.update = update;
    this.dim = dynamics.latentDim();
    this.adim = dynamics.actionDim();
    if (settings.samples() > dynamics.maxBatch()) {
      throw new PlannerException(
          settings.samples()
              + " samples exceed the world model's largest batch "
              + dynamics.maxBatch()
              + "; raise the model's max batch or lower the samples");
    }
    if (settings.horizon() > dynamics.maxHorizon()) {
      throw new PlannerException(
          "horizon "
              + settings.horizon()
              + " exceeds the world model's longest rollout "
              + dynamics.maxHorizon()
              + "; raise the model's max horizon or shorten the plan");
    }
    if (settings.low().length != adim || settings.high().length != adim) {
      throw new PlannerException(
          "action bounds have "
              + settings.low().length
              + " and "
              + settings.high().length
              + " values but the model's actions have "
              + adim);
    }
    this.decisions = (settings.horizon() + settings.actionRepeat() - 1) / settings.actionRepeat();
    this.width = decisions * adim;
    int n = settings.samples();
    this.mean = new float[width];
    this.std = new float[width];
    this.samples = new float[n * width];
    this.timeActions = new float[settings.horizon() * n * adim];
    this.traj = new float[settings.horizon() * n * dim];
    this.costs = new float[n];
    this.best = new float[width];
    this.bestTraj = new float[settings.horizon() * dim];
    this.rng = new GaussianNoise(settings.seed());
  }

  /** Runs the search for one request. */
  public PlanResult run(PlanRequest request, String name) {
    long t0 = System.nanoTime();
    if (request.start().length != dim) {
      throw new PlannerException(
          "start latent has "
              + request.start().length
              + " floats but the world model's latents have "
              + dim);
    }
    long budgetNs = (request.budget() != null ? request.budget() : s.budget()).toNanos();
    int h = s.horizon();
    if (s.warmStart() && request.warmStart() != null && request.warmStart().length > 0) {
      checkWarmStart(request.warmStart());
      WarmStart.shift(request.warmStart(), h, s.actionRepeat(), adim, mean);
      clip(mean, 0);
    } else {
      for (int i = 0; i < width; i++) {
        int a = i % adim;
        mean[i] = clamp(0f, s.low()[a], s.high()[a]);
      }
    }
    for (int i = 0; i < width; i++) {
      std[i] = s.initialStd()[i % adim];
    }
    float bestCost = Float.POSITIVE_INFINITY;
    double meanCost = Double.NaN;
    int done = 0;
    boolean cut = false;
    long lastIterNs = 0;
    for (int it = 0; it < s.iterations(); it++) {
      long itStart = System.nanoTime();
      if (it > 0 && itStart - t0 + lastIterNs > budgetNs) {
        cut = true;
        break;
      }
      int n = s.population(it);
      sample(n);
      dynamics.rollout(request.start(), n, h, timeActions, traj);
      s.cost().evaluate(traj, n, h, dim, request.goal(), costs);
      for (int i = 0; i < n; i++) {
        if (costs[i] < bestCost) {
          bestCost = costs[i];
          System.arraycopy(samples, i * width, best, 0, width);
          for (int t = 0; t < h; t++) {
            System.arraycopy(traj, (t * n + i) * dim, bestTraj, t * dim, dim);
          }
        }
      }
      meanCost = update.update(samples, costs, n, mean, std);
      clip(mean, 0);
      done++;
      lastIterNs = System.nanoTime() - itStart;
    }
    long elapsed = System.nanoTime() - t0;
    float[] chosen = best;
    double cost = bestCost;
    float[][] predicted = null;
    if (s.returnMean() && !Double.isNaN(meanCost)) {
      chosen = mean;
      cost = meanCost;
    } else if (Float.isFinite(bestCost)) {
      predicted = new float[h][];
      for (int t = 0; t < h; t++) {
        predicted[t] = Arrays.copyOfRange(bestTraj, t * dim, (t + 1) * dim);
      }
    }
    float[][] actions = new float[h][adim];
    for (int t = 0; t < h; t++) {
      System.arraycopy(chosen, (t / s.actionRepeat()) * adim, actions[t], 0, adim);
    }
    boolean deadlineHit = cut || elapsed > budgetNs;
    return new PlanResult(
        name, actions, cost, s.population(0), done, elapsed / 1e6, deadlineHit, predicted);
  }

  /** The default time budget of a plan. */
  public Duration budget() {
    return s.budget();
  }

  /** The number of decision variables per action dimension: {@code ceil(horizon / repeat)}. */
  public int decisions() {
    return decisions;
  }

  private void checkWarmStart(float[][] warm) {
    for (float[] row : warm) {
      if (row == null || row.length != adim) {
        throw new PlannerException(
            "warm-start plan rows must have "
                + adim
                + " actions each (the model's action size); pass the previous PlanResult.actions()");
      }
    }
  }

  /** Draws the samples ({@code [n][width]}, clipped), then writes them time-major. */
  private void sample(int n) {
    // Sample 0 is the current mean itself: the search never loses the warm start or the mean.
    System.arraycopy(mean, 0, samples, 0, width);
    float[] lo = s.low();
    float[] hi = s.high();
    for (int i = 1; i < n; i++) {
      rng.fill(samples, i * width, width, mean, std, lo, hi);
    }
    expand(n);
  }

  /**
   * Copies each sample's decisions to the steps they hold for, in the rollout's time-major layout
   * {@code [horizon][n][actionDim]}: step by step, so the writes are sequential, and with no
   * division per element (the earlier per-sample copy with {@code t / repeat} and a two-float
   * {@code System.arraycopy} per step took a third of a fake-dynamics plan's JFR samples).
   */
  private void expand(int n) {
    int r = s.actionRepeat();
    int h = s.horizon();
    int k = 0;
    int left = r;
    for (int t = 0; t < h; t++) {
      int src = k * adim;
      int dst = t * n * adim;
      if (adim == 2) {
        for (int i = 0; i < n; i++) {
          int from = i * width + src;
          timeActions[dst + 2 * i] = samples[from];
          timeActions[dst + 2 * i + 1] = samples[from + 1];
        }
      } else {
        for (int i = 0; i < n; i++) {
          System.arraycopy(samples, i * width + src, timeActions, dst + i * adim, adim);
        }
      }
      if (--left == 0) {
        k++;
        left = r;
      }
    }
  }

  private void clip(float[] v, int base) {
    float[] lo = s.low();
    float[] hi = s.high();
    for (int j = 0; j < width; j++) {
      int a = j % adim;
      v[base + j] = clamp(v[base + j], lo[a], hi[a]);
    }
  }

  private static float clamp(float v, float lo, float hi) {
    return v < lo ? lo : (v > hi ? hi : v);
  }
}
