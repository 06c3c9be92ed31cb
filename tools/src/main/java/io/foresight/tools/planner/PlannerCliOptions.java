package io.foresight.tools.planner;

import io.foresight.planner.PlannerOptions;
import io.foresight.schemas.config.ConfigBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Command-line options shared by the planner's commands: the model and any planner option. */
public class PlannerCliOptions {

  @Option(
      names = "--model-dir",
      description = "Model folder with model-card.json (default: the shipped models/two-rooms)")
  Path modelDir;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "ONNX Runtime intra-op threads of predictor and encoder (${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = {"-P", "--planner-option"},
      paramLabel = "KEY=VALUE",
      description = "Any planner option, e.g. -P planner.samples=256 (see PlannerOptions)")
  Map<String, String> extra = new LinkedHashMap<>();

  /** The options: defaults, then the environment (PLANNER_*), then these flags. */
  PlannerOptions toOptions(Map<String, String> overrides) {
    ConfigBuilder<PlannerOptions> b = PlannerOptions.fromEnvironment(System.getenv()).toBuilder();
    b.set(PlannerOptions.THREADS, threads);
    if (modelDir != null) {
      b.set(PlannerOptions.MODEL_DIR, Optional.of(modelDir.toAbsolutePath()));
    }
    overrides.forEach(b::set);
    extra.forEach(b::set);
    return b.build();
  }
}
