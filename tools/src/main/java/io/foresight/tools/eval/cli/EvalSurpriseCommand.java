package io.foresight.tools.eval.cli;

import io.foresight.tools.eval.SurpriseEval;
import io.foresight.tools.eval.SurpriseReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight eval surprise}: does the surprise score single out injected violations of
 * physics? AUROC over frames, and pairwise accuracy of each violation clip against the same clip
 * without the violation.
 *
 * <pre>{@code
 * foresight eval surprise --episodes 200 --seed 2001 --json surprise.json
 * }</pre>
 */
@Command(
    name = "surprise",
    mixinStandardHelpOptions = true,
    description =
        "Surprise (distance between predicted and encoded latent) on episodes with injected"
            + " violations: auroc, pairwise_accuracy against the same clips without them.")
public class EvalSurpriseCommand implements Callable<Integer> {

  @Option(names = "--episodes", defaultValue = "200", description = "Episodes (${DEFAULT-VALUE})")
  int episodes;

  @Option(
      names = "--seed",
      defaultValue = "2001",
      description = "Episode seed, not the training seed (${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--steps",
      defaultValue = "40",
      description = "Frames per episode (${DEFAULT-VALUE})")
  int steps;

  @Option(
      names = "--violations",
      defaultValue = "0.03",
      description = "Probability per step of injecting a violation (${DEFAULT-VALUE})")
  double violations;

  @Option(
      names = "--clip",
      defaultValue = "5",
      description = "Frames per clip of the pairwise test (${DEFAULT-VALUE})")
  int clip;

  @Option(names = "--json", description = "Also write the report to this file")
  Path json;

  @Option(names = "--model-dir", description = "Model folder (default: the shipped model)")
  Path modelDir;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu, auto, cuda or cuda:N (${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime threads, 0 = its default (${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = "--check",
      description =
          "Exit with code 3 when a figure misses its target (the threshold below; its default is"
              + " the documented target of docs/benchmarks.md)")
  boolean check;

  @Option(
      names = "--min-auroc",
      defaultValue = "0.98",
      description = "--check: least auroc (${DEFAULT-VALUE})")
  double minAuroc;

  @Override
  public Integer call() {
    Path dir = EvalCliSupport.modelDir(modelDir);
    EvalCliSupport.warnIfTrainingSeed(dir, seed);
    SurpriseReport r =
        SurpriseEval.builder()
            .modelDir(dir)
            .episodes(episodes)
            .seed(seed)
            .steps(steps)
            .violationRate(violations)
            .clip(clip)
            .device(device)
            .threads(threads)
            .build()
            .run();
    Map<String, Object> report = r.toMap();
    EvalCliSupport.emit(report, json);
    if (!check) {
      return 0;
    }
    return new Checks(System.err).atLeast("auroc", report.get("auroc"), minAuroc).exitCode();
  }
}
