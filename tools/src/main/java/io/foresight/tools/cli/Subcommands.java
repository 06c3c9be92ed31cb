package io.foresight.tools.cli;

import io.foresight.tools.encoder.BenchEncoderCommand;
import io.foresight.tools.eval.cli.EvalCommand;
import io.foresight.tools.ingest.DatasetCommand;
import io.foresight.tools.ingest.IngestCommand;
import io.foresight.tools.ingest.RobotCommand;
import io.foresight.tools.planner.BenchPlannerCommand;
import io.foresight.tools.planner.BuildGraphCommand;
import io.foresight.tools.planner.EvalPlanningCommand;
import picocli.CommandLine;

/** Registers the subcommands that other modules provide, grouped under their parent commands. */
final class Subcommands {
  private Subcommands() {}

  static void register(CommandLine cl) {
    cl.addSubcommand("ingest", new IngestCommand());
    cl.addSubcommand("robot", new RobotCommand());
    CommandLine dataset = new CommandLine(new DatasetCommand());
    dataset.addSubcommand("export", new io.foresight.tools.dataset.DatasetExportCommand());
    cl.addSubcommand("dataset", dataset);
    CommandLine eval = new CommandLine(new EvalCommand());
    eval.addSubcommand("planning", new EvalPlanningCommand());
    cl.addSubcommand("eval", eval);
    CommandLine bench = new CommandLine(new BenchCommand());
    bench.addSubcommand("encoder", new BenchEncoderCommand());
    bench.addSubcommand("planner", new BenchPlannerCommand());
    bench.addSubcommand("memory", new BenchCommand.Memory());
    cl.addSubcommand("bench", bench);
    CommandLine planner = new CommandLine(new PlannerCommand());
    planner.addSubcommand("graph", new BuildGraphCommand());
    cl.addSubcommand("planner", planner);
    cl.addSubcommand("help", new CommandLine.HelpCommand());
  }
}
