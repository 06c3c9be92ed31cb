package io.foresight.tools.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code foresight audit check} found.
 *
 * @param frames distinct frames (stream, sequence) in foresight.frames
 * @param latentsDistinct frames with at least one committed latent
 * @param duplicates committed latents beyond the first of their frame
 * @param lost frames without a committed latent
 * @param unexpected latents for frames that are not in foresight.frames
 * @param stored states the memory store holds, over every stream
 * @param storedMismatch streams whose stored count differs from their committed latents
 * @param memoryResets predictions (after a stream's first) made without the stream's previous
 *     state: its working memory was lost
 * @param goalsReached goals the robots reached (from their statistics)
 * @param faults per fault, in the order they were made
 */
public record AuditReport(
    long frames,
    @JsonProperty("latents_distinct") long latentsDistinct,
    long duplicates,
    long lost,
    long unexpected,
    long stored,
    @JsonProperty("stored_mismatch") List<String> storedMismatch,
    @JsonProperty("memory_resets") long memoryResets,
    @JsonProperty("goals_reached") long goalsReached,
    List<Fault> faults) {

  /**
   * One fault.
   *
   * @param fault its kind (kill-taskmanager, kill-broker, kill-memory, stop-start,
   *     savepoint-rescale)
   * @param frames frames captured from the fault until the next one
   * @param lost of those, frames without a committed latent
   * @param duplicated of those, frames with more than one
   * @param memoryResets of those, predictions made without the stream's working memory
   * @param recoveryS from the end of the fault's action (the kill; for stop-start the start again;
   *     for a rescale the resubmission) until a consumer saw the latent of a frame captured after
   *     it
   * @param plansPauseS the longest time without a plan from the fault until it was healed
   * @param queries per memory-store URL, the queries answered and failed from the fault until it
   *     was healed (the killed part started again and back in service)
   */
  public record Fault(
      String fault,
      long frames,
      long lost,
      long duplicated,
      @JsonProperty("memory_resets") long memoryResets,
      @JsonProperty("recovery_s") Double recoveryS,
      @JsonProperty("plans_pause_s") Double plansPauseS,
      java.util.Map<String, Queries> queries) {}

  /**
   * Memory-store queries answered and failed.
   *
   * @param answered queries answered
   * @param failed queries that failed
   * @param failingS the longest run of probes (about a second each) in which some query failed
   */
  public record Queries(long answered, long failed, @JsonProperty("failing_s") long failingS) {}

  /** Whether everything was exactly once, stored and kept. */
  @JsonIgnore
  public boolean exact() {
    return lost == 0
        && duplicates == 0
        && unexpected == 0
        && storedMismatch.isEmpty()
        && memoryResets == 0
        && frames > 0;
  }
}
