package io.foresight.tools.ingest;

import io.foresight.ingest.FramePublisher;
import io.foresight.ingest.IngestOptions;
import io.foresight.ingest.PublisherStats;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.sim.SimRecords;
import io.foresight.sim.world.ExplorationPolicy;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import java.io.PrintWriter;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foresight ingest bench}: how fast the simulated world steps and renders, and (with a
 * broker) how fast {@link FramePublisher} publishes frames.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the simulator (step + render, frames/s on one thread) and, with --publish, the"
          + " publishing rate of raw simulated frames to Kafka (records/s, MB/s, until all are"
          + " acknowledged)."
    })
public final class IngestBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PublishOptions kafka = new PublishOptions();

  @Option(
      names = "--frames",
      defaultValue = "200000",
      description = "Frames for the simulator benchmark. Default: ${DEFAULT-VALUE}.")
  int frames;

  @Option(
      names = "--publish",
      defaultValue = "0",
      description = "Frames to publish to --bootstrap (0 = skip). Default: ${DEFAULT-VALUE}.")
  int publish;

  @Option(
      names = "--size",
      defaultValue = "64",
      description = "Frame width and height. Default: ${DEFAULT-VALUE}.")
  int size;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    WorldConfig cfg = WorldConfig.builder().size(size, size).build();
    TwoRoomsWorld world = new TwoRoomsWorld(cfg, 1);
    ExplorationPolicy policy = ExplorationPolicy.mixed();
    Random rng = new Random(1);
    policy.reset(world, rng);
    byte[] rgb = new byte[cfg.frameBytes()];
    float[] a = new float[2];
    long checksum = 0;
    for (int pass = 0; pass < 2; pass++) {
      int n = pass == 0 ? Math.min(frames, 20_000) : frames;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (i % 40 == 0) {
          world.reset(rng.nextLong());
          policy.reset(world, rng);
        }
        policy.act(world, a);
        world.step(a[0], a[1]);
        world.render(rgb);
        checksum += rgb[i % rgb.length];
      }
      double s = (System.nanoTime() - t0) / 1e9;
      if (pass == 1) {
        out.printf(
            "simulator %dx%d: %,d frames (policy + step + render) in %.2f s = %,.0f frames/s,"
                + " %.2f us/frame (checksum %d)%n",
            size, size, n, s, n / s, s * 1e6 / n, checksum);
      }
    }
    if (publish > 0) {
      IngestOptions options = kafka.options();
      try (FramePublisher p = FramePublisher.create(options)) {
        // warm-up: connect, fetch metadata
        p.send(SimRecords.frame("bench-warmup", 0, 0, world, rgb));
        p.flush();
        PublisherStats before = p.stats();
        long t0 = System.nanoTime();
        for (int i = 0; i < publish; i++) {
          policy.act(world, a);
          world.step(a[0], a[1]);
          CameraFrame f =
              SimRecords.frame(
                  "bench-" + (i % 8), i / 8, System.currentTimeMillis() * 1000, world, rgb);
          p.send(f);
        }
        p.flush();
        double s = (System.nanoTime() - t0) / 1e9;
        PublisherStats after = p.stats();
        long bytes = after.bytes() - before.bytes();
        out.printf(
            "publish to %s (compression %s, acks=all, idempotent): %,d frames of %d bytes in"
                + " %.2f s = %,.0f frames/s, %.1f MB/s of records; acked %,d, failed %,d%n",
            options.bootstrapServers(),
            options.compression().name().toLowerCase(java.util.Locale.ROOT),
            publish,
            rgb.length,
            s,
            publish / s,
            bytes / 1e6 / s,
            after.acked() - before.acked(),
            after.failed());
      }
    }
    out.flush();
    return 0;
  }
}
