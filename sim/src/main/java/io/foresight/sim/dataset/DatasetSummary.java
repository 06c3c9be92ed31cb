package io.foresight.sim.dataset;

import java.nio.file.Path;

/**
 * What a {@link DatasetRecorder} wrote.
 *
 * @param dir the output directory
 * @param episodes number of episodes
 * @param steps frames per episode
 * @param frames total frames ({@code episodes * steps})
 * @param bytes total bytes of the {@code .npy} files
 * @param seconds wall-clock time of the recording
 * @param episodesEndingInOtherRoom episodes whose last frame shows the agent in the other room
 * @param teleports number of teleport labels
 * @param vanishes number of vanish labels (onset and reappearance each count)
 * @param throughWalls number of through-wall labels
 * @param violationLabels labels per kind of the world's violations (lower-case kind name to count)
 * @param episodesEndingAtGoal Push-T: episodes whose last frame meets the success criterion for the
 *     episode's goal pose (0 for Two-Rooms)
 */
public record DatasetSummary(
    Path dir,
    int episodes,
    int steps,
    long frames,
    long bytes,
    double seconds,
    int episodesEndingInOtherRoom,
    long teleports,
    long vanishes,
    long throughWalls,
    java.util.Map<String, Long> violationLabels,
    int episodesEndingAtGoal) {

  public DatasetSummary {
    violationLabels = java.util.Map.copyOf(violationLabels);
  }

  /** Frames recorded per second of wall-clock time. */
  public double framesPerSecond() {
    return seconds > 0 ? frames / seconds : 0;
  }

  /** The share of episodes that end in the other room than they started in. */
  public double otherRoomFraction() {
    return episodes == 0 ? 0 : episodesEndingInOtherRoom / (double) episodes;
  }
}
