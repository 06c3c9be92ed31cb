package io.foresight.tools.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.planner.WorldModel;
import io.foresight.runtime.Device;
import io.foresight.runtime.ImageEncoder;
import io.foresight.schemas.ModelCard;
import io.foresight.tools.eval.GoldenParity;
import java.nio.file.Files;
import java.nio.file.Path;
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
          + " and the golden vectors"
    },
    subcommands = {ModelsCommand.Validate.class})
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
      if (json) {
        System.out.println(
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(checks));
      } else {
        for (Check c : checks) {
          System.out.println((c.passed() ? "ok    " : "FAIL  ") + c.check() + ": " + c.detail());
        }
      }
      return checks.stream().allMatch(Check::passed) ? 0 : 3;
    }
  }
}
