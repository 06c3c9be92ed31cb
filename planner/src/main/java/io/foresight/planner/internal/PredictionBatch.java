package io.foresight.planner.internal;

import io.foresight.planner.Dynamics;
import io.foresight.planner.PlannerException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Latents of different streams whose predictions wait to be rolled out together: one batched
 * rollout ({@link Dynamics#rolloutGroups}, one row per latent from its own start, under its own
 * actions) instead of one batch-1 rollout per latent, which costs the predictor's per-call overhead
 * once per latent. At most one latent per stream waits (the caller runs the batch before it takes a
 * stream's next input), and all of a batch's latents belong to one model.
 *
 * <p>Not thread-safe: the world model's task thread adds and runs.
 *
 * <pre>{@code
 * if (batch.holds(stream) || (!batch.isEmpty() && batch.model() != model)) batch.run(emit);
 * if (batch.add(model, stream, z, actions, tag, nowMs)) batch.run(emit); // full
 * }</pre>
 *
 * @param <T> what the caller keeps per latent to emit its prediction
 */
public final class PredictionBatch<T> {

  /** Receives one latent's predicted future, {@code [horizon][latentDim]}. */
  @FunctionalInterface
  public interface Emitter<T> {
    /** Called once per latent, in the order they were added. */
    void emit(String stream, T tag, float[][] future) throws Exception;
  }

  private final int capacity;
  private final int horizon;
  private final List<String> streams;
  private final List<T> tags;
  private final Set<String> waiting;
  private Dynamics model;
  private int dim;
  private int adim;
  private float[] starts;
  private float[] actions;
  private float[] flatActions;
  private float[] out;
  private long firstAddedMs;

  /** A batch of at most {@code capacity} latents, each predicted {@code horizon} steps ahead. */
  public PredictionBatch(int capacity, int horizon) {
    if (capacity < 1 || horizon < 1) {
      throw new PlannerException(
          "a prediction batch needs capacity and horizon >= 1, got " + capacity + ", " + horizon);
    }
    this.capacity = capacity;
    this.horizon = horizon;
    this.streams = new ArrayList<>(capacity);
    this.tags = new ArrayList<>(capacity);
    this.waiting = new HashSet<>(capacity * 2);
  }

  /** The most latents one batch holds. */
  public int capacity() {
    return capacity;
  }

  /** The latents waiting. */
  public int size() {
    return streams.size();
  }

  /** true when no latent waits. */
  public boolean isEmpty() {
    return streams.isEmpty();
  }

  /** true when a latent of {@code stream} waits. */
  public boolean holds(String stream) {
    return waiting.contains(stream);
  }

  /** The model of the waiting latents; null when none waits. */
  public Dynamics model() {
    return model;
  }

  /** The time ({@code nowMs} of {@link #add}) the oldest waiting latent was added. */
  public long firstAddedMs() {
    return firstAddedMs;
  }

  /**
   * Adds a latent of {@code stream} with the actions expected after it ({@code [horizon]
   * [actionDim]}); {@code latent} and {@code expected} are copied. Returns true when the batch is
   * full and should run now.
   *
   * @throws PlannerException when the batch is full, holds the stream already or holds another
   *     model's latents (run it first), or the shapes do not fit the model
   */
  public boolean add(
      Dynamics model, String stream, float[] latent, float[][] expected, T tag, long nowMs) {
    if (streams.size() == capacity) {
      throw new PlannerException("the prediction batch is full; run it first");
    }
    if (this.model != null && this.model != model) {
      throw new PlannerException(
          "the prediction batch holds another model's latents; run it first");
    }
    if (!waiting.add(stream)) {
      throw new PlannerException(
          "the prediction batch holds a latent of stream " + stream + " already; run it first");
    }
    if (this.model == null) {
      use(model);
      firstAddedMs = nowMs;
    }
    if (latent.length != dim || expected.length != horizon) {
      waiting.remove(stream);
      throw new PlannerException(
          "a prediction needs a latent of "
              + dim
              + " floats and "
              + horizon
              + " actions, got "
              + latent.length
              + " and "
              + expected.length);
    }
    int b = streams.size();
    System.arraycopy(latent, 0, starts, b * dim, dim);
    for (int t = 0; t < horizon; t++) {
      if (expected[t].length != adim) {
        waiting.remove(stream);
        throw new PlannerException(
            "action " + t + " has " + expected[t].length + " values; the model takes " + adim);
      }
      System.arraycopy(expected[t], 0, actions, (b * horizon + t) * adim, adim);
    }
    streams.add(stream);
    tags.add(tag);
    return streams.size() == capacity;
  }

  /**
   * Rolls every waiting latent out in one call and hands each its future, in the order they were
   * added; the batch is empty afterwards, also when the model or the emitter throws.
   */
  public void run(Emitter<T> emitter) throws Exception {
    int k = streams.size();
    if (k == 0) {
      return;
    }
    try {
      for (int b = 0; b < k; b++) {
        for (int t = 0; t < horizon; t++) {
          System.arraycopy(
              actions, (b * horizon + t) * adim, flatActions, (t * k + b) * adim, adim);
        }
      }
      model.rolloutGroups(starts, k, k, horizon, flatActions, out);
      for (int b = 0; b < k; b++) {
        float[][] future = new float[horizon][dim];
        for (int t = 0; t < horizon; t++) {
          System.arraycopy(out, (t * k + b) * dim, future[t], 0, dim);
        }
        emitter.emit(streams.get(b), tags.get(b), future);
      }
    } finally {
      clear();
    }
  }

  /** Drops every waiting latent without predicting it. */
  public void clear() {
    streams.clear();
    tags.clear();
    waiting.clear();
    model = null;
  }

  private void use(Dynamics m) {
    if (m.maxBatch() < capacity || m.maxHorizon() < horizon) {
      throw new PlannerException(
          "the predictor takes batches of "
              + m.maxBatch()
              + " and horizons of "
              + m.maxHorizon()
              + " but predictions need "
              + capacity
              + " and "
              + horizon);
    }
    if (m.latentDim() != dim || m.actionDim() != adim || starts == null) {
      dim = m.latentDim();
      adim = m.actionDim();
      starts = new float[capacity * dim];
      actions = new float[capacity * horizon * adim];
      flatActions = new float[capacity * horizon * adim];
      out = new float[horizon * capacity * dim];
    }
    model = m;
  }
}
