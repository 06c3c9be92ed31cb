package io.foresight.planner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A stand-alone entry point to the planner's commands, for running them from this module's
 * classpath; the {@code foresight} launcher registers the same command classes.
 *
 * <pre>{@code
 * java -cp "planner/target/classes:$(cat planner/target/classpath.txt)" \
 *     io.foresight.planner.cli.PlannerMain planning --episodes 20
 * }</pre>
 */
@Command(
    name = "foresight-planner",
    mixinStandardHelpOptions = true,
    description = "The planner's commands.",
    subcommands = {EvalPlanningCommand.class, BenchPlannerCommand.class, BuildGraphCommand.class})
public class PlannerMain implements Callable<Integer> {

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** Runs a command; exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new PlannerMain()).execute(args));
  }
}
