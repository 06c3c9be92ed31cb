package io.foresight.tools.eval.cli;

import io.foresight.tools.eval.EvalBuilder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every evaluation shares: which model, on which device, and where the report goes. */
final class ModelOptions {
  @Option(
      names = "--model-dir",
      description =
          "Model folder (default: the shipped model of --world: models/two-rooms or"
              + " models/push-t)")
  Path modelDir;

  @Option(
      names = "--world",
      description =
          "The simulated world to evaluate in: tworooms or pusht (default: the world the model"
              + " card names, else tworooms)")
  String world;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu, auto, cuda or cuda:N (${DEFAULT-VALUE})")
  String device;

  @Option(names = "--json", description = "Also write the report to this file")
  Path json;

  /** The model folder: the option, else the shipped model of the world. */
  Path dir() {
    return modelDir != null ? modelDir : EvalBuilder.shippedDir(world);
  }
}
