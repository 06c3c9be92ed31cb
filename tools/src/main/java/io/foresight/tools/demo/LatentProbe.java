package io.foresight.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A linear probe from the model's latents to the agent's position in pixels: {@code [x, y] = W z +
 * b}. It is how the demo draws what the world model imagines (predicted latents decoded to
 * positions); it is fitted and evaluated on held-out episodes by {@link ProbeFit} and shipped as
 * {@code probe.json} beside the model.
 *
 * <pre>{@code
 * LatentProbe probe = LatentProbe.load(modelDir);   // null when the model has none
 * double[] xy = probe.decode(latent);
 * }</pre>
 *
 * @param latentDim the latent's length
 * @param weights {@code [2][latentDim]}: rows for x and y
 * @param bias x and y offsets
 * @param r2 coefficient of determination on held-out frames, x and y pooled
 * @param r2Xy the same for x and y apart
 * @param rmsePx root-mean-square error in pixels for x and y on held-out frames
 * @param fittedOn how and on what it was fitted
 */
public record LatentProbe(
    int latentDim,
    double[][] weights,
    double[] bias,
    double r2,
    double[] r2Xy,
    double[] rmsePx,
    String fittedOn) {

  /** The probe's file name in a model folder. */
  public static final String FILE_NAME = "probe.json";

  public LatentProbe {
    if (weights.length != 2 || bias.length != 2) {
      throw new IllegalArgumentException("a position probe has 2 outputs (x, y)");
    }
    for (double[] row : weights) {
      if (row.length != latentDim) {
        throw new IllegalArgumentException(
            "probe weights have " + row.length + " columns for latents of " + latentDim);
      }
    }
  }

  /** The agent position {@code [x, y]} in pixels that {@code latent} encodes. */
  public double[] decode(float[] latent) {
    if (latent.length != latentDim) {
      throw new IllegalArgumentException(
          "latent of " + latent.length + " values for a probe of " + latentDim);
    }
    double[] out = bias.clone();
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < latentDim; i++) {
        out[o] += weights[o][i] * latent[i];
      }
    }
    return out;
  }

  /** The probe in {@code modelDir}, or null if it has none. */
  public static LatentProbe load(Path modelDir) {
    Path file = modelDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return new ObjectMapper().readValue(file.toFile(), LatentProbe.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Error reading the latent probe " + file + "; refit it with models/recipe/fit_probe.sh",
          e);
    }
  }

  /** Writes this probe as {@code probe.json} into {@code modelDir}; returns the file. */
  public Path write(Path modelDir) {
    Path file = modelDir.resolve(FILE_NAME);
    try {
      Files.writeString(
          file,
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this)
              + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Error writing the latent probe " + file, e);
    }
    return file;
  }

  @Override
  public String toString() {
    return "LatentProbe[r2=" + r2 + ", rmsePx=" + Arrays.toString(rmsePx) + "]";
  }
}
