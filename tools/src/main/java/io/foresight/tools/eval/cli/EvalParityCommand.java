package io.foresight.tools.eval.cli;

import io.foresight.tools.eval.GoldenParity;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
  @Mixin ModelOptions model = new ModelOptions();

  @Override
  public Integer call() {
    GoldenParity.Report r = GoldenParity.check(model.dir(), model.device);
    EvalCliSupport.emit(r.toMap(), model.json);
    return r.passed() ? 0 : 1;
  }
}
