package io.foresight.tools.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.planner.WorldModel;
import io.foresight.runtime.Device;
import io.foresight.runtime.ImageEncoder;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.ModelDeployment;
import io.foresight.tools.cli.DurationConverter;
import io.foresight.tools.eval.GoldenParity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code foresight models}: checks on a model directory before the job is pointed at it. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Model directories (a model-card.json with its ONNX files).",
      "  validate  the card, the files' hashes, the ONNX inputs and outputs against the card,"
          + " and the golden vectors",
      "  deploy    validate, then announce the model to the running job (no restart)",
      "  list      the deployments announced, and the models the job's latents name now"
    },
    subcommands = {
      ModelsCommand.Validate.class,
      ModelsCommand.Deploy.class,
      ModelsCommand.ListDeployments.class
    })
public final class ModelsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /**
   * One check of a model directory.
   *
   * @param check what was checked
   * @param passed whether it held
   * @param detail what was found, or what is wrong and how to fix it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Check(String check, boolean passed, String detail) {}

  /**
   * Runs every check that applies, in order; a check whose prerequisite failed is not run.
   *
   * @return the checks, passed or not
   */
  public static List<Check> validate(Path dir) {
    List<Check> out = new ArrayList<>();
    ModelCard[] card = new ModelCard[1];
    if (!run(
        out,
        "model card",
        () -> {
          card[0] = ModelCard.load(dir);
          return card[0].name() + " " + card[0].version() + ", latent " + card[0].latentSize();
        })) {
      return out;
    }
    if (!run(
        out,
        "file hashes",
        () -> {
          card[0].verifyFiles();
          return "sha256 of every file matches the card";
        })) {
      return out;
    }
    run(
        out,
        "encoder contract",
        () -> {
          try (ImageEncoder e =
              ImageEncoder.builder(card[0]).session(s -> s.device(Device.parse("cpu"))).build()) {
            return "input "
                + card[0].input().width()
                + "x"
                + card[0].input().height()
                + "x"
                + card[0].input().channels()
                + " -> latent "
                + card[0].latentSize();
          }
        });
    if (card[0].files().containsKey("predictor")) {
      run(
          out,
          "predictor contract",
          () -> {
            try (WorldModel m = WorldModel.open(dir)) {
              return "(latent "
                  + m.latentDim()
                  + ", action "
                  + m.actionDim()
                  + ") -> latent "
                  + m.latentDim();
            }
          });
    }
    if (Files.exists(dir.resolve("golden/golden.json"))) {
      run(
          out,
          "golden vectors",
          () -> {
            GoldenParity.Report r = GoldenParity.check(dir, "cpu");
            String figures =
                r.count()
                    + " samples, encoder max |diff| "
                    + r.encoderMaxAbsDiff()
                    + ", predictor max |diff| "
                    + r.predictorMaxAbsDiff()
                    + ", tolerance "
                    + r.tolerance();
            if (!r.passed()) {
              throw new IllegalStateException(
                  figures
                      + ": the ONNX files do not reproduce the recipe's outputs; re-export them");
            }
            return figures;
          });
    } else {
      out.add(new Check("golden vectors", true, "none in " + dir.resolve("golden") + ": skipped"));
    }
    return out;
  }

  private static boolean run(List<Check> out, String name, Supplier<String> check) {
    try {
      out.add(new Check(name, true, check.get()));
      return true;
    } catch (RuntimeException e) {
      out.add(new Check(name, false, e.getMessage()));
      return false;
    }
  }

  /** {@code foresight models validate}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Checks a model directory as the job would load it: the card, the files' sha256, the"
            + " encoder's and the predictor's inputs and outputs against the card, and the"
            + " golden vectors (when the directory has golden/).",
        "Exit code 3 when a check fails; each failure says what is wrong and how to fix it."
      })
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The model directory.")
    Path dir;

    @Option(names = "--json", description = "Print the checks as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      List<Check> checks = validate(dir);
      print(checks, json);
      return checks.stream().allMatch(Check::passed) ? 0 : 3;
    }
  }

  private static void print(List<Check> checks, boolean json) throws Exception {
    if (json) {
      System.out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(checks));
    } else {
      for (Check c : checks) {
        System.out.println((c.passed() ? "ok    " : "FAIL  ") + c.check() + ": " + c.detail());
      }
    }
  }

  /** {@code foresight models deploy}. */
  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = {
        "Validates a model directory (every check of `models validate`) and only then announces it"
            + " on the control topic foresight.control. The running job loads it on every subtask"
            + " and switches to it at its next checkpoint, without a restart; a subtask that cannot"
            + " load it keeps its model and says why on foresight.deadletter.",
        "DIR must be readable at the same absolute path by every task manager of the job.",
        "A rollback is a deploy of the older model directory.",
        "A subtask refuses a deployment while the job's checkpoints fail (the newest checkpoint"
            + " aborted, or none completed for three checkpoint intervals): fix checkpointing,"
            + " then deploy again.",
        "With --wait (default 30s) it then watches foresight.deadletter for refusals of this"
            + " deployment and foresight.latents (read_committed) for a latent of the new encoder.",
        "Exit codes: 0 published (and, with --wait, latents of the new model appeared); 3 a check"
            + " failed (nothing published) or a subtask refused the deployment; 4 --wait ran out"
            + " with neither."
      })
  static final class Deploy implements Callable<Integer> {
    /** The exit code when {@code --wait} ran out with neither a refusal nor a new latent. */
    static final int TIMED_OUT = 4;

    @Parameters(paramLabel = "DIR", description = "The model directory.")
    Path dir;

    @Option(
        names = "--bootstrap",
        required = true,
        description = "Kafka bootstrap servers, e.g. localhost:9092.")
    String bootstrap;

    @Option(names = "--json", description = "Print the checks as JSON.")
    boolean json;

    @Option(
        names = "--wait",
        defaultValue = "30s",
        converter = DurationConverter.class,
        description =
            "How long to watch for the outcome after publishing (0s: do not wait; default:"
                + " ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    public Integer call() throws Exception {
      List<Check> checks = validate(dir);
      print(checks, json);
      if (!checks.stream().allMatch(Check::passed)) {
        System.err.println(
            "refused: "
                + dir
                + " failed a check (above); nothing was published. Fix the model and deploy again.");
        return 3;
      }
      var d = Deployments.of(dir);
      if (wait.isZero() || wait.isNegative()) {
        announce(d, Deployments.publish(bootstrap, d));
        return 0;
      }
      try (DeployWatch watch = DeployWatch.start(bootstrap)) {
        announce(d, Deployments.publish(bootstrap, d));
        DeployWatch.Outcome o =
            watch.await(d.getDeploymentId().toString(), d.getEncoderSha256().toString(), wait);
        return report(d.getDeploymentId().toString(), o);
      }
    }

    /** Prints the outcome and returns the exit code. */
    static int report(String id, DeployWatch.Outcome o) {
      String after = String.format(java.util.Locale.ROOT, "%.1f s", o.waited().toMillis() / 1e3);
      switch (o.result()) {
        case SWITCHED -> {
          System.out.println(
              "switched: latents of the new model appear on foresight.latents after "
                  + after
                  + " (first from stream "
                  + o.firstStream()
                  + ")");
          return 0;
        }
        case REFUSED -> {
          System.err.println("refused: deployment " + id + " was refused by the job:");
          for (String r : o.refusals()) {
            System.err.println("  " + r);
          }
          System.err.println(
              "The refusing subtasks keep their model; `foresight models list` shows what runs."
                  + " Fix what the reason says, then deploy again.");
          return 3;
        }
        default -> {
          System.err.println(
              "timed out: after "
                  + after
                  + " neither a refusal of deployment "
                  + id
                  + " on foresight.deadletter nor a latent of the new model on foresight.latents."
                  + " Is the job running, with streams sending frames? Its checkpoints may be slow:"
                  + " a model switches at the next checkpoint and its latents appear when that"
                  + " checkpoint completes. `foresight models list` shows what runs now.");
          return TIMED_OUT;
        }
      }
    }

    private static void announce(ModelDeployment d, long offset) {
      System.out.println(
          "deployed "
              + d.getModelName()
              + " "
              + d.getModelVersion()
              + " (encoder "
              + d.getEncoderSha256()
              + ") as deployment "
              + d.getDeploymentId()
              + " at offset "
              + offset
              + " of foresight.control; the job switches at its next checkpoint");
    }
  }

  /** {@code foresight models list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "The deployments on the control topic, oldest first, with the job's subtasks that refused"
            + " one (dead letters from foresight.control), and what runs: the model named by each"
            + " stream's newest latent on foresight.latents (read_committed), counted by model."
      })
  static final class ListDeployments implements Callable<Integer> {
    @Option(
        names = "--bootstrap",
        required = true,
        description = "Kafka bootstrap servers, e.g. localhost:9092.")
    String bootstrap;

    @Option(
        names = "--tail",
        defaultValue = "10000",
        description =
            "Latents and dead letters read per partition, from the end (default:"
                + " ${DEFAULT-VALUE}).")
    int tail;

    @Override
    public Integer call() {
      var deployments = Deployments.read(bootstrap);
      var refusals = Deployments.refusals(bootstrap, tail);
      System.out.println("deployments (" + deployments.size() + "):");
      for (var d : deployments) {
        System.out.println(
            "  "
                + java.time.Instant.ofEpochMilli(d.getRequestedAtUs() / 1000)
                + "  "
                + d.getModelName()
                + " "
                + d.getModelVersion()
                + "  encoder "
                + d.getEncoderSha256()
                + "  "
                + d.getModelDir()
                + "  id "
                + d.getDeploymentId());
        for (String refusal : refusals.getOrDefault(d.getDeploymentId().toString(), List.of())) {
          System.out.println("      refused by " + refusal);
        }
      }
      var running = Deployments.running(bootstrap, tail);
      System.out.println("running (streams by the model of their newest latent):");
      if (running.isEmpty()) {
        System.out.println("  no latents on foresight.latents yet");
      }
      running.forEach((m, n) -> System.out.println("  " + n + " stream(s)  " + m));
      return 0;
    }
  }
}
