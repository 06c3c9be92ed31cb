package io.foresight.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.schemas.avro.ModelRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shipped world model's card ({@code model-card.json}): what the encoder expects as input, the
 * latent shape, the action space and the model files with their SHA-256.
 *
 * <p>The input tensor of the encoder is NCHW float32, channels in {@link Input#channelOrder()},
 * each value {@code (pixel / scale - mean[c]) / std[c]}.
 *
 * <pre>{@code
 * ModelCard card = ModelCard.load(ModelCard.shippedDir());
 * Path encoder = card.file("encoder");
 * ModelRef ref = card.modelRef();
 * }</pre>
 *
 * @param name model name, e.g. {@code two-rooms-jepa}
 * @param version model version
 * @param directory the folder that holds the card and the model files
 * @param input what the encoder expects
 * @param latentShape the shape of one latent (without the batch axis)
 * @param action the action space of the predictor
 * @param proprioDim how many proprioception values the predictor takes (0: none)
 * @param files model files by role ({@code encoder}, {@code predictor})
 * @param json the whole card, for fields this record does not model (metrics, training)
 */
public record ModelCard(
    String name,
    String version,
    Path directory,
    Input input,
    int[] latentShape,
    Action action,
    int proprioDim,
    Map<String, ModelFile> files,
    JsonNode json) {

  /** The card's file name inside a model folder. */
  public static final String FILE_NAME = "model-card.json";

  /** The folder of the shipped model, relative to the project root. */
  public static final String SHIPPED_RELATIVE_DIR = "models/two-rooms";

  /**
   * Encoder input.
   *
   * @param name the ONNX input name
   * @param height input height in pixels
   * @param width input width in pixels
   * @param channels 3 for colour, 1 for grey
   * @param channelOrder {@code RGB}, {@code BGR} or {@code GRAY}
   * @param scale pixels are divided by this first (255 for [0, 1])
   * @param mean per-channel mean subtracted after scaling
   * @param std per-channel standard deviation divided by last
   */
  public record Input(
      String name,
      int height,
      int width,
      int channels,
      String channelOrder,
      float scale,
      float[] mean,
      float[] std) {}

  /**
   * The action space.
   *
   * @param dim action dimension
   * @param low lower bound per dimension
   * @param high upper bound per dimension
   */
  public record Action(int dim, float[] low, float[] high) {}

  /**
   * One model file.
   *
   * @param path path relative to the card's folder
   * @param sha256 hex SHA-256 of the file
   * @param inputs ONNX input names in order
   * @param outputs ONNX output names in order
   */
  public record ModelFile(String path, String sha256, List<String> inputs, List<String> outputs) {}

  /** The number of floats in one latent. */
  public int latentSize() {
    int n = 1;
    for (int d : latentShape) {
      n *= d;
    }
    return n;
  }

  /** The absolute path of a model file by role, e.g. {@code encoder}. */
  public Path file(String role) {
    return directory.resolve(fileInfo(role).path());
  }

  /** A model file's entry by role. */
  public ModelFile fileInfo(String role) {
    ModelFile f = files.get(role);
    if (f == null) {
      throw new ContractException(
          "model card "
              + directory.resolve(FILE_NAME)
              + " has no file for role '"
              + role
              + "'; it lists "
              + files.keySet());
    }
    return f;
  }

  /** The model reference that every latent of this model carries (sha256 of the encoder file). */
  public ModelRef modelRef() {
    return new ModelRef(name, version, fileInfo("encoder").sha256());
  }

  /**
   * Checks that every model file exists and has the SHA-256 the card gives.
   *
   * @throws ContractException naming the file whose hash differs
   */
  public ModelCard verifyFiles() {
    for (Map.Entry<String, ModelFile> e : files.entrySet()) {
      Path p = directory.resolve(e.getValue().path());
      String actual = sha256(p);
      if (!actual.equalsIgnoreCase(e.getValue().sha256())) {
        throw new ContractException(
            "model file "
                + p
                + " has sha256 "
                + actual
                + " but the card says "
                + e.getValue().sha256()
                + "; the file and the card do not belong together (re-export the model or fix"
                + " the card)");
      }
    }
    return this;
  }

  /** Loads {@code model-card.json} from a model folder. */
  public static ModelCard load(Path directory) {
    Path cardFile = directory.resolve(FILE_NAME);
    if (!Files.isRegularFile(cardFile)) {
      throw new ContractException(
          "no model card at "
              + cardFile.toAbsolutePath()
              + "; point the model directory option at a folder with "
              + FILE_NAME);
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(cardFile.toFile());
    } catch (IOException e) {
      throw new ContractException(
          "Error reading model card " + cardFile + ": " + e.getMessage(), e);
    }
    try {
      JsonNode in = required(root, "input", cardFile);
      int channels = required(in, "channels", cardFile).asInt();
      Input input =
          new Input(
              in.path("name").asText("frames"),
              required(in, "height", cardFile).asInt(),
              required(in, "width", cardFile).asInt(),
              channels,
              in.path("channel_order").asText(channels == 1 ? "GRAY" : "RGB"),
              (float) in.path("scale").asDouble(255.0),
              floats(in.get("mean"), channels, 0f),
              floats(in.get("std"), channels, 1f));
      JsonNode latent = required(root, "latent", cardFile);
      JsonNode shapeNode = required(latent, "shape", cardFile);
      int[] shape = new int[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asInt();
      }
      JsonNode act = required(root, "action", cardFile);
      int dim = required(act, "dim", cardFile).asInt();
      Action action =
          new Action(dim, floats(act.get("low"), dim, -1f), floats(act.get("high"), dim, 1f));
      Map<String, ModelFile> files = new LinkedHashMap<>();
      required(root, "files", cardFile)
          .fields()
          .forEachRemaining(
              e ->
                  files.put(
                      e.getKey(),
                      new ModelFile(
                          e.getValue().path("path").asText(),
                          e.getValue().path("sha256").asText(),
                          strings(e.getValue().get("inputs")),
                          strings(e.getValue().get("outputs")))));
      return new ModelCard(
          required(root, "name", cardFile).asText(),
          root.path("version").asText("0"),
          directory.toAbsolutePath(),
          input,
          shape,
          action,
          root.path("proprio").path("dim").asInt(0),
          Map.copyOf(files),
          root);
    } catch (RuntimeException e) {
      if (e instanceof ContractException) {
        throw e;
      }
      throw new ContractException("model card " + cardFile + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * The shipped model's folder: {@code $FORESIGHT_HOME/models/two-rooms} (system property {@code
   * foresight.home} or environment variable {@code FORESIGHT_HOME}), else the first {@code
   * models/two-rooms} found walking up from the working directory.
   */
  public static Path shippedDir() {
    String home = System.getProperty("foresight.home", System.getenv("FORESIGHT_HOME"));
    if (home != null && !home.isBlank()) {
      return Path.of(home).resolve(SHIPPED_RELATIVE_DIR).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(SHIPPED_RELATIVE_DIR);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new ContractException(
        "cannot find the shipped model folder "
            + SHIPPED_RELATIVE_DIR
            + " above "
            + Path.of("").toAbsolutePath()
            + "; set FORESIGHT_HOME to the project root or pass the model directory explicitly");
  }

  /** Hex SHA-256 of a file. */
  public static String sha256(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new ContractException("Error hashing model file " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode required(JsonNode node, String field, Path cardFile) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new ContractException("model card " + cardFile + " lacks the field '" + field + "'");
    }
    return v;
  }

  private static float[] floats(JsonNode node, int n, float fill) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      if (node == null || node.isNull()) {
        out[i] = fill;
      } else if (node.isArray()) {
        out[i] = (float) node.get(node.size() == 1 ? 0 : i).asDouble();
      } else {
        out[i] = (float) node.asDouble();
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null) {
      node.forEach(n -> out.add(n.asText()));
    }
    return List.copyOf(out);
  }
}
