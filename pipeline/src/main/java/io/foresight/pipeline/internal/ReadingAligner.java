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
    long[] times = h == null ? new long[0] : h.timesUs();
    double[][] values = h == null ? new double[0][] : h.values();
    int n = Math.min(times.length + 1, HISTORY);
    long[] nt = new long[n];
    double[][] nv = new double[n][];
    // keep the newest HISTORY readings sorted by time
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      order.add(i);
    }
    order.add(-1);
    order.sort(
        (a, b) -> Long.compare(a < 0 ? r.getTimeUs() : times[a], b < 0 ? r.getTimeUs() : times[b]));
    List<Integer> kept = order.subList(order.size() - n, order.size());
    for (int i = 0; i < n; i++) {
      int idx = kept.get(i);
      nt[i] = idx < 0 ? r.getTimeUs() : times[idx];
      nv[i] =
          idx < 0 ? r.getValues().stream().mapToDouble(Double::doubleValue).toArray() : values[idx];
    }
    readings.put(r.getKind(), new History(nt, nv));
    flushReady(out);
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
    List<LatentState> left = new ArrayList<>();
    boolean blocked = false;
    for (LatentState l : pending.get()) {
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
    LatentState copy = LatentState.newBuilder(latent).setReadings(attached).build();
    lastEmittedUs.update(latent.getTimeUs());
    out.collect(copy);
  }
}
