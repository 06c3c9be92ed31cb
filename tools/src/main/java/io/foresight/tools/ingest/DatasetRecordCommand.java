package io.foresight.tools.ingest;

import io.foresight.sim.dataset.DatasetRecorder;
import io.foresight.sim.dataset.DatasetSummary;
import io.foresight.sim.world.WorldSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foresight dataset record}: writes Two-Rooms or Push-T episodes as NumPy files plus a
 * manifest.
 */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = {
      "Record episodes of the Two-Rooms world to NumPy files (frames.npy uint8 [E,T,H,W,3],"
          + " actions.npy, positions.npy float32 [E,T,2], doors.npy float32 [E,2], violations.npy"
          + " int8 [E,T]) and manifest.json.",
      "With --world pusht: frames.npy, actions.npy, positions.npy, block.npy float32 [E,T,3]"
          + " (x, y, angle), goals.npy float32 [E,3], contacts.npy int8 [E,T], violations.npy"
          + " (codes 4-6); see docs/pusht.md.",
      "Action t is applied after frame t and produces frame t+1."
    })
public final class DatasetRecordCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin WorldChoice worldChoice = new WorldChoice();

  @Option(names = "--episodes", required = true, description = "Number of episodes (E).")
  int episodes;

  @Option(
      names = "--steps",
      defaultValue = "40",
      description = "Frames per episode (T). Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--out", required = true, description = "Output directory (created if missing).")
  Path out;

  @Option(
      names = "--policy",
      defaultValue = "mixed",
      description =
          "Exploration policy. tworooms: mixed (40%% steered through the door, 60%% random walk),"
              + " random or door; pusht: mixed (70%% noisy scripted pushes to the episode's goal,"
              + " 30%% random walk), push or random. Default: ${DEFAULT-VALUE}.")
  String policy;

  @Option(
      names = "--violations",
      defaultValue = "0",
      description =
          "Probability per step of injecting a physics violation (0 = clean training data)."
              + " Default: ${DEFAULT-VALUE}.")
  double violations;

  @Option(
      names = "--violation-kinds",
      split = ",",
      description =
          "Kinds to inject: TELEPORT, VANISH, THROUGH_WALL (tworooms); BLOCK_TELEPORT,"
              + " BLOCK_SPIN, BLOCK_THROUGH_AGENT (pusht). Default: all of the world's.")
  Set<String> violationKinds;

  @Option(
      names = "--width",
      defaultValue = "64",
      description = "Frame width. Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(
      names = "--height",
      defaultValue = "64",
      description = "Frame height. Default: ${DEFAULT-VALUE}.")
  int height;

  @Option(
      names = "--balls",
      defaultValue = "0",
      description =
          "Bouncing balls the agent does not control (tworooms only). Default: ${DEFAULT-VALUE}.")
  int balls;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outw = spec.commandLine().getOut();
    WorldSpec world = worldChoice.spec(width, height, balls, violations, violationKinds);
    long bytes = (long) episodes * steps * world.frameBytes();
    err.printf(
        "recording %d %sepisodes x %d steps (%d frames, %.1f MB of frames) to %s, policy %s,"
            + " violations %.4f/step%n",
        episodes,
        worldChoice.pushT() ? "Push-T " : "",
        steps,
        (long) episodes * steps,
        bytes / 1e6,
        out,
        policy,
        violations);
    err.flush();
    DatasetSummary s =
        DatasetRecorder.builder()
            .world(world)
            .episodes(episodes)
            .steps(steps)
            .seed(seed)
            .policy(policy)
            .out(out)
            .progress(
                p -> {
                  err.printf(
                      "  %d/%d episodes, %d frames, %.1f s, %.0f frames/s%n",
                      p.episodesDone(),
                      p.episodes(),
                      p.frames(),
                      p.seconds(),
                      p.seconds() > 0 ? p.frames() / p.seconds() : 0);
                  err.flush();
                })
            .build()
            .record();
    outw.printf(
        "wrote %d frames (%d episodes x %d steps), %.1f MB, in %.2f s (%.0f frames/s) to %s%n",
        s.frames(),
        s.episodes(),
        s.steps(),
        s.bytes() / 1e6,
        s.seconds(),
        s.framesPerSecond(),
        s.dir());
    if (worldChoice.pushT()) {
      outw.printf(
          "episodes ending at their goal: %d (%.1f%%); violation labels: %s%n",
          s.episodesEndingAtGoal(),
          100.0 * s.episodesEndingAtGoal() / s.episodes(),
          s.violationLabels());
    } else {
      outw.printf(
          "episodes ending in the other room: %d (%.1f%%); violation labels: teleport %d, vanish"
              + " %d, through-wall %d%n",
          s.episodesEndingInOtherRoom(),
          100 * s.otherRoomFraction(),
          s.teleports(),
          s.vanishes(),
          s.throughWalls());
    }
    outw.flush();
    return 0;
  }
}
