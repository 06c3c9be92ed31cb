package io.foresight.encoders;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/** Copies of the test model with an edited card, for the model-contract tests. */
final class TestModels {
  private TestModels() {}

  /** Copies the test model (both ONNX files) to {@code dir} and edits its card. */
  static Path withCard(Path dir, Consumer<ObjectNode> edit) {
    try {
      Path src = Fixtures.testModelDir();
      for (String f : new String[] {"encoder.onnx", "encoder-fixed-batch.onnx"}) {
        Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
      ObjectMapper m = new ObjectMapper();
      ObjectNode card = (ObjectNode) m.readTree(src.resolve("model-card.json").toFile());
      edit.accept(card);
      m.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model-card.json").toFile(), card);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode encoderEntry(ObjectNode card) {
    return (ObjectNode) card.get("files").get("encoder");
  }
}
