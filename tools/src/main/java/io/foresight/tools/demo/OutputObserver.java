package io.foresight.tools.demo;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.schemas.avro.SurpriseEvent;
import io.foresight.sim.pusht.PushTWorld;
import io.foresight.tools.internal.KafkaClients;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * frame's capture to the moment its plan can be read; and, per robot, what the report's pictures
 * and the live view show: its camera frames, its positions (proprioception), its latents, its plans
 * and the door of its world (Two-Rooms) or its block's poses (Push-T).
 */
public final class OutputObserver implements AutoCloseable {
  /** A surprise event as observed. */
  public record Surprise(String streamId, long sequence, long timeUs, double normalized) {}

  /** One plan's latency from its frame's capture. */
  public record PlanLatency(String streamId, long sequence, double millis) {}

  /** One position of a robot (its proprioception) at a frame. */
  public record Position(long sequence, double x, double y) {}

  /** A plan as observed (its latent: {@link #latent(String, long)} at {@code basedOnSequence}). */
  public record ObservedPlan(
      String streamId, long basedOnSequence, String goalId, float[][] actions) {}

  /**
   * The pose of a Push-T robot's block at a frame (the frames' {@code sim.block} ground truth):
   * centre of mass in pixels, angle in radians.
   */
  public record Block(long sequence, double x, double y, double angle) {}

  /** The door of a robot's world: rows {@code top} (inclusive) to {@code bottom} (exclusive). */
  public record Door(int top, int bottom) {}

  /** Frames, latents and positions kept per stream (10 fps: about 3 minutes). */
  static final int KEEP_PER_STREAM = 2000;

  /** One plan in this many is kept per stream with its latent, for the report's imagination. */
  static final int PLAN_SAMPLE_EVERY = 25;

  /** Camera frames are only kept for streams of this size (the Two-Rooms camera). */
  static final int FRAME_SIDE = 64;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, TreeMap<Long, byte[]>> frames = new HashMap<>();
  private final Map<String, TreeMap<Long, float[]>> latents = new HashMap<>();
  private final Map<String, List<Position>> positions = new HashMap<>();
  private final Map<String, List<Block>> blocks = new HashMap<>();
  private final Map<String, ObservedPlan> lastPlan = new HashMap<>();
  private final Map<String, List<ObservedPlan>> sampledPlans = new HashMap<>();
  private final Map<String, Long> planCounts = new HashMap<>();
  private final Map<String, Door> doors = new HashMap<>();
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
        if (f.getEncoding() == FrameEncoding.RGB8
            && f.getWidth() == FRAME_SIDE
            && f.getHeight() == FRAME_SIDE
            && f.getData().remaining() == FRAME_SIDE * FRAME_SIDE * 3
            && !f.getStreamId().equals(EmbeddedStack.WARMUP_STREAM)) {
          byte[] rgb = new byte[f.getData().remaining()];
          f.getData().duplicate().get(rgb);
          keep(frames, f.getStreamId(), f.getSequence(), rgb);
          Block b = block(f.getSequence(), f.getMetadata().get(PushTWorld.BLOCK_KEY));
          if (b != null) {
            List<Block> bs = blocks.computeIfAbsent(f.getStreamId(), k -> new ArrayList<>());
            bs.add(b);
            if (bs.size() > KEEP_PER_STREAM) {
              bs.subList(0, bs.size() - KEEP_PER_STREAM).clear();
            }
          }
          Door door = door(rgb, FRAME_SIDE, FRAME_SIDE);
          if (door != null) {
            doors.put(f.getStreamId(), door);
          }
        }
      }
      case Topics.READINGS -> {
        SensorReading s = AvroCodec.of(SensorReading.class).decode(r.value());
        if ("proprio".equals(s.getKind()) && s.getValues().size() >= 2) {
          List<Position> ps = positions.computeIfAbsent(s.getStreamId(), k -> new ArrayList<>());
          ps.add(new Position(s.getSequence(), s.getValues().get(0), s.getValues().get(1)));
          if (ps.size() > KEEP_PER_STREAM) {
            ps.subList(0, ps.size() - KEEP_PER_STREAM).clear();
          }
        }
      }
      case Topics.LATENTS -> {
        LatentState l = AvroCodec.of(LatentState.class).decode(r.value());
        ByteBuffer b = l.getLatent().getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] z = new float[b.remaining() / 4];
        b.asFloatBuffer().get(z);
        keep(latents, l.getStreamId(), l.getSequence(), z);
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
        float[][] actions = new float[p.getActions().size()][];
        for (int i = 0; i < actions.length; i++) {
          List<Float> row = p.getActions().get(i);
          actions[i] = new float[row.size()];
          for (int j = 0; j < row.size(); j++) {
            actions[i][j] = row.get(j);
          }
        }
        ObservedPlan op =
            new ObservedPlan(p.getStreamId(), p.getBasedOnSequence(), p.getGoalId(), actions);
        lastPlan.put(p.getStreamId(), op);
        long n = planCounts.merge(p.getStreamId(), 1L, Long::sum);
        if (n % PLAN_SAMPLE_EVERY == 0) {
          sampledPlans.computeIfAbsent(p.getStreamId(), k -> new ArrayList<>()).add(op);
        }
      }
      case Topics.DEADLETTER -> deadLetters.add(AvroCodec.of(DeadLetter.class).decode(r.value()));
      default -> {}
    }
  }

  private static <T> void keep(
      Map<String, TreeMap<Long, T>> byStream, String stream, long sequence, T value) {
    TreeMap<Long, T> m = byStream.computeIfAbsent(stream, k -> new TreeMap<>());
    m.put(sequence, value);
    while (m.size() > KEEP_PER_STREAM) {
      m.pollFirstEntry();
    }
  }

  /** The block pose in a frame's {@code sim.block} metadata ("x,y,angle"), or null. */
  static Block block(long sequence, String text) {
    if (text == null) {
      return null;
    }
    String[] p = text.split(",");
    if (p.length != 3) {
      return null;
    }
    try {
      return new Block(
          sequence, Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]));
    } catch (NumberFormatException e) {
      return null; // not a simulator's frame: no block to draw
    }
  }

  /**
   * The door in a Two-Rooms frame: the rows of the wall's middle column that are not wall-coloured
   * (null if the column shows no wall, i.e. not a Two-Rooms frame).
   */
  static Door door(byte[] rgb, int width, int height) {
    int col = width / 2;
    int top = -1;
    int bottom = -1;
    int wall = 0;
    for (int y = 0; y < height; y++) {
      int i = (y * width + col) * 3;
      boolean isWall =
          (rgb[i] & 0xFF) == 0xA0 && (rgb[i + 1] & 0xFF) == 0xA0 && (rgb[i + 2] & 0xFF) == 0xA0;
      if (isWall) {
        wall++;
      } else if (top < 0) {
        top = y;
        bottom = y + 1;
      } else if (bottom == y) {
        bottom = y + 1;
      }
    }
    return wall < height / 2 || top < 0 ? null : new Door(top, bottom);
  }

  /** The streams seen with camera frames or positions, sorted. */
  public synchronized List<String> streams() {
    java.util.TreeSet<String> s = new java.util.TreeSet<>(frames.keySet());
    s.addAll(positions.keySet());
    s.remove(EmbeddedStack.WARMUP_STREAM);
    s.remove(BadRecords.STREAM);
    return List.copyOf(s);
  }

  /** The last camera frame of a stream (RGB8, 64 x 64) and its sequence, or null. */
  public synchronized Map.Entry<Long, byte[]> lastFrame(String streamId) {
    TreeMap<Long, byte[]> m = frames.get(streamId);
    return m == null || m.isEmpty() ? null : m.lastEntry();
  }

  /** A kept camera frame of a stream, or null. */
  public synchronized byte[] frame(String streamId, long sequence) {
    TreeMap<Long, byte[]> m = frames.get(streamId);
    return m == null ? null : m.get(sequence);
  }

  /** A kept latent of a stream, or null. */
  public synchronized float[] latent(String streamId, long sequence) {
    TreeMap<Long, float[]> m = latents.get(streamId);
    return m == null ? null : m.get(sequence);
  }

  /** The positions of a stream seen so far (the last {@value #KEEP_PER_STREAM}). */
  public synchronized List<Position> positions(String streamId) {
    return List.copyOf(positions.getOrDefault(streamId, List.of()));
  }

  /** The block poses of a Push-T stream seen so far (the last {@value #KEEP_PER_STREAM}). */
  public synchronized List<Block> blocks(String streamId) {
    return List.copyOf(blocks.getOrDefault(streamId, List.of()));
  }

  /** The last plan of a stream, or null. */
  public synchronized ObservedPlan lastPlan(String streamId) {
    return lastPlan.get(streamId);
  }

  /** Every {@value #PLAN_SAMPLE_EVERY}th plan of a stream. */
  public synchronized List<ObservedPlan> sampledPlans(String streamId) {
    return List.copyOf(sampledPlans.getOrDefault(streamId, List.of()));
  }

  /** The door of a stream's world as its last frame shows it, or null. */
  public synchronized Door door(String streamId) {
    return doors.get(streamId);
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
