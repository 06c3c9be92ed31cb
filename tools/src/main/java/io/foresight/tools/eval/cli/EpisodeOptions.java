package io.foresight.tools.eval.cli;

import picocli.CommandLine.Option;

/** The episodes an evaluation of the world model runs (the seed is each evaluation's own). */
final class EpisodeOptions {
  @Option(names = "--episodes", defaultValue = "200", description = "Episodes (${DEFAULT-VALUE})")
  int episodes;

  @Option(
      names = "--steps",
      defaultValue = "40",
      description = "Frames per episode (${DEFAULT-VALUE})")
  int steps;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime threads, 0 = its default (${DEFAULT-VALUE})")
  int threads;
}
