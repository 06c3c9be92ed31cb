package io.foresight.tools.ingest;

import io.foresight.ingest.FramePublisher;
import io.foresight.ingest.IngestOptions;
import io.foresight.ingest.IngestReport;
import io.foresight.sim.SimulatedCameras;
import io.foresight.sim.world.WorldSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code foresight ingest sim}: simulated cameras (Two-Rooms or Push-T) with exploration. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description =
        "Publish N simulated cameras of the Two-Rooms or the Push-T world (--world; RGB8 frames,"
            + " proprioception, the exploration actions) until --frames or --duration is reached,"
            + " else until stopped (Ctrl-C).")
public final class IngestSimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PublishOptions kafka = new PublishOptions();

  @Mixin WorldChoice worldChoice = new WorldChoice();

  @Option(
      names = "--streams",
      defaultValue = "1",
      description = "Number of cameras. Default: ${DEFAULT-VALUE}.")
  int streams;

  @Option(
      names = "--fps",
      defaultValue = "10",
      description =
          "Frames per second per camera; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
  double fps;

  @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @ArgGroup(exclusive = true)
  Limit limit;

  static final class Limit {
    @Option(names = "--frames", description = "Stop after this many frames per camera.")
    Long frames;

    @Option(names = "--duration", description = "Stop after this many seconds.")
    Double seconds;
  }

  @Option(
      names = "--stream-prefix",
      defaultValue = "sim",
      description = "Stream ids are PREFIX-0 .. PREFIX-(N-1). Default: ${DEFAULT-VALUE}.")
  String prefix;

  @Option(
      names = "--policy",
      defaultValue = "mixed",
      description =
          "Exploration: mixed, random or door (tworooms); mixed, push or random (pusht)."
              + " Default: ${DEFAULT-VALUE}.")
  String policy;

  @Option(
      names = "--violations",
      defaultValue = "0",
      description =
          "Probability per step of a physics violation (labelled in frame metadata"
              + " sim.violation). Default: ${DEFAULT-VALUE}.")
  double violations;

  @Option(
      names = "--balls",
      defaultValue = "0",
      description = "Bouncing balls per world (tworooms only). Default: ${DEFAULT-VALUE}.")
  int balls;

  @Option(names = "--width", defaultValue = "64", description = "Frame width. Default: 64.")
  int width;

  @Option(names = "--height", defaultValue = "64", description = "Frame height. Default: 64.")
  int height;

  @Option(
      names = "--actions",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Publish the exploration actions to foresight.actions (default: yes; --no-actions: no).")
  boolean actions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IngestOptions options = kafka.options();
    WorldSpec world = worldChoice.spec(width, height, balls, violations, null);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                done.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    try (FramePublisher publisher = FramePublisher.create(options)) {
      err.printf(
          "publishing %d simulated %scamera(s) %s-* at %s fps to %s%n",
          streams,
          worldChoice.pushT() ? "Push-T " : "",
          prefix,
          fps == 0 ? "max" : fps,
          options.bootstrapServers());
      err.flush();
      IngestReport r =
          PublishOptions.reporting(
                  SimulatedCameras.builder()
                      .streams(streams)
                      .fps(fps)
                      .seed(seed)
                      .frames(limit != null && limit.frames != null ? limit.frames : 0)
                      .duration(
                          limit != null && limit.seconds != null
                              ? Duration.ofMillis((long) (limit.seconds * 1000))
                              : null)
                      .streamIdPrefix(prefix)
                      .world(world)
                      .policy(policy)
                      .actions(actions),
                  publisher,
                  err,
                  options)
              .build()
              .run(stop::get);
      return Reports.finish(r, out, err);
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already; the hook is running
      }
    }
  }
}
