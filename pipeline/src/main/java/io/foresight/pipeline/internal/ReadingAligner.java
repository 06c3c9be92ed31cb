package io.foresight.pipeline.internal;

import io.foresight.schemas.avro.AlignedReading;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.SensorReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Attaches to each frame's latent the latest sensor reading of each kind at or before the frame's
 * time (event time), within a tolerance. A latent waits at most {@code maxWait} for readings that
 * have not arrived yet; readings that come later than that, or never, are counted, not waited for.
 * Keyed by stream id; per-stream order is kept. State expires after the stream is idle for {@code
 * idleTimeout}.
 */
public final class ReadingAligner
    extends KeyedCoProcessFunction<String, LatentState, SensorReading, LatentState> {
  private static final long serialVersionUID = 1L;
  private static final int HISTORY = 16;

  /** The recent readings of one kind, oldest first. */
  public record History(long[] timesUs, double[][] values) {}

  private final long toleranceUs;
  private final long maxWaitMs;
  private final Duration idleTimeout;

  private transient MapState<String, History> readings;
  private transient ListState<LatentState> pending;
  private transient ValueState<Long> lastEmittedUs;
  private transient Counter aligned;
  private transient Counter missing;
  private transient Counter late;

  public ReadingAligner(Duration tolerance, Duration maxWait, Duration idleTimeout) {
    this.toleranceUs = tolerance.toNanos() / 1000;
    this.maxWaitMs = maxWait.toMillis();
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void open(OpenContext ctx) {
    StateTtlConfig ttl = StateTtlConfig.newBuilder(idleTimeout).build();
    MapStateDescriptor<String, History> rd =
        new MapStateDescriptor<>(
            "readings", TypeInformation.of(String.class), TypeInformation.of(History.class));
    rd.enableTimeToLive(ttl);
    readings = getRuntimeContext().getMapState(rd);
    ListStateDescriptor<LatentState> pd =
        new ListStateDescriptor<>("pending", TypeInformation.of(LatentState.class));
    pd.enableTimeToLive(ttl);
    pending = getRuntimeContext().getListState(pd);
    ValueStateDescriptor<Long> ld = new ValueStateDescriptor<>("lastEmittedUs", Long.class);
    ld.enableTimeToLive(ttl);
    lastEmittedUs = getRuntimeContext().getState(ld);
    aligned = getRuntimeContext().getMetricGroup().counter("readingsAligned");
    missing = getRuntimeContext().getMetricGroup().counter("readingsMissing");
    late = getRuntimeContext().getMetricGroup().counter("readingsLate");
  }

  @Override
  public void processElement1(LatentState latent, Context ctx, Collector<LatentState> out)
      throws Exception {
    boolean waiting = pending.get().iterator().hasNext();
    if (!waiting && ready(latent)) {
      emit(latent, out);
      return;
    }
    pending.add(latent);
    if (!waiting) {
      ctx.timerService()
          .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + maxWaitMs);
    }
    flushReady(out);
  }

  @Override
  public void processElement2(SensorReading r, Context ctx, Collector<LatentState> out)
      throws Exception {
    Long last = lastEmittedUs.value();
    if (last != null && r.getTimeUs() <= last) {
      late.inc();
    }
    History h = readings.get(r.getKind());
    readings.put(r.getKind(), withReading(h, r.getTimeUs(), toDoubles(r.getValues())));
    flushReady(out);
  }

  /** The history with one more reading: the newest {@code HISTORY} kept, sorted by time. */
  static History withReading(History h, long timeUs, double[] value) {
    long[] times = h == null ? new long[0] : h.timesUs();
    double[][] values = h == null ? new double[0][] : h.values();
    int n = Math.min(times.length + 1, HISTORY);
    long[] nt = new long[n];
    double[][] nv = new double[n][];
    // Merge the reading into the sorted history (usually it is the newest: an append), then keep
    // the newest n.
    int at = times.length;
    while (at > 0 && times[at - 1] > timeUs) {
      at--;
    }
    int total = times.length + 1;
    int skip = total - n;
    for (int i = skip; i < total; i++) {
      int j = i - skip;
      if (i < at) {
        nt[j] = times[i];
        nv[j] = values[i];
      } else if (i == at) {
        nt[j] = timeUs;
        nv[j] = value;
      } else {
        nt[j] = times[i - 1];
        nv[j] = values[i - 1];
      }
    }
    return new History(nt, nv);
  }

  private static double[] toDoubles(List<Double> values) {
    double[] v = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return v;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<LatentState> out)
      throws Exception {
    for (LatentState l : pending.get()) {
      emit(l, out);
    }
    pending.clear();
  }

  private void flushReady(Collector<LatentState> out) throws Exception {
    Iterable<LatentState> waiting = pending.get();
    if (waiting == null || !waiting.iterator().hasNext()) {
      return;
    }
    List<LatentState> left = new ArrayList<>();
    boolean blocked = false;
    for (LatentState l : waiting) {
      if (!blocked && ready(l)) {
        emit(l, out);
      } else {
        blocked = true;
        left.add(l);
      }
    }
    pending.update(left);
  }

  /** Ready when every known kind has a reading at or after the frame's time. */
  private boolean ready(LatentState latent) throws Exception {
    for (Map.Entry<String, History> e : readings.entries()) {
      long[] t = e.getValue().timesUs();
      if (t.length == 0 || t[t.length - 1] < latent.getTimeUs()) {
        return false;
      }
    }
    return true;
  }

  private void emit(LatentState latent, Collector<LatentState> out) throws Exception {
    List<AlignedReading> attached = new ArrayList<>();
    for (Map.Entry<String, History> e : readings.entries()) {
      long[] t = e.getValue().timesUs();
      int best = -1;
      for (int i = 0; i < t.length; i++) {
        if (t[i] <= latent.getTimeUs() && latent.getTimeUs() - t[i] <= toleranceUs) {
          best = i;
        }
      }
      if (best < 0) {
        missing.inc();
        continue;
      }
      aligned.inc();
      attached.add(
          new AlignedReading(
              e.getKey(), t[best], Arrays.stream(e.getValue().values()[best]).boxed().toList()));
    }
    attached.sort((a, b) -> a.getKind().compareTo(b.getKind()));
    // The latent is this operator's own object (Flink copies records between operators unless
    // object reuse is on, and the job leaves it off): set the readings on it rather than copying
    // the whole record with its tensor.
    latent.setReadings(attached);
    lastEmittedUs.update(latent.getTimeUs());
    out.collect(latent);
  }
}
