package io.foresight.tools.eval.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.pipeline.PipelineException;
import io.foresight.schemas.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Output shared by the eval commands. */
final class EvalCliSupport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EvalCliSupport() {}

  /** Prints the report as JSON and writes it to {@code file} when given. */
  static void emit(Map<String, Object> report, Path file) {
    try {
      String text = JSON.writeValueAsString(report);
      System.out.println(text);
      if (file != null) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(file, text + System.lineSeparator());
      }
    } catch (IOException e) {
      throw new PipelineException("Error writing the report to " + file + ": " + e, e);
    }
  }

  /** Warns when the evaluation seed is the seed the model's training data was recorded with. */
  static void warnIfTrainingSeed(Path modelDir, long seed) {
    ModelCard card = ModelCard.load(modelDir);
    var s = card.json().path("training").path("data").path("manifest").path("seed");
    if (s.isNumber() && s.asLong() == seed) {
      System.err.println(
          "warning: seed "
              + seed
              + " is the seed of the model's training data; use another seed for a held-out"
              + " evaluation");
    }
  }
}
