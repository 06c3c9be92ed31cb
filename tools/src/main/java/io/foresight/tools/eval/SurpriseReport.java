package io.foresight.tools.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link SurpriseEval} measured: how well the surprise score (distance between the latent
 * predicted for a frame and the frame's encoded latent) tells injected physics violations from
 * normal frames.
 *
 * @param model the model's name, version and encoder sha256
 * @param world the simulated world of the episodes ({@code tworooms}, {@code pusht})
 * @param seed the episodes' seed
 * @param episodes number of episodes
 * @param steps frames per episode
 * @param violationRate probability per step of injecting a violation
 * @param auroc AUROC of the score, violation frames against the other frames of the same episodes
 * @param aurocVsClean AUROC of violation frames against every frame of the clean twin episodes
 * @param aurocByKind AUROC per violation kind (its frames against all normal frames)
 * @param pairwiseAccuracy share of violation clips whose peak surprise exceeds that of the same
 *     clip without the violation (the clean twin: same seed, same actions); ties count half
 * @param pairs number of clip pairs
 * @param clip frames per clip, centred on the labelled frame
 * @param violationFrames labelled frames per kind
 * @param normalFrames unlabelled frames scored
 * @param meanScoreNormal mean surprise of normal frames
 * @param meanScoreViolation mean surprise of violation frames
 * @param detector the streaming detector (running statistics and threshold, as the world-model
 *     operator runs it) over the episodes laid end to end: precision, recall and false alarms per
 *     1,000 clean frames at each threshold and warm-up
 * @param provider the execution providers that ran the encoder and the predictor
 * @param seconds wall time of the evaluation
 */
public record SurpriseReport(
    String model,
    String world,
    long seed,
    int episodes,
    int steps,
    double violationRate,
    double auroc,
    double aurocVsClean,
    Map<String, Double> aurocByKind,
    double pairwiseAccuracy,
    int pairs,
    int clip,
    Map<String, Integer> violationFrames,
    int normalFrames,
    double meanScoreNormal,
    double meanScoreViolation,
    List<Map<String, Object>> detector,
    String provider,
    double seconds) {

  /** The report as JSON-ready key/values ({@code auroc}, {@code pairwise_accuracy}, ...). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eval", "surprise");
    m.put("model", model);
    m.put("world", world);
    m.put("seed", seed);
    m.put("episodes", episodes);
    m.put("steps", steps);
    m.put("violation_rate", violationRate);
    m.put("auroc", auroc);
    m.put("pairwise_accuracy", pairwiseAccuracy);
    m.put("pairs", pairs);
    m.put("clip_frames", clip);
    m.put("auroc_vs_clean", aurocVsClean);
    aurocByKind.forEach((k, v) -> m.put("auroc_" + k, v));
    m.put("violation_frames", violationFrames);
    m.put("normal_frames", normalFrames);
    m.put("mean_score_normal", meanScoreNormal);
    m.put("mean_score_violation", meanScoreViolation);
    m.put("detector", detector);
    m.put("provider", provider);
    m.put("seconds", seconds);
    return m;
  }
}
