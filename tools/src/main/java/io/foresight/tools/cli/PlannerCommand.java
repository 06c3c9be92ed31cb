package io.foresight.tools.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code foresight planner}: tools for the planner (the landmark graph of subgoals). */
@Command(
    name = "planner",
    mixinStandardHelpOptions = true,
    description = "Planner tools: 'graph' builds the landmark graph used for subgoals.")
public final class PlannerCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }
}
