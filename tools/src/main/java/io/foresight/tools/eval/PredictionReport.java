package io.foresight.tools.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link PredictionEval} measured: latent prediction error against copy-last, a linear probe
 * of the agent's position and the spread of the latents.
 *
 * @param model the model's name, version and encoder sha256
 * @param world the simulated world of the episodes ({@code tworooms}, {@code pusht})
 * @param seed the episodes' seed
 * @param episodes number of episodes
 * @param steps frames per episode
 * @param errorRatio per horizon: mean squared error of the predictor's rollout against the encoded
 *     frame, divided by the mean squared error of copying the last latent (lower is better; 1 = no
 *     better than copy-last)
 * @param l2Ratio per horizon: the same with unsquared Euclidean distances
 * @param probeR2 R^2 of a ridge probe from the latent to the agent's (x, y), fitted on the first
 *     half of the episodes and scored on the second (mean of x and y)
 * @param probeR2Xy the probe's R^2 for x and for y
 * @param probeRmsePx the probe's root mean squared error for x and y, in pixels
 * @param distCorr Pearson correlation, over frame pairs of the same episode, between latent
 *     distance and agent distance
 * @param latentStd standard deviation of each latent dimension over all frames (collapse check)
 * @param latentStdMin the smallest of {@code latentStd}
 * @param latentStdMean the mean of {@code latentStd}
 * @param blockProbe Push-T: a ridge probe of the block's pose (x, y, angle as cos and sin), keys
 *     {@code block_probe_r2} (mean of x, y, angle), {@code block_probe_r2_x|y|angle|cos|sin},
 *     {@code block_probe_rmse_px_x|y}, {@code block_probe_rmse_deg}; empty for Two-Rooms
 * @param provider the execution providers that ran the encoder and the predictor
 * @param seconds wall time of the evaluation
 */
public record PredictionReport(
    String model,
    String world,
    long seed,
    int episodes,
    int steps,
    Map<Integer, Double> errorRatio,
    Map<Integer, Double> l2Ratio,
    double probeR2,
    double[] probeR2Xy,
    double[] probeRmsePx,
    double distCorr,
    double[] latentStd,
    double latentStdMin,
    double latentStdMean,
    Map<String, Double> blockProbe,
    String provider,
    double seconds) {

  /** The report as JSON-ready key/values ({@code error_ratio_h1}, {@code probe_r2}, ...). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eval", "prediction");
    m.put("model", model);
    m.put("world", world);
    m.put("seed", seed);
    m.put("episodes", episodes);
    m.put("steps", steps);
    errorRatio.forEach((h, v) -> m.put("error_ratio_h" + h, v));
    l2Ratio.forEach((h, v) -> m.put("l2_ratio_h" + h, v));
    m.put("probe_r2", probeR2);
    m.put("probe_r2_x", probeR2Xy[0]);
    m.put("probe_r2_y", probeR2Xy[1]);
    m.put("probe_rmse_px_x", probeRmsePx[0]);
    m.put("probe_rmse_px_y", probeRmsePx[1]);
    m.putAll(blockProbe);
    m.put("dist_corr", distCorr);
    m.put("latent_std_min", latentStdMin);
    m.put("latent_std_mean", latentStdMean);
    m.put("latent_std", latentStd);
    m.put("provider", provider);
    m.put("seconds", seconds);
    return m;
  }
}
