package io.foresight.planner;

import io.foresight.planner.internal.Distances;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a planner scores a rolled-out latent trajectory against the goal latent: the distance (L1 or
 * L2) and whether it is taken at the end of the horizon or summed over every step.
 *
 * @param norm the distance between a predicted latent and the goal latent
 * @param aggregation which steps of the horizon count
 */
public record Cost(Norm norm, Aggregation aggregation) {

  /** L2 (Euclidean) distance at the end of the horizon, as in DINO-WM and V-JEPA 2-AC. */
  public static final Cost L2_TERMINAL = new Cost(Norm.L2, Aggregation.TERMINAL);

  /**
   * L2 distance summed over the horizon: rewards getting close early, so the first action (the one
   * executed) heads for the goal; the planners' default.
   */
  public static final Cost L2_SUM = new Cost(Norm.L2, Aggregation.SUM);

  /** The distance between two latents. */
  public enum Norm {
    /** Sum of absolute differences. */
    L1,
    /** Euclidean distance (not squared). */
    L2
  }

  /** Which predicted latents of a rollout count. */
  public enum Aggregation {
    /** Only the last one. */
    TERMINAL,
    /** Every step, summed (rewards getting close early). */
    SUM
  }

  public Cost {
    Objects.requireNonNull(norm, "norm");
    Objects.requireNonNull(aggregation, "aggregation");
  }

  /** The distance between {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
  public static float distance(Norm norm, float[] a, int aOff, float[] b, int bOff, int n) {
    if (norm == Norm.L1) {
      return Distances.l1(a, aOff, b, bOff, n);
    }
    return (float) Math.sqrt(Distances.squaredL2(a, aOff, b, bOff, n));
  }

  /** The distance between two whole latents. */
  public float distance(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new PlannerException(
          "latents of different sizes: " + a.length + " and " + b.length + " floats");
    }
    return distance(norm, a, 0, b, 0, a.length);
  }

  /**
   * The cost of each of {@code batch} rollouts.
   *
   * @param traj time-major {@code [horizon][batch][dim]}, as {@link Dynamics#rollout} writes it
   * @param goal the goal latent {@code [dim]}
   * @param costs {@code [batch]}, written
   */
  public void evaluate(float[] traj, int batch, int horizon, int dim, float[] goal, float[] costs) {
    evaluate(traj, batch, 0, batch, horizon, dim, goal, costs);
  }

  /**
   * The cost of rollouts {@code [from, from + batch)} of a trajectory of {@code total} rollouts
   * (the searches of several requests rolled out together, {@link Dynamics#rolloutGroups}).
   *
   * @param traj time-major {@code [horizon][total][dim]}
   * @param costs {@code [batch]}, written from 0
   */
  public void evaluate(
      float[] traj,
      int total,
      int from,
      int batch,
      int horizon,
      int dim,
      float[] goal,
      float[] costs) {
    int first = aggregation == Aggregation.TERMINAL ? horizon - 1 : 0;
    Arrays.fill(costs, 0, batch, 0f);
    for (int t = first; t < horizon; t++) {
      int base = (t * total + from) * dim;
      if (norm == Norm.L1) {
        for (int b = 0; b < batch; b++) {
          costs[b] += Distances.l1(traj, base + b * dim, goal, 0, dim);
        }
      } else {
        // The loop written out here, not called: the shape C2 vectorises, whatever it inlines.
        for (int b = 0; b < batch; b++) {
          int off = base + b * dim;
          float s = 0f;
          for (int i = 0; i < dim; i++) {
            float d = traj[off + i] - goal[i];
            s += d * d;
          }
          costs[b] += (float) Math.sqrt(s);
        }
      }
    }
  }
}
