package io.foresight.tools.eval.cli;

import io.foresight.tools.eval.GoldenParity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight eval parity}: the runtime (frame decoder + ONNX Runtime) against the model's
 * golden vectors from PyTorch. Exit code 1 when a difference exceeds the tolerance.
 *
 * <pre>{@code
 * foresight eval parity --model-dir models/two-rooms
 * }</pre>
 */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    description =
        "Check that ONNX Runtime reproduces the model's golden vectors (max abs diff under the"
            + " golden tolerance, 1e-4).")
public class EvalParityCommand implements Callable<Integer> {

  @Option(names = "--model-dir", description = "Model folder (default: the shipped model)")
  Path modelDir;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu, auto, cuda or cuda:N (${DEFAULT-VALUE})")
  String device;

  @Option(names = "--json", description = "Also write the report to this file")
  Path json;

  @Override
  public Integer call() {
    GoldenParity.Report r = GoldenParity.check(EvalCliSupport.modelDir(modelDir), device);
    EvalCliSupport.emit(r.toMap(), json);
    return r.passed() ? 0 : 1;
  }
}
