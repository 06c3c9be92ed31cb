package io.foresight.tools.eval.cli;

import io.foresight.schemas.ModelCard;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every evaluation shares: which model, on which device, and where the report goes. */
final class ModelOptions {
  @Option(names = "--model-dir", description = "Model folder (default: the shipped model)")
  Path modelDir;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu, auto, cuda or cuda:N (${DEFAULT-VALUE})")
  String device;

  @Option(names = "--json", description = "Also write the report to this file")
  Path json;

  /** The model folder: the option, else the shipped model. */
  Path dir() {
    return modelDir != null ? modelDir : ModelCard.shippedDir();
  }
}
