package io.foresight.tools.eval.internal;

import java.util.Arrays;

/** Small statistics for the evaluations: AUROC, ridge regression probes, correlation. */
public final class Stats {
  private Stats() {}

  /**
   * The area under the ROC curve of {@code scores} for telling positives from negatives (the
   * probability that a random positive scores above a random negative; ties count half). NaN when
   * either class is empty.
   */
  public static double auroc(double[] scores, boolean[] positive) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (positive[order[k]]) {
          rankSumPos += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /**
   * A linear probe.
   *
   * @param r2 coefficient of determination per target on the test rows
   * @param rmse root mean squared error per target on the test rows
   */
  public record Probe(double[] r2, double[] rmse) {
    /** Mean R^2 over the targets. */
    public double meanR2() {
      return Arrays.stream(r2).average().orElse(Double.NaN);
    }
  }

  /**
   * Fits a ridge regression from features to targets on the training rows (features standardised on
   * them, an unpenalised bias, penalty {@code alpha * rows}) and scores it on the test rows.
   *
   * @param xTrain rows x d features
   * @param yTrain rows x k targets
   */
  public static Probe ridgeProbe(
      double[][] xTrain, double[][] yTrain, double[][] xTest, double[][] yTest, double alpha) {
    int k = yTrain[0].length;
    double[][] predicted = ridgePredict(xTrain, yTrain, xTest, alpha);
    double[] ssRes = new double[k];
    double[] mean = new double[k];
    for (double[] y : yTest) {
      for (int t = 0; t < k; t++) {
        mean[t] += y[t] / yTest.length;
      }
    }
    double[] ssTot = new double[k];
    for (int r = 0; r < xTest.length; r++) {
      for (int t = 0; t < k; t++) {
        double pred = predicted[r][t];
        ssRes[t] += (pred - yTest[r][t]) * (pred - yTest[r][t]);
        ssTot[t] += (yTest[r][t] - mean[t]) * (yTest[r][t] - mean[t]);
      }
    }
    double[] r2 = new double[k];
    double[] rmse = new double[k];
    for (int t = 0; t < k; t++) {
      r2[t] = 1 - ssRes[t] / ssTot[t];
      rmse[t] = Math.sqrt(ssRes[t] / xTest.length);
    }
    return new Probe(r2, rmse);
  }

  /**
   * The predictions on the test rows of the ridge regression {@link #ridgeProbe} fits.
   *
   * @return rows x k predicted targets
   */
  public static double[][] ridgePredict(
      double[][] xTrain, double[][] yTrain, double[][] xTest, double alpha) {
    int d = xTrain[0].length;
    int k = yTrain[0].length;
    double[] mu = new double[d];
    double[] sd = new double[d];
    for (double[] row : xTrain) {
      for (int j = 0; j < d; j++) {
        mu[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= xTrain.length;
    }
    for (double[] row : xTrain) {
      for (int j = 0; j < d; j++) {
        sd[j] += (row[j] - mu[j]) * (row[j] - mu[j]);
      }
    }
    for (int j = 0; j < d; j++) {
      sd[j] = Math.sqrt(sd[j] / xTrain.length) + 1e-8;
    }
    int p = d + 1;
    double[][] a = new double[p][p];
    double[][] b = new double[p][k];
    double[] z = new double[p];
    for (int r = 0; r < xTrain.length; r++) {
      standardise(xTrain[r], mu, sd, z);
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          a[i][j] += z[i] * z[j];
        }
        for (int t = 0; t < k; t++) {
          b[i][t] += z[i] * yTrain[r][t];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      a[i][i] += alpha * xTrain.length;
    }
    double[][] w = solve(a, b);
    double[][] out = new double[xTest.length][k];
    for (int r = 0; r < xTest.length; r++) {
      standardise(xTest[r], mu, sd, z);
      for (int t = 0; t < k; t++) {
        double pred = 0;
        for (int i = 0; i < p; i++) {
          pred += z[i] * w[i][t];
        }
        out[r][t] = pred;
      }
    }
    return out;
  }

  private static void standardise(double[] x, double[] mu, double[] sd, double[] out) {
    for (int j = 0; j < x.length; j++) {
      out[j] = (x[j] - mu[j]) / sd[j];
    }
    out[x.length] = 1;
  }

  /** Solves {@code a x = b} by Gaussian elimination with partial pivoting (a is overwritten). */
  static double[][] solve(double[][] a, double[][] b) {
    int n = a.length;
    int k = b[0].length;
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = b[i].clone();
    }
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] t = a[col];
      a[col] = a[piv];
      a[piv] = t;
      t = x[col];
      x[col] = x[piv];
      x[piv] = t;
      double diag = a[col][col];
      if (Math.abs(diag) < 1e-300) {
        throw new ArithmeticException("singular system in the ridge probe");
      }
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / diag;
        if (f != 0) {
          for (int c = col; c < n; c++) {
            a[r][c] -= f * a[col][c];
          }
          for (int c = 0; c < k; c++) {
            x[r][c] -= f * x[col][c];
          }
        }
      }
    }
    for (int r = n - 1; r >= 0; r--) {
      for (int c = 0; c < k; c++) {
        double s = x[r][c];
        for (int j = r + 1; j < n; j++) {
          s -= a[r][j] * x[j][c];
        }
        x[r][c] = s / a[r][r];
      }
    }
    return x;
  }

  /** Pearson correlation of two equally long samples. */
  public static double pearson(double[] a, double[] b) {
    double ma = Arrays.stream(a).average().orElse(0);
    double mb = Arrays.stream(b).average().orElse(0);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /**
   * The q-quantile (0..1) of values by nearest rank; NaN when empty.
   *
   * <p>Exact on purpose, not an HdrHistogram: it serves distances and scores as well as durations,
   * on samples of a few hundred, and the planner bench's best-block median and the planning
   * evaluation's figures in docs/benchmarks.md are nearest-rank values of the samples.
   */
  public static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(q * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, rank))];
  }

  /** The mean; NaN when empty. */
  public static double mean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  /** Rounds to {@code digits} decimals, for readable reports. */
  public static double round(double v, int digits) {
    if (!Double.isFinite(v)) {
      return v;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
