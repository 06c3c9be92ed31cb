package io.foresight.memory.internal;

import io.foresight.memory.api.ModelId;
import io.foresight.memory.api.StreamSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running summary of one stream in one partition: per model, the count, first and last time,
 * the newest latent, and Welford's running mean and variance of the stored latents (which removal
 * by retention reverses). Derived from the timeline: rebuilt by scanning it when a task starts.
 * Written by the stream thread, read by query threads; methods are synchronized.
 */
final class StreamStats {
  private final String stream;
  private final Map<String, ModelStats> models = new LinkedHashMap<>();

  StreamStats(String stream) {
    this.stream = stream;
  }

  String stream() {
    return stream;
  }

  private static final class ModelStats {
    ModelId model;
    int[] shape;
    long count;
    long firstTime = Long.MAX_VALUE;
    long lastTime = Long.MIN_VALUE;
    long lastSeq = Long.MIN_VALUE;
    float[] last;
    double[] mean;
    double[] m2;
  }

  /** Adds a state; {@code v} is kept (not copied), so the caller must not change it later. */
  synchronized void onAdd(ModelId model, int[] shape, long seq, long time, float[] v) {
    ModelStats s = models.computeIfAbsent(model.sha256(), k -> new ModelStats());
    s.model = model;
    if (s.mean == null || s.mean.length != v.length) {
      s.mean = new double[v.length];
      s.m2 = new double[v.length];
    }
    s.count++;
    double inv = 1.0 / s.count;
    double[] mean = s.mean;
    double[] m2 = s.m2;
    for (int i = 0; i < v.length; i++) {
      double x = v[i];
      double d = x - mean[i];
      mean[i] += d * inv;
      m2[i] += d * (x - mean[i]);
    }
    s.firstTime = Math.min(s.firstTime, time);
    if (time > s.lastTime || (time == s.lastTime && seq > s.lastSeq)) {
      s.lastTime = time;
      s.lastSeq = seq;
      // the caller hands over v and shape and does not change them afterwards
      s.last = v;
      if (s.shape == null || !java.util.Arrays.equals(s.shape, shape)) {
        s.shape = shape.clone();
      }
    }
  }

  /**
   * Reverses {@link #onAdd} for a removed state; {@code newFirstTime} is the time of the oldest
   * state left for the model ({@code Long.MAX_VALUE} if none).
   */
  synchronized void onRemove(String sha, float[] v, long newFirstTime) {
    ModelStats s = models.get(sha);
    if (s == null) {
      return;
    }
    s.count--;
    if (s.count <= 0) {
      models.remove(sha);
      return;
    }
    double n = s.count;
    for (int i = 0; i < v.length && i < s.mean.length; i++) {
      double oldMean = s.mean[i];
      s.mean[i] = (oldMean * (n + 1) - v[i]) / n;
      s.m2[i] -= (v[i] - oldMean) * (v[i] - s.mean[i]);
      if (s.m2[i] < 0) {
        s.m2[i] = 0;
      }
    }
    s.firstTime = newFirstTime;
  }

  synchronized void setFirstTime(String sha, long time) {
    ModelStats s = models.get(sha);
    if (s != null) {
      s.firstTime = time;
    }
  }

  synchronized boolean isEmpty() {
    return models.isEmpty();
  }

  /** The hashes of the models this stream has states of. */
  synchronized List<String> shas() {
    return new ArrayList<>(models.keySet());
  }

  synchronized long count(String sha) {
    ModelStats s = models.get(sha);
    return s == null ? 0 : s.count;
  }

  synchronized long count() {
    long n = 0;
    for (ModelStats s : models.values()) {
      n += s.count;
    }
    return n;
  }

  /** An immutable copy, newest model first; {@code null} when the stream holds nothing. */
  synchronized StreamSummary summary() {
    if (models.isEmpty()) {
      return null;
    }
    List<StreamSummary.ModelSummary> out = new ArrayList<>();
    long count = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (ModelStats s : models.values()) {
      double[] var = new double[s.m2.length];
      for (int i = 0; i < var.length; i++) {
        var[i] = s.m2[i] / s.count;
      }
      out.add(
          new StreamSummary.ModelSummary(
              s.model,
              s.shape.clone(),
              s.count,
              s.firstTime,
              s.lastTime,
              s.lastSeq,
              s.last.clone(),
              s.mean.clone(),
              var));
      count += s.count;
      first = Math.min(first, s.firstTime);
      last = Math.max(last, s.lastTime);
    }
    out.sort(Comparator.comparingLong(StreamSummary.ModelSummary::lastTimeUs).reversed());
    return new StreamSummary(stream, count, first, last, out);
  }
}
