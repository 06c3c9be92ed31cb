package io.foresight.tools.eval.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code foresight eval}: evaluations of the world model in the runtime. Holds {@code prediction},
 * {@code surprise} and {@code parity}; other modules' evaluations (e.g. the planner's {@code
 * planning}) are added to it with {@link CommandLine#addSubcommand}.
 *
 * <pre>{@code
 * CommandLine eval = new CommandLine(new EvalCommand());
 * eval.addSubcommand("planning", new EvalPlanningCommand());
 * }</pre>
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate the world model: prediction, surprise, parity (and planning).",
    subcommands = {EvalPredictionCommand.class, EvalSurpriseCommand.class, EvalParityCommand.class})
public class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }
}
