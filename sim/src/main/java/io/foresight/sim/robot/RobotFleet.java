package io.foresight.sim.robot;

import io.foresight.ingest.FramePublisher;
import io.foresight.ingest.IngestException;
import io.foresight.ingest.IngestOptions;
import io.foresight.ingest.Pacer;
import io.foresight.ingest.PublisherStats;
import io.foresight.ingest.RecordSink;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.KafkaLimits;
import io.foresight.schemas.Topics;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.SensorReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Runs {@link SimulatedRobot}s against Kafka: publishes their goals, frames, proprioception and
 * executed actions, and feeds them the plans read from {@link Topics#PLANS}. Runs on the calling
 * thread ({@link #run}), in the background ({@link #start}), or tick by tick ({@link #tick}, for
 * tests).
 *
 * <p>Staggering: real robots are not synchronised, so by default {@link #run} does not step every
 * robot at the same instant. The robots are dealt round-robin into {@link #phaseGroups()} groups
 * (robot {@code i} in group {@code i % G}) and group {@code g} steps at {@code g / G} of the frame
 * period, so the job sees {@code N / G} frames every {@code period / G} instead of a burst of
 * {@code N} every period. {@link Builder#stagger(boolean) stagger(false)} restores the burst.
 * {@link #tick()} always steps every robot.
 *
 * <p>The plans consumer reads all partitions from their end at {@link #open()} (no consumer group),
 * so only plans made after the fleet started are followed.
 *
 * <pre>{@code
 * try (RobotFleet fleet = RobotFleet.builder().bootstrapServers("localhost:9092")
 *     .robots(4).streamIdPrefix("robot").fps(10).build()) {
 *   fleet.open();
 *   fleet.run(Duration.ofSeconds(60));
 *   FleetStats stats = fleet.stats();
 * }
 * }</pre>
 */
public final class RobotFleet implements AutoCloseable {
  private static final AvroCodec<Plan> PLANS = AvroCodec.of(Plan.class);

  private final IngestOptions options;
  private final List<String> streamIds;
  private final Map<String, SimulatedRobot> robots = new LinkedHashMap<>();
  private final List<List<SimulatedRobot>> groups = new ArrayList<>();
  private final double fps;
  private final Consumer<String> log;
  private final RecordSink givenPublisher;
  private FramePublisher owned;
  private RecordSink publisher;
  private KafkaConsumer<byte[], byte[]> consumer;
  private volatile long start = System.nanoTime();
  private volatile boolean stopping;
  private Thread thread;
  private volatile Throwable failure;
  private long ticks;
  private long plansConsumed;
  private long badPlans;
  private boolean opened;
  private PublisherStats lastPublisherStats;

  private RobotFleet(Builder b) {
    this.options = b.options;
    this.fps = b.fps;
    this.log = b.log;
    this.givenPublisher = b.publisher;
    this.streamIds = new ArrayList<>();
    if (b.robots == 1) {
      streamIds.add(b.streamIdPrefix);
    } else {
      for (int i = 0; i < b.robots; i++) {
        streamIds.add(b.streamIdPrefix + "-" + i);
      }
    }
    for (int i = 0; i < streamIds.size(); i++) {
      String id = streamIds.get(i);
      robots.put(
          id,
          SimulatedRobot.builder()
              .robotSettings(b)
              .streamId(id)
              .seed(b.seed + 1_000_003L * i)
              .build());
    }
    int g = phaseGroups(streamIds.size(), fps, b.stagger, b.phaseGroups);
    for (int i = 0; i < g; i++) {
      groups.add(new ArrayList<>());
    }
    int i = 0;
    for (SimulatedRobot r : robots.values()) {
      groups.get(phaseOf(i++, g)).add(r);
    }
  }

  /** Phase groups when {@link Builder#phaseGroups} is left at 0: one per robot, up to this many. */
  public static final int AUTO_PHASE_GROUPS = 10;

  /**
   * The number of phase groups for {@code robots} robots: 1 without staggering or pacing ({@code
   * fps == 0}), else {@code requested} (0 = {@link #AUTO_PHASE_GROUPS}), at most one per robot.
   */
  public static int phaseGroups(int robots, double fps, boolean stagger, int requested) {
    if (!stagger || fps == 0 || robots <= 1) {
      return 1;
    }
    return Math.max(1, Math.min(robots, requested > 0 ? requested : AUTO_PHASE_GROUPS));
  }

  /** The phase group of robot {@code index} (round-robin, so groups differ in size by one). */
  public static int phaseOf(int index, int groups) {
    return index % groups;
  }

  /** Phase groups this fleet steps in ({@link #run}); 1 = all robots at once. */
  public int phaseGroups() {
    return groups.size();
  }

  /** The stream ids of the robots in phase group {@code group}. */
  public List<String> phaseGroup(int group) {
    return groups.get(group).stream().map(SimulatedRobot::streamId).toList();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The robots, by stream id. */
  public Map<String, SimulatedRobot> robots() {
    return Map.copyOf(robots);
  }

  /** The robot with a stream id. */
  public SimulatedRobot robot(String streamId) {
    SimulatedRobot r = robots.get(streamId);
    if (r == null) {
      throw new IngestException("no robot with stream id " + streamId + "; have " + streamIds);
    }
    return r;
  }

  /**
   * Connects to Kafka (plans consumer at the end of the topic), and publishes each robot's goal,
   * first frame and proprioception.
   */
  public synchronized void open() {
    if (opened) {
      return;
    }
    opened = true;
    if (givenPublisher != null) {
      publisher = givenPublisher;
    } else {
      owned = FramePublisher.create(options);
      publisher = owned;
    }
    Map<String, Object> c = new HashMap<>(KafkaLimits.consumer());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, options.clientId() + "-robots-" + UUID.randomUUID());
    try {
      consumer = new KafkaConsumer<>(c);
      List<PartitionInfo> parts = consumer.partitionsFor(Topics.PLANS, Duration.ofSeconds(30));
      if (parts == null || parts.isEmpty()) {
        throw new IngestException(
            "topic "
                + Topics.PLANS
                + " does not exist at "
                + options.bootstrapServers()
                + "; create Foresight's topics first (foresight topics create)");
      }
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo p : parts) {
        tps.add(new TopicPartition(p.topic(), p.partition()));
      }
      consumer.assign(tps);
      consumer.seekToEnd(tps);
      for (TopicPartition tp : tps) {
        consumer.position(tp, Duration.ofSeconds(30));
      }
    } catch (KafkaException e) {
      throw new IngestException(
          "Error subscribing to "
              + Topics.PLANS
              + " at "
              + options.bootstrapServers()
              + ": "
              + e.getMessage(),
          e);
    }
    for (SimulatedRobot r : robots.values()) {
      for (Object rec : r.start()) {
        publish(rec);
      }
      if (log != null) {
        log.accept(
            String.format(
                "%s: %s, goal %s at (%.1f, %.1f)",
                r.streamId(), r.world().describe(), r.goalId(), r.goal().x(), r.goal().y()));
      }
    }
    publisher.flush();
    start = System.nanoTime();
  }

  private void publish(Object rec) {
    if (rec instanceof CameraFrame f) {
      publisher.send(f);
    } else if (rec instanceof SensorReading s) {
      publisher.send(s);
    } else if (rec instanceof Goal g) {
      publisher.send(g);
    } else if (rec instanceof ActionCommand a) {
      publisher.send(a);
    } else if (rec != null) {
      throw new IllegalArgumentException("cannot publish " + rec.getClass());
    }
  }

  /**
   * Reads the plans available now (waiting up to {@code timeout} for the first) and hands them to
   * their robots. Returns the number of plans a robot accepted.
   */
  public synchronized int pollPlans(Duration timeout) {
    requireOpen();
    long deadline = System.nanoTime() + timeout.toNanos();
    int accepted = 0;
    do {
      long left = Math.max(0, deadline - System.nanoTime());
      ConsumerRecords<byte[], byte[]> recs =
          consumer.poll(Duration.ofNanos(Math.min(left, 100_000_000L)));
      for (ConsumerRecord<byte[], byte[]> rec : recs) {
        plansConsumed++;
        Plan plan;
        try {
          plan = PLANS.decode(rec.value());
        } catch (WireFormatException e) {
          badPlans++;
          if (log != null) {
            log.accept(
                String.format(
                    "skipping a record on %s (partition %d, offset %d) that is not a Plan: %s",
                    rec.topic(), rec.partition(), rec.offset(), e.getMessage()));
          }
          continue;
        }
        SimulatedRobot r = robots.get(plan.getStreamId());
        if (r != null && r.offer(plan)) {
          accepted++;
        }
      }
    } while (accepted == 0 && System.nanoTime() < deadline);
    return accepted;
  }

  /** Takes in the plans that have arrived, then steps every robot once and publishes. */
  public synchronized void tick() {
    requireOpen();
    pollPlans(Duration.ZERO);
    stepAll(robots.values());
    ticks++;
  }

  /**
   * Takes in the plans that have arrived, then steps the robots of one phase group once and
   * publishes; the last group of a round counts a tick.
   */
  public synchronized void tickGroup(int group) {
    requireOpen();
    pollPlans(Duration.ZERO);
    stepAll(groups.get(group));
    if (group == groups.size() - 1) {
      ticks++;
    }
  }

  private void stepAll(Iterable<SimulatedRobot> which) {
    for (SimulatedRobot r : which) {
      SimulatedRobot.StepResult s = r.step();
      publish(s.action());
      publish(s.newGoal());
      publish(s.frame());
      publish(s.proprio());
      if (log != null) {
        if (s.reached() != null) {
          log.accept(
              String.format(
                  "%s: reached %s at frame %d (distance %.2f px) after %d steps",
                  r.streamId(),
                  s.reached().goalId(),
                  s.reached().endSequence(),
                  s.reached().finalDistance(),
                  s.reached().steps(r.sequence())));
        }
        if (s.violation() != null) {
          log.accept(
              r.streamId()
                  + ": injected "
                  + s.violation().kind()
                  + " at frame "
                  + s.violation().step()
                  + ": "
                  + s.violation().detail());
        }
      }
    }
  }

  /** Ticks at the fleet's rate until {@code duration} has passed (null = until {@link #stop()}). */
  public void run(Duration duration) {
    open();
    int g = groups.size();
    // One pacer tick per group: group k steps at k / g of the frame period.
    Pacer pacer = new Pacer(fps * g);
    long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    // Rounds are finished before stopping, so every robot takes the same number of steps.
    for (long k = 0; k % g != 0 || (!stopping && System.nanoTime() < end); k++) {
      // Plans are taken in while the fleet waits for its next tick, as a robot's client that reads
      // them continuously would: a plan is seen (and its latency measured) when it arrives, not
      // at the next tick, and the next step follows the newest plan there is.
      for (long left = pacer.nanosUntilNext(); left > 1_000_000; left = pacer.nanosUntilNext()) {
        pollPlans(Duration.ofNanos(left - 500_000));
      }
      if (!pacer.awaitNext()) {
        break;
      }
      if (g == 1) {
        tick();
      } else {
        tickGroup((int) (k % g));
      }
    }
    publisher.flush();
  }

  /** Runs in a background thread; {@link #stop()} or {@link #close()} ends it. */
  public synchronized void start(Duration duration) {
    if (thread != null) {
      throw new IllegalStateException("the fleet is already running");
    }
    thread =
        new Thread(
            () -> {
              try {
                run(duration);
              } catch (Throwable t) {
                failure = t;
                if (log != null) {
                  log.accept("robot fleet stopped by an error: " + t);
                }
              }
            },
            "foresight-robot-fleet");
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks a running fleet to stop after the current tick (round of phase groups). */
  public void stop() {
    stopping = true;
  }

  /** Waits for a background run to end; rethrows its failure. */
  public void join(Duration timeout) throws InterruptedException {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.join(timeout.toMillis());
    }
    if (failure != null) {
      throw new IngestException("the robot fleet failed: " + failure, failure);
    }
  }

  /** The error that ended a background run, or null. */
  public Throwable failure() {
    return failure;
  }

  private void requireOpen() {
    if (!opened) {
      throw new IllegalStateException("call open() first");
    }
  }

  /** A snapshot of every robot's statistics. */
  public FleetStats stats() {
    List<RobotStats> list = new ArrayList<>();
    for (SimulatedRobot r : robots.values()) {
      list.add(r.stats());
    }
    long t;
    long pc;
    long bp;
    PublisherStats ps;
    synchronized (this) {
      t = ticks;
      pc = plansConsumed;
      bp = badPlans;
      ps = publisher == null ? lastPublisherStats : publisher.stats();
    }
    return new FleetStats(list, t, (System.nanoTime() - start) / 1e9, pc, bp, ps);
  }

  /**
   * Stops a background run and closes the Kafka clients (the publisher only if the fleet made it).
   */
  @Override
  public void close() {
    stopping = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
        consumer = null;
      }
      if (owned != null) {
        owned.close();
        lastPublisherStats = owned.stats();
        owned = null;
      } else if (publisher != null) {
        publisher.flush();
        lastPublisherStats = publisher.stats();
      }
      publisher = null;
    }
  }

  /** Builds a {@link RobotFleet}. */
  public static final class Builder extends RobotBuilder<Builder> {
    private int robots = 1;
    private String streamIdPrefix = "robot";
    private double fps = 10;
    private Consumer<String> log;
    private RecordSink publisher;
    private boolean stagger = true;
    private int phaseGroups = 0;

    private Builder() {}

    /**
     * Whether {@link RobotFleet#run} spreads the robots over the frame period in phase groups
     * (default true) or steps them all at once.
     */
    public Builder stagger(boolean stagger) {
      this.stagger = stagger;
      return this;
    }

    /**
     * Phase groups when staggering; default 0 = {@link RobotFleet#AUTO_PHASE_GROUPS}, at most one
     * per robot.
     */
    public Builder phaseGroups(int phaseGroups) {
      this.phaseGroups = phaseGroups;
      return this;
    }

    /**
     * Shortcut for {@code options(options.toBuilder().set(IngestOptions.BOOTSTRAP_SERVERS,
     * servers).build())}.
     */
    public Builder bootstrapServers(String servers) {
      this.options = options.toBuilder().set(IngestOptions.BOOTSTRAP_SERVERS, servers).build();
      return this;
    }

    /** Number of robots; default 1. */
    public Builder robots(int robots) {
      this.robots = robots;
      return this;
    }

    /** Stream id of a single robot, or prefix of {@code prefix-0 .. prefix-(N-1)}. */
    public Builder streamIdPrefix(String prefix) {
      this.streamIdPrefix = prefix;
      return this;
    }

    /** Control steps (and frames) per second per robot; 0 = as fast as possible. Default 10. */
    public Builder fps(double fps) {
      this.fps = fps;
      return this;
    }

    /** Receives goal-reached, violation and problem lines. */
    public Builder log(Consumer<String> log) {
      this.log = log;
      return this;
    }

    /** Publish through this publisher (not closed by the fleet) instead of making one. */
    public Builder publisher(RecordSink publisher) {
      this.publisher = publisher;
      return this;
    }

    public RobotFleet build() {
      if (robots < 1) {
        throw new IngestException("robots must be >= 1, got " + robots);
      }
      if (streamIdPrefix == null || streamIdPrefix.isBlank()) {
        throw new IngestException("a stream id (prefix) is required (--stream-id)");
      }
      if (!(fps >= 0) || Double.isInfinite(fps)) {
        throw new IngestException("fps must be >= 0, got " + fps);
      }
      checkRobotSettings();
      if (phaseGroups < 0) {
        throw new IngestException("phase groups must be >= 0 (0 = auto), got " + phaseGroups);
      }
      return new RobotFleet(this);
    }
  }
}
