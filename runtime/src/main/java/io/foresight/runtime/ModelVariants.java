package io.foresight.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foresight.schemas.ModelCard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Second models for deployment tests and for {@code foresight bench streams --deploy-at}, made from
 * a model directory without Python: a copy, or a copy whose encoder file is re-exported with
 * another doc string (the same network, so the same outputs and golden vectors, but another sha256
 * and so another latent space by name).
 *
 * <pre>{@code
 * Path b = ModelVariants.redocumented(ModelCard.shippedDir(), tmp.resolve("b"), "2-redoc", "again");
 * }</pre>
 */
public final class ModelVariants {
  private ModelVariants() {}

  /** Copies a model directory (its files and subfolders) to {@code to}. */
  public static Path copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A copy of {@code from} in {@code to} whose encoder.onnx carries the doc string {@code doc}
   * (ONNX ModelProto field 6, appended: the last occurrence of a protobuf field wins) and whose
   * card has {@code version} and the new file's sha256.
   */
  public static Path redocumented(Path from, Path to, String version, String doc) {
    copy(from, to);
    try {
      ModelCard card = ModelCard.load(to);
      Path encoder = card.file("encoder");
      byte[] text = doc.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream field = new ByteArrayOutputStream();
      field.write(0x32); // field 6, length-delimited
      int n = text.length;
      while (n >= 0x80) {
        field.write((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      field.write(n);
      field.write(text);
      Files.write(encoder, field.toByteArray(), StandardOpenOption.APPEND);
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Path cardFile = to.resolve(ModelCard.FILE_NAME);
      ObjectNode root = (ObjectNode) json.readTree(cardFile.toFile());
      root.put("version", version);
      ((ObjectNode) root.path("files").path("encoder")).put("sha256", ModelCard.sha256(encoder));
      json.writeValue(cardFile.toFile(), root);
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
