package io.foresight.sim;

import io.foresight.ingest.IngestException;
import io.foresight.ingest.IngestReport;
import io.foresight.ingest.ProducerRun;
import io.foresight.ingest.ProducerSettings;
import io.foresight.ingest.RecordSink;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.sim.world.SimWorld;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldPolicy;
import io.foresight.sim.world.WorldSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Simulated cameras: N simulated worlds (Two-Rooms by default, or any {@link WorldSpec} such as
 * Push-T) explored by one of the world's policies, each published as a stream of RGB8 frames, with
 * the agent's proprioception and the actions it took (source {@code POLICY}), so the predictor and
 * the surprise scorer have something to work on.
 *
 * <p>Stream {@code i} is {@code prefix-i}, seeded with {@code seed + i}. Every {@code
 * policyRefreshSteps} steps the policy starts a new leg (new waypoints) without resetting the
 * world, so frames stay continuous. Stops after a number of frames per stream, a duration, or when
 * told.
 *
 * <pre>{@code
 * IngestReport r = SimulatedCameras.builder().streams(4).fps(10).frames(600)
 *     .publisher(publisher).build().run();
 * }</pre>
 */
public final class SimulatedCameras {
  private final int streams;
  private final double fps;
  private final long seed;
  private final long frames;
  private final Duration duration;
  private final String prefix;
  private final WorldSpec world;
  private final String policy;
  private final int policyRefreshSteps;
  private final boolean actions;
  private final boolean proprio;
  private final ProducerSettings settings;

  private SimulatedCameras(Builder b) {
    this.streams = b.streams;
    this.fps = b.fps;
    this.seed = b.seed;
    this.frames = b.frames;
    this.duration = b.duration;
    this.prefix = b.prefix;
    this.world = b.world;
    this.policy = b.policy;
    this.policyRefreshSteps = b.policyRefreshSteps;
    this.actions = b.actions;
    this.proprio = b.proprio;
    this.settings = b.settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs until the frame count or duration is reached. */
  public IngestReport run() {
    return run(() -> false);
  }

  /** Runs until the frame count or duration is reached or {@code stop} returns true. */
  public IngestReport run(BooleanSupplier stop) {
    ProducerRun report =
        settings.start(streams + " simulated camera(s) " + prefix + "-*", fps, "records");
    RecordSink publisher = settings.publisher();
    List<SimWorld> worlds = new ArrayList<>();
    List<WorldPolicy> policies = new ArrayList<>();
    List<Random> rngs = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      SimWorld w = world.newWorld(seed + i);
      Random rng = new Random(~(seed + i));
      WorldPolicy p = w.policy(policy);
      p.reset(rng);
      worlds.add(w);
      policies.add(p);
      rngs.add(rng);
    }
    byte[] scratch = new byte[world.frameBytes()];
    float[] a = new float[2];
    long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    long step = 0;
    long violations = 0;
    while ((frames <= 0 || step < frames) && System.nanoTime() < end && !stop.getAsBoolean()) {
      if (!report.awaitNext()) {
        break;
      }
      long now = System.currentTimeMillis() * 1000;
      for (int i = 0; i < streams; i++) {
        SimWorld w = worlds.get(i);
        String id = prefix + "-" + i;
        if (step > 0) {
          WorldPolicy p = policies.get(i);
          if (policyRefreshSteps > 0 && step % policyRefreshSteps == 0) {
            p.reset(rngs.get(i));
          }
          p.act(a);
          if (actions) {
            publisher.send(
                SimRecords.action(id, now, a[0], a[1], ActionSource.POLICY, null, w.frameIndex()));
            report.sent(8);
          }
          w.step(a[0], a[1]);
          if (w.currentViolation() != null) {
            violations++;
          }
        }
        CameraFrame f = SimRecords.frame(id, w.frameIndex(), now, w, scratch);
        publisher.send(f);
        report.sent(scratch.length);
        if (proprio) {
          publisher.send(SimRecords.proprio(id, w.frameIndex(), now, w));
          report.sent(32);
        }
      }
      step++;
    }
    report.note(step + " frames per stream");
    if (violations > 0) {
      report.note(violations + " injected violations (labelled in frame metadata sim.violation)");
    }
    return report.finish();
  }

  /** Builds {@link SimulatedCameras}; the publisher is required. */
  public static final class Builder extends ProducerSettings.Builder<Builder> {
    private int streams = 1;
    private double fps = 10;
    private long seed = 0;
    private long frames = 0;
    private Duration duration;
    private String prefix = "sim";
    private WorldSpec world = WorldConfig.DEFAULT;
    private String policy = "mixed";
    private int policyRefreshSteps = 100;
    private boolean actions = true;
    private boolean proprio = true;
    private ProducerSettings settings;

    private Builder() {}

    public Builder streams(int streams) {
      this.streams = streams;
      return this;
    }

    /** Frames per second per stream; 0 = as fast as possible. */
    public Builder fps(double fps) {
      this.fps = fps;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Frames per stream; 0 (default) = no limit. */
    public Builder frames(long frames) {
      this.frames = frames;
      return this;
    }

    /** Stop after this long; null (default) = no limit. */
    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder streamIdPrefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** The world: {@link WorldConfig} (Two-Rooms, the default) or {@code PushTConfig}. */
    public Builder world(WorldSpec world) {
      this.world = Objects.requireNonNull(world, "world");
      return this;
    }

    /**
     * One of the world's {@link WorldSpec#policyNames()}: {@code mixed} (default), {@code random}
     * or {@code door} for Two-Rooms; {@code mixed}, {@code push} or {@code random} for Push-T.
     */
    public Builder policy(String policy) {
      this.policy = policy;
      return this;
    }

    public Builder policyRefreshSteps(int steps) {
      this.policyRefreshSteps = steps;
      return this;
    }

    /** Publish the actions taken (default true). */
    public Builder actions(boolean actions) {
      this.actions = actions;
      return this;
    }

    /** Publish proprioception readings (default true). */
    public Builder proprio(boolean proprio) {
      this.proprio = proprio;
      return this;
    }

    public SimulatedCameras build() {
      settings = settings();
      if (streams < 1) {
        throw new IngestException("streams must be >= 1, got " + streams);
      }
      ProducerSettings.requireFps(fps);
      if (frames < 0) {
        throw new IngestException("frames must be >= 0 (0 = no limit), got " + frames);
      }
      try {
        world.requirePolicy(policy);
      } catch (IllegalArgumentException e) {
        throw new IngestException(e.getMessage(), e);
      }
      return new SimulatedCameras(this);
    }
  }
}
