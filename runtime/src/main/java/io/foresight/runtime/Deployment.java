package io.foresight.runtime;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.ModelDeployment;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model announced to the running job on {@code foresight.control}, as the job's operators see it
 * (the Avro {@link ModelDeployment} stays at the Kafka edge). {@link #verify()} is the check every
 * operator runs before it loads the model: the directory, its card, the files' sha256 and the
 * announced hashes.
 *
 * <pre>{@code
 * Deployment d = Deployment.of(avro, 0, 17);
 * ModelCard card = d.verify(); // or a ModelRuntimeException that says what is wrong
 * }</pre>
 *
 * @param id the deployment id
 * @param dir the model directory (absolute)
 * @param name the model's name
 * @param version the model's version
 * @param encoderSha256 hex SHA-256 of the encoder file: the latent space
 * @param predictorSha256 hex SHA-256 of the predictor file, or null for an encoder-only model
 * @param requestedAtUs when the deployment was requested (epoch microseconds)
 * @param sourcePartition partition of the control record (-1 when not from Kafka)
 * @param sourceOffset offset of the control record (-1 when not from Kafka)
 */
public record Deployment(
    String id,
    String dir,
    String name,
    String version,
    String encoderSha256,
    String predictorSha256,
    long requestedAtUs,
    int sourcePartition,
    long sourceOffset)
    implements Serializable {

  public Deployment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(encoderSha256, "encoderSha256");
    name = name == null ? "" : name;
    version = version == null ? "" : version;
  }

  /** The job's view of a control record. */
  public static Deployment of(ModelDeployment d, int partition, long offset) {
    return new Deployment(
        d.getDeploymentId().toString(),
        d.getModelDir().toString(),
        d.getModelName().toString(),
        d.getModelVersion().toString(),
        d.getEncoderSha256().toString(),
        d.getPredictorSha256() == null ? null : d.getPredictorSha256().toString(),
        d.getRequestedAtUs(),
        partition,
        offset);
  }

  /** The model directory. */
  public Path path() {
    return Path.of(dir);
  }

  /** {@code name version (encoder abcdef012345)}, for messages. */
  public String describe() {
    return name
        + " "
        + version
        + " (encoder "
        + encoderSha256.substring(0, Math.min(12, encoderSha256.length()))
        + ", deployment "
        + id
        + ", "
        + dir
        + ")";
  }

  /**
   * Checks the announced model as this process sees it: the directory exists, its card loads, the
   * card names the announced encoder (and predictor), and every file has the card's sha256.
   *
   * @return the model's card
   * @throws ModelRuntimeException saying what is wrong and how to fix it
   */
  public ModelCard verify() {
    Path p = path();
    if (!Files.isDirectory(p)) {
      throw new ModelRuntimeException(
          "deployment "
              + id
              + ": model directory "
              + dir
              + " does not exist on this task manager; every task manager must see the model at"
              + " the same absolute path (a shared volume), then deploy again");
    }
    ModelCard card;
    try {
      card = ModelCard.load(p);
      for (String role : card.files().keySet()) {
        if (!Files.isRegularFile(card.file(role))) {
          throw new ModelRuntimeException(
              "the card names "
                  + card.file(role)
                  + " ("
                  + role
                  + ") but the file is missing; copy the whole model directory, then deploy again");
        }
      }
      card.verifyFiles();
    } catch (RuntimeException e) {
      throw new ModelRuntimeException("deployment " + id + ": " + e.getMessage(), e);
    }
    String encoder = card.fileInfo("encoder").sha256();
    if (!encoder.equalsIgnoreCase(encoderSha256)) {
      throw new ModelRuntimeException(
          "deployment "
              + id
              + " announced encoder sha256 "
              + encoderSha256
              + " but "
              + dir
              + " holds encoder "
              + encoder
              + "; the directory changed after the deploy: deploy it again");
    }
    if (predictorSha256 != null) {
      if (!card.files().containsKey("predictor")) {
        throw new ModelRuntimeException(
            "deployment " + id + " announced a predictor but " + dir + " has none");
      }
      String predictor = card.fileInfo("predictor").sha256();
      if (!predictor.equalsIgnoreCase(predictorSha256)) {
        throw new ModelRuntimeException(
            "deployment "
                + id
                + " announced predictor sha256 "
                + predictorSha256
                + " but "
                + dir
                + " holds predictor "
                + predictor
                + "; the directory changed after the deploy: deploy it again");
      }
    }
    return card;
  }
}
