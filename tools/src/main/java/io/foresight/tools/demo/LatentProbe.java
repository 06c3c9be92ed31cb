package io.foresight.tools.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A linear probe from the model's latents to the agent's position in pixels: {@code [x, y] = W z +
 * b}, and for a Push-T model optionally to the block's position ({@link BlockProbe}). It is how the
 * demo draws what the world model imagines (predicted latents decoded to positions); it is fitted
 * and evaluated on held-out episodes by {@link ProbeFit} and shipped as {@code probe.json} beside
 * the model.
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
 * @param block the probe of the block's centre of mass (Push-T), or null
 * @param encoderSha256 the sha256 of the encoder whose latents it was fitted on, or null (probes
 *     fitted before it was recorded)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LatentProbe(
    int latentDim,
    double[][] weights,
    double[] bias,
    double r2,
    double[] r2Xy,
    double[] rmsePx,
    String fittedOn,
    BlockProbe block,
    String encoderSha256) {

  /** The probe's file name in a model folder. */
  public static final String FILE_NAME = "probe.json";

  public LatentProbe {
    check(latentDim, weights, bias);
    if (block != null) {
      check(latentDim, block.weights(), block.bias());
    }
  }

  /** An agent-position probe without a block part or an encoder hash. */
  public LatentProbe(
      int latentDim,
      double[][] weights,
      double[] bias,
      double r2,
      double[] r2Xy,
      double[] rmsePx,
      String fittedOn) {
    this(latentDim, weights, bias, r2, r2Xy, rmsePx, fittedOn, null, null);
  }

  private static void check(int latentDim, double[][] weights, double[] bias) {
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

  /**
   * The linear probe from latents to the Push-T block's centre of mass in pixels (its angle is not
   * probed: the shipped Push-T encoder does not encode it linearly, R^2 below 0 in its card).
   *
   * @param weights {@code [2][latentDim]}: rows for x and y
   * @param bias x and y offsets
   * @param r2 held-out R^2, x and y pooled
   * @param r2Xy the same for x and y apart
   * @param rmsePx held-out root-mean-square error in pixels for x and y
   */
  public record BlockProbe(
      double[][] weights, double[] bias, double r2, double[] r2Xy, double[] rmsePx) {}

  /**
   * The block's centre {@code [x, y]} in pixels that {@code latent} encodes (needs {@link #block}).
   */
  public double[] decodeBlock(float[] latent) {
    if (block == null) {
      throw new IllegalStateException("this probe has no block part (a Two-Rooms probe)");
    }
    return linear(block.weights(), block.bias(), latent);
  }

  /** The agent position {@code [x, y]} in pixels that {@code latent} encodes. */
  public double[] decode(float[] latent) {
    return linear(weights, bias, latent);
  }

  private double[] linear(double[][] w, double[] b, float[] latent) {
    if (latent.length != latentDim) {
      throw new IllegalArgumentException(
          "latent of " + latent.length + " values for a probe of " + latentDim);
    }
    double[] out = b.clone();
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < latentDim; i++) {
        out[o] += w[o][i] * latent[i];
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
    return "LatentProbe[r2="
        + r2
        + ", rmsePx="
        + Arrays.toString(rmsePx)
        + (block == null ? "" : ", block r2=" + block.r2())
        + "]";
  }
}
