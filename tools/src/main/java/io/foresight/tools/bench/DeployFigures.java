package io.foresight.tools.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The figures of a model deployed in the middle of one step of {@code foresight bench streams
 * --deploy-at} ({@link DeployUnderLoad}). Whether a frame was lost or duplicated across the switch
 * is the step's own exactness check ({@code latents_exact}, {@code predictions_exact}).
 *
 * @param atS when the deployment was published, seconds after the step's robots started
 * @param deploymentId the deployment's id on {@code foresight.control}
 * @param model name and version of the model deployed
 * @param encoderSha256 its encoder's sha256: the tag latents of the new model carry
 * @param modelDir the directory deployed
 * @param streams the step's streams
 * @param switchedStreams streams with at least one latent of the new model
 * @param latentsOldAfterSwitch latents of another model after a stream's first latent of the new
 *     one (must be 0: each stream switches once)
 * @param secondsToFirstNewLatent per stream, from the publish to the capture time of the frame of
 *     its first latent of the new model (negative: that frame was captured before the publish and
 *     encoded after the switch)
 * @param secondsToFirstNewPlan per stream, from the publish to its first plan made from a latent of
 *     the new model ({@code time_us} of the plan; null: no such plan)
 * @param maxSecondsToFirstNewPlan the largest of {@code secondsToFirstNewPlan} (null if a stream
 *     had none)
 * @param p50SecondsToFirstNewPlan median over the streams that had one
 * @param p99SecondsToFirstNewPlan 99th percentile (nearest rank) over the streams that had one
 * @param streamsWithoutNewPlan streams that got no plan from a latent of the new model
 * @param refusals "stage: reason" of the job's refusals of the deployment
 * @param jobStatus the job's status after the step
 * @param jobRestarts the job's restarts since it started (Flink's {@code numRestarts}, read from
 *     the MiniCluster's REST API), over the whole run so far
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeployFigures(
    double atS,
    String deploymentId,
    String model,
    String encoderSha256,
    String modelDir,
    int streams,
    int switchedStreams,
    long latentsOldAfterSwitch,
    Map<String, Double> secondsToFirstNewLatent,
    Map<String, Double> secondsToFirstNewPlan,
    Double maxSecondsToFirstNewPlan,
    Double p50SecondsToFirstNewPlan,
    Double p99SecondsToFirstNewPlan,
    int streamsWithoutNewPlan,
    List<String> refusals,
    String jobStatus,
    Long jobRestarts) {

  public DeployFigures {
    secondsToFirstNewLatent = new java.util.TreeMap<>(secondsToFirstNewLatent);
    secondsToFirstNewPlan = new java.util.TreeMap<>(secondsToFirstNewPlan);
    refusals = List.copyOf(refusals);
  }
}
