package io.foresight.planner.internal;

import io.foresight.planner.Cost;
import io.foresight.planner.Dynamics;
import io.foresight.planner.PlanRequest;
import io.foresight.planner.PlanResult;
import io.foresight.planner.PlannerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared machinery of sampling planners (CEM, MPPI): a Gaussian over action sequences, batched
 * rollouts, costs, the best sequence so far, warm start and the deadline. A {@link Update} turns
 * the costs of one iteration into the next distribution.
 *
 * <p>Buffers are allocated once, for the most requests searched together so far; a plan allocates
 * only its result. Not thread-safe.
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
  private final int maxRequests;

  /** One search state per request of a {@link #runAll} call, made as needed and kept. */
  private final List<Search> searches = new ArrayList<>();

  /** The rollout's actions, time-major {@code [horizon][rows][actionDim]}. */
  private float[] timeActions = new float[0];

  /** The rollout's latents, time-major {@code [horizon][rows][latentDim]}. */
  private float[] traj = new float[0];

  /** The start latent of each request in the rollout, {@code [requests][latentDim]}. */
  private float[] starts = new float[0];

  private final GaussianNoise rng;

  /** What one request's search holds: its distribution, samples, costs and best so far. */
  private final class Search {
    final float[] mean = new float[width];
    final float[] std = new float[width];
    final float[] samples = new float[s.samples() * width];
    final float[] costs = new float[s.samples()];
    final float[] best = new float[width];

    /** The predicted latents of {@code best}, time-major {@code [horizon][dim]}. */
    final float[] bestTraj = new float[s.horizon() * dim];

    PlanRequest request;
    long budgetNs;
    float bestCost;
    double meanCost;
    int done;
    boolean cut;

    void start(PlanRequest r) {
      if (r.start().length != dim) {
        throw new PlannerException(
            "start latent has "
                + r.start().length
                + " floats but the world model's latents have "
                + dim);
      }
      request = r;
      budgetNs = (r.budget() != null ? r.budget() : s.budget()).toNanos();
      if (s.warmStart() && r.warmStart() != null && r.warmStart().length > 0) {
        checkWarmStart(r.warmStart());
        WarmStart.shift(r.warmStart(), s.horizon(), s.actionRepeat(), adim, mean);
        clip(mean);
      } else {
        for (int i = 0; i < width; i++) {
          int a = i % adim;
          mean[i] = clamp(0f, s.low()[a], s.high()[a]);
        }
      }
      for (int i = 0; i < width; i++) {
        std[i] = s.initialStd()[i % adim];
      }
      bestCost = Float.POSITIVE_INFINITY;
      meanCost = Double.NaN;
      done = 0;
      cut = false;
    }

    PlanResult result(String name, long elapsedNs) {
      int h = s.horizon();
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
      boolean deadlineHit = cut || elapsedNs > budgetNs;
      request = null;
      return new PlanResult(
          name, actions, cost, s.population(0), done, elapsedNs / 1e6, deadlineHit, predicted);
    }
  }

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
    this.maxRequests = Math.max(1, dynamics.maxBatch() / settings.samples());
    this.rng = new GaussianNoise(settings.seed());
    ensure(1);
  }

  /** Runs the search for one request. */
  public PlanResult run(PlanRequest request, String name) {
    return runAll(List.of(request), name).get(0);
  }

  /**
   * Runs the searches of several requests together: every iteration rolls the samples of all of
   * them out in one batch ({@link Dynamics#rolloutGroups}), so the model is called once per step
   * for all of them instead of once per step for each; each search keeps its own distribution,
   * costs, budget and result. More requests than {@link #maxRequests} are searched in turns of that
   * many. One request is searched exactly as {@link #run} searches it.
   *
   * @return the plans, in the order of the requests; each reports the time of its turn
   */
  public List<PlanResult> runAll(List<PlanRequest> requests, String name) {
    if (requests.size() > maxRequests) {
      List<PlanResult> out = new ArrayList<>(requests.size());
      for (int i = 0; i < requests.size(); i += maxRequests) {
        out.addAll(runAll(requests.subList(i, Math.min(requests.size(), i + maxRequests)), name));
      }
      return out;
    }
    long t0 = System.nanoTime();
    int k = requests.size();
    ensure(k);
    for (int g = 0; g < k; g++) {
      searches.get(g).start(requests.get(g));
    }
    int h = s.horizon();
    Search[] active = new Search[k];
    long lastIterNs = 0;
    for (int it = 0; it < s.iterations(); it++) {
      long itStart = System.nanoTime();
      int m = 0;
      for (int g = 0; g < k; g++) {
        Search x = searches.get(g);
        if (x.cut) {
          continue;
        }
        if (it > 0 && itStart - t0 + lastIterNs > x.budgetNs) {
          x.cut = true;
          continue;
        }
        active[m++] = x;
      }
      if (m == 0) {
        break;
      }
      int n = s.population(it);
      int rows = m * n;
      for (int j = 0; j < m; j++) {
        sample(active[j], n);
        expand(active[j].samples, n, j * n, rows);
      }
      if (m == 1) {
        dynamics.rollout(active[0].request.start(), n, h, timeActions, traj);
      } else {
        for (int j = 0; j < m; j++) {
          System.arraycopy(active[j].request.start(), 0, starts, j * dim, dim);
        }
        dynamics.rolloutGroups(starts, m, rows, h, timeActions, traj);
      }
      for (int j = 0; j < m; j++) {
        Search x = active[j];
        s.cost().evaluate(traj, rows, j * n, n, h, dim, x.request.goal(), x.costs);
        for (int i = 0; i < n; i++) {
          if (x.costs[i] < x.bestCost) {
            x.bestCost = x.costs[i];
            System.arraycopy(x.samples, i * width, x.best, 0, width);
            for (int t = 0; t < h; t++) {
              System.arraycopy(traj, (t * rows + j * n + i) * dim, x.bestTraj, t * dim, dim);
            }
          }
        }
        x.meanCost = update.update(x.samples, x.costs, n, x.mean, x.std);
        clip(x.mean);
        x.done++;
      }
      lastIterNs = System.nanoTime() - itStart;
    }
    long elapsed = System.nanoTime() - t0;
    List<PlanResult> out = new ArrayList<>(k);
    for (int g = 0; g < k; g++) {
      out.add(searches.get(g).result(name, elapsed));
    }
    return out;
  }

  /**
   * The most requests {@link #runAll} searches in one batch: the model's largest batch over the
   * samples.
   */
  public int maxRequests() {
    return maxRequests;
  }

  /** The default time budget of a plan. */
  public Duration budget() {
    return s.budget();
  }

  /** The number of decision variables per action dimension: {@code ceil(horizon / repeat)}. */
  public int decisions() {
    return decisions;
  }

  /** Makes room for {@code k} searches rolled out together (buffers grow, never shrink). */
  private void ensure(int k) {
    while (searches.size() < k) {
      searches.add(new Search());
    }
    int rows = k * s.samples();
    if (traj.length < s.horizon() * rows * dim) {
      timeActions = new float[s.horizon() * rows * adim];
      traj = new float[s.horizon() * rows * dim];
      starts = new float[k * dim];
    }
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

  /** Draws a search's samples ({@code [n][width]}, clipped). */
  private void sample(Search x, int n) {
    // Sample 0 is the current mean itself: the search never loses the warm start or the mean.
    System.arraycopy(x.mean, 0, x.samples, 0, width);
    float[] lo = s.low();
    float[] hi = s.high();
    for (int i = 1; i < n; i++) {
      rng.fill(x.samples, i * width, width, x.mean, x.std, lo, hi);
    }
  }

  /**
   * Copies each of {@code n} samples' decisions to the steps they hold for, in the rollout's
   * time-major layout {@code [horizon][rows][actionDim]}, at rows {@code [first, first + n)}: step
   * by step, so the writes are sequential, and with no division per element (the earlier per-sample
   * copy with {@code t / repeat} and a two-float {@code System.arraycopy} per step took a third of
   * a fake-dynamics plan's JFR samples).
   */
  private void expand(float[] samples, int n, int first, int rows) {
    int r = s.actionRepeat();
    int h = s.horizon();
    int k = 0;
    int left = r;
    for (int t = 0; t < h; t++) {
      int src = k * adim;
      int dst = (t * rows + first) * adim;
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

  private void clip(float[] v) {
    float[] lo = s.low();
    float[] hi = s.high();
    for (int j = 0; j < width; j++) {
      int a = j % adim;
      v[j] = clamp(v[j], lo[a], hi[a]);
    }
  }

  private static float clamp(float v, float lo, float hi) {
    return v < lo ? lo : (v > hi ? hi : v);
  }
}
