package io.foresight.tools.demo;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.SurpriseEvent;
import io.foresight.tools.internal.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Watches every Foresight topic from the beginning (read_committed) and keeps what the demo report
 * needs: counts per topic and per second, surprise events, dead letters, and the latency from a
 * frame's capture to the moment its plan can be read.
 */
public final class OutputObserver implements AutoCloseable {
  /** A surprise event as observed. */
  public record Surprise(String streamId, long sequence, long timeUs, double normalized) {}

  /** One plan's latency from its frame's capture. */
  public record PlanLatency(String streamId, long sequence, double millis) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final long startMs = System.currentTimeMillis();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, TreeMap<Long, Long>> perSecond = new ConcurrentHashMap<>();
  private final Map<String, Long> frameTimes = new HashMap<>();
  private final List<Surprise> surprises = new ArrayList<>();
  private final List<PlanLatency> latencies = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public OutputObserver(String bootstrap) {
    consumer = KafkaClients.fromBeginning(bootstrap, Topics.ALL);
    thread = new Thread(this::loop, "demo-observer");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        long now = System.currentTimeMillis();
        counts.computeIfAbsent(r.topic(), t -> new AtomicLong()).incrementAndGet();
        synchronized (this) {
          perSecond
              .computeIfAbsent(r.topic(), t -> new TreeMap<>())
              .merge((now - startMs) / 1000, 1L, Long::sum);
          try {
            observe(r, now);
          } catch (WireFormatException e) {
            counts
                .computeIfAbsent("undecodable " + r.topic(), t -> new AtomicLong())
                .incrementAndGet();
          }
        }
      }
    }
  }

  private void observe(ConsumerRecord<byte[], byte[]> r, long now) {
    switch (r.topic()) {
      case Topics.FRAMES -> {
        CameraFrame f = AvroCodec.of(CameraFrame.class).decode(r.value());
        frameTimes.put(f.getStreamId() + "#" + f.getSequence(), f.getCaptureTimeUs());
      }
      case Topics.SURPRISE -> {
        SurpriseEvent e = AvroCodec.of(SurpriseEvent.class).decode(r.value());
        surprises.add(
            new Surprise(e.getStreamId(), e.getSequence(), e.getTimeUs(), e.getNormalizedScore()));
      }
      case Topics.PLANS -> {
        Plan p = AvroCodec.of(Plan.class).decode(r.value());
        Long captured = frameTimes.get(p.getStreamId() + "#" + p.getBasedOnSequence());
        if (captured != null) {
          latencies.add(
              new PlanLatency(p.getStreamId(), p.getBasedOnSequence(), now - captured / 1000.0));
        }
      }
      case Topics.DEADLETTER -> deadLetters.add(AvroCodec.of(DeadLetter.class).decode(r.value()));
      default -> {}
    }
  }

  public long count(String topic) {
    AtomicLong c = counts.get(topic);
    return c == null ? 0 : c.get();
  }

  public Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public synchronized Map<Long, Long> perSecond(String topic) {
    return new TreeMap<>(perSecond.getOrDefault(topic, new TreeMap<>()));
  }

  public synchronized List<Surprise> surprises() {
    return List.copyOf(surprises);
  }

  public synchronized List<PlanLatency> latencies() {
    return List.copyOf(latencies);
  }

  public synchronized List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /** The capture time (µs) of a frame, if it was seen. */
  public synchronized Long frameTimeUs(String streamId, long sequence) {
    return frameTimes.get(streamId + "#" + sequence);
  }

  public long startMs() {
    return startMs;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
  }
}
