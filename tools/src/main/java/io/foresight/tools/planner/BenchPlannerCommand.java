package io.foresight.tools.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.schemas.ModelCard;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight bench planner}: plans per second and latency of CEM and MPPI at several sample
 * counts, FLOPs per plan against a matrix-multiply rate measured in the same run, and the same CEM
 * in plain PyTorch on the same predictor weights ({@code models/bench/cem_torch.py}).
 *
 * <pre>{@code
 * foresight bench planner --threads 2 --json bench-planner.json
 * }</pre>
 */
@Command(
    name = "planner",
    mixinStandardHelpOptions = true,
    description =
        "CEM and MPPI plans/s and latency at several sample counts, FLOP rate vs a measured"
            + " matmul rate, and the same CEM in PyTorch.")
public class BenchPlannerCommand implements Callable<Integer> {

  @Option(names = "--json", description = "Write the report to this file")
  Path json;

  @Option(
      names = "--model-dir",
      description = "Model folder with model-card.json (default: the shipped models/two-rooms)")
  Path modelDir;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "ONNX Runtime and PyTorch threads (${DEFAULT-VALUE}, as the planner's default)")
  int threads;

  @Option(
      names = "--samples",
      split = ",",
      defaultValue = "64,128,256,512",
      description = "Sample counts (${DEFAULT-VALUE})")
  int[] samples;

  @Option(names = "--horizon", defaultValue = "5", description = "Horizon (${DEFAULT-VALUE})")
  int horizon;

  @Option(
      names = "--iterations",
      defaultValue = "3",
      description = "Iterations per plan (${DEFAULT-VALUE})")
  int iterations;

  @Option(
      names = "--plans",
      defaultValue = "300",
      description = "Measured plans per configuration, in three blocks (${DEFAULT-VALUE})")
  int plans;

  @Option(
      names = "--torch",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Run the PyTorch CEM baseline (default: on)")
  boolean torch;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "Python with torch and onnx (${DEFAULT-VALUE})")
  String python;

  @Option(
      names = "--torch-script",
      description = "The baseline script (default: models/bench/cem_torch.py of the project)")
  Path torchScript;

  @Option(
      names = "--torch-plans",
      defaultValue = "21",
      description = "Plans the PyTorch baseline times, in three blocks (${DEFAULT-VALUE})")
  int torchPlans;

  @Option(
      names = "--together",
      split = ",",
      defaultValue = "1,2,4,8",
      description =
          "Requests CEM searches together (one predictor batch per step for all), at the first"
              + " sample count: cost per plan against one at a time (${DEFAULT-VALUE}; 0: skip)")
  int[] together;

  @Override
  public Integer call() throws Exception {
    Path dir = modelDir != null ? modelDir : ModelCard.shippedDir();
    Path script = torchScript;
    if (script == null) {
      Path shipped = ModelCard.shippedDir();
      script = shipped.getParent().resolve("bench").resolve("cem_torch.py");
    }
    Map<String, Object> report =
        PlannerBenchmark.run(
            new PlannerBenchmark.Settings(
                dir,
                threads,
                samples,
                horizon,
                iterations,
                plans,
                torch,
                python,
                script,
                torchPlans,
                java.util.Arrays.stream(together).filter(k -> k > 0).toArray()),
            System.err::println);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    System.out.println(mapper.writeValueAsString(report));
    if (json != null) {
      mapper.writeValue(json.toFile(), report);
    }
    return 0;
  }
}
