package io.foresight.runtime;

import java.util.Optional;

/**
 * What one subtask of the job knows about checkpointing, for deciding whether a {@link Deployment}
 * may be accepted: a model switches at a checkpoint barrier and is made durable by that checkpoint
 * (see {@link DeploymentState}), so a deploy while checkpoints fail would switch a job that cannot
 * record the switch, and a restart would fall back to a checkpoint from before it. Each operator
 * that takes deployments feeds it from Flink's checkpoint callbacks ({@code
 * prepareSnapshotPreBarrier}, {@code notifyCheckpointComplete}, {@code notifyCheckpointAborted})
 * and asks {@link #refuse} when a deployment arrives.
 *
 * <p>A deployment is refused when the newest checkpoint outcome this subtask heard of is an abort
 * (a checkpoint aborted after the newest completed one), or when none has completed for too long:
 * {@value #STALE_INTERVALS} checkpoint intervals, and at least {@value #MIN_STALE_MS} ms, since the
 * newest completed checkpoint (or since the first barrier when none has completed). The interval is
 * measured, as the time between the two newest barriers this subtask saw; until it has seen two,
 * only aborts count (a job that has just started is not judged on time). Without checkpointing
 * there are no barriers and no outcomes, and nothing is refused.
 *
 * <p>The outcome notifications are Flink's and best effort: a notification can be skipped (a later
 * completed checkpoint subsumes it) and arrives at each subtask at its own moment, while the
 * control record is broadcast. When checkpointing recovers just as a deployment arrives, one
 * subtask can refuse a deployment that another accepts; the refusing subtask keeps its model and
 * says so on the dead-letter topic, and a deploy of the same model again, once checkpoints
 * complete, converges (subtasks that already run or hold the model ignore it).
 *
 * <pre>{@code
 * health.barrier(checkpointId, now);       // in prepareSnapshotPreBarrier
 * health.completed(checkpointId, now);     // in notifyCheckpointComplete
 * health.aborted(checkpointId, now);       // in notifyCheckpointAborted
 * Optional<RefusedDeployment> no = health.refuse(deployment, "encoder subtask 0", now);
 * }</pre>
 *
 * <p>Not thread-safe: the operator calls it on its task thread only.
 */
public final class CheckpointHealth {
  /** How many measured checkpoint intervals without a completed checkpoint count as failing. */
  public static final int STALE_INTERVALS = 3;

  /**
   * The shortest time without a completed checkpoint that counts as failing, whatever the interval:
   * a garbage-collection pause under a 100 ms interval is not a failing checkpoint.
   */
  public static final long MIN_STALE_MS = 10_000;

  private long newestCompleted = -1;
  private long newestCompletedAtMs = -1;
  private long newestAborted = -1;
  private long newestBarrier = -1;
  private long newestBarrierAtMs = -1;
  private long firstBarrierAtMs = -1;
  private long intervalMs = -1;

  /** This subtask saw the barrier of checkpoint {@code checkpointId} at {@code nowMs}. */
  public void barrier(long checkpointId, long nowMs) {
    if (checkpointId <= newestBarrier) {
      return;
    }
    if (newestBarrierAtMs >= 0) {
      intervalMs = Math.max(0, nowMs - newestBarrierAtMs);
    } else {
      firstBarrierAtMs = nowMs;
    }
    newestBarrier = checkpointId;
    newestBarrierAtMs = nowMs;
  }

  /** Checkpoint {@code checkpointId} completed (Flink's {@code notifyCheckpointComplete}). */
  public void completed(long checkpointId, long nowMs) {
    if (checkpointId > newestCompleted) {
      newestCompleted = checkpointId;
      newestCompletedAtMs = nowMs;
    }
  }

  /** Checkpoint {@code checkpointId} was aborted (Flink's {@code notifyCheckpointAborted}). */
  public void aborted(long checkpointId, long nowMs) {
    if (checkpointId > newestAborted) {
      newestAborted = checkpointId;
    }
  }

  /**
   * What is wrong with checkpointing now, as a sentence ({@code checkpoint 12 was aborted and none
   * has completed since}), or empty when a deployment may be accepted.
   */
  public Optional<String> problem(long nowMs) {
    if (newestAborted > newestCompleted) {
      return Optional.of(
          "checkpoint "
              + newestAborted
              + " was aborted and none has completed since"
              + (newestCompleted < 0
                  ? " (none has completed since this subtask started)"
                  : " (the newest completed is checkpoint "
                      + newestCompleted
                      + ", "
                      + seconds(nowMs - newestCompletedAtMs)
                      + " ago)"));
    }
    if (intervalMs < 0) {
      return Optional.empty();
    }
    long since = newestCompleted >= 0 ? newestCompletedAtMs : firstBarrierAtMs;
    long stale = Math.max(STALE_INTERVALS * intervalMs, MIN_STALE_MS);
    if (nowMs - since <= stale) {
      return Optional.empty();
    }
    return Optional.of(
        (newestCompleted >= 0
                ? "no checkpoint has completed for " + seconds(nowMs - newestCompletedAtMs)
                : "no checkpoint has completed since the first barrier "
                    + seconds(nowMs - firstBarrierAtMs)
                    + " ago")
            + " (checkpoints start every "
            + seconds(intervalMs)
            + "; the newest started is checkpoint "
            + newestBarrier
            + (newestCompleted >= 0 ? ", the newest completed checkpoint " + newestCompleted : "")
            + ")");
  }

  /**
   * The refusal of {@code d} by {@code stage} when checkpointing is failing ({@link #problem}), or
   * empty when it may be accepted. The reason says what is wrong and what to do.
   */
  public Optional<RefusedDeployment> refuse(Deployment d, String stage, long nowMs) {
    return problem(nowMs)
        .map(
            p ->
                new RefusedDeployment(
                    d,
                    stage,
                    p
                        + "; a model switches at a checkpoint, so nothing was loaded or switched"
                        + " and "
                        + stage
                        + " keeps its model; fix checkpointing (the job manager's log says why"
                        + " checkpoints fail), then deploy again"));
  }

  /** The newest checkpoint this subtask heard completed, or -1. */
  public long newestCompleted() {
    return newestCompleted;
  }

  private static String seconds(long ms) {
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
