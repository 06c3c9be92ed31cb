package io.foresight.tools.demo;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foresight.runtime.Device;
import io.foresight.runtime.ImageEncoder;
import io.foresight.schemas.ModelCard;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.pusht.PushTWorld;
import io.foresight.sim.world.ExplorationPolicy;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fits the {@link LatentProbe} of a Two-Rooms model ({@link #fitPushT}: of a Push-T model):
 * episodes of the simulated world (the recipe's mixed exploration policy, no violations), every
 * frame encoded by the model's encoder, a ridge regression from latents to the agent's position on
 * 80% of the episodes, R^2 and RMSE on the other 20%. Run by {@code models/recipe/fit_probe.sh}
 * ({@code foresight demo fit-probe}).
 */
public final class ProbeFit {
  private static final double RIDGE = 1e-3;

  private ProbeFit() {}

  /** Fits, evaluates and returns the probe of the model in {@code modelDir}. */
  public static LatentProbe fit(Path modelDir, int episodes, int steps, long seed) {
    ModelCard card = ModelCard.load(modelDir);
    WorldConfig cfg = WorldConfig.builder().violationRate(0).build();
    TwoRoomsWorld world = new TwoRoomsWorld(cfg, seed);
    ExplorationPolicy policy = ExplorationPolicy.mixed();
    Random rng = new Random(seed);
    int w = cfg.width();
    int h = cfg.height();
    List<float[]> trainZ = new ArrayList<>();
    List<float[]> trainY = new ArrayList<>();
    List<float[]> testZ = new ArrayList<>();
    List<float[]> testY = new ArrayList<>();
    try (ImageEncoder enc =
        ImageEncoder.builder(card).maxBatch(64).session(s -> s.device(Device.CPU)).build()) {
      int d = enc.latentSize();
      for (int e = 0; e < episodes; e++) {
        world.reset(rng.nextLong());
        policy.reset(world, rng);
        List<byte[]> frames = new ArrayList<>();
        List<float[]> pos = new ArrayList<>();
        float[] a = new float[2];
        for (int t = 0; t <= steps; t++) {
          byte[] rgb = new byte[cfg.frameBytes()];
          world.render(rgb);
          frames.add(rgb);
          pos.add(new float[] {world.agentX(), world.agentY()});
          policy.act(world, a);
          world.step(a[0], a[1]);
        }
        boolean test = e % 5 == 4;
        (test ? testZ : trainZ).addAll(encode(enc, frames, w, h, d));
        (test ? testY : trainY).addAll(pos);
      }
      Fit agent = Fit.of(trainZ, trainY, testZ, testY, d);
      String on =
          String.format(
              Locale.ROOT,
              "ridge regression (lambda %.0e) from %s %s latents to the agent's x, y in pixels:"
                  + " %d episodes of %d steps of the simulated Two-Rooms world (mixed exploration,"
                  + " seed %d), fitted on %d frames, evaluated on %d frames of held-out episodes",
              RIDGE,
              card.name(),
              card.version(),
              episodes,
              steps,
              seed,
              trainZ.size(),
              testZ.size());
      return new LatentProbe(
          d,
          agent.weights(),
          agent.bias(),
          agent.r2(),
          agent.r2Xy(),
          agent.rmse(),
          on,
          null,
          card.fileInfo("encoder").sha256());
    }
  }

  /**
   * Fits, evaluates and returns the probe of a Push-T model: latents to the agent's position and to
   * the block's centre of mass, on episodes of the Push-T world (its mixed policy: scripted pushes
   * and random walks, so the block moves; no violations), one in five held out.
   */
  public static LatentProbe fitPushT(Path modelDir, int episodes, int steps, long seed) {
    ModelCard card = ModelCard.load(modelDir);
    PushTConfig cfg =
        PushTConfig.builder().size(card.input().width(), card.input().height()).build();
    PushTWorld world = new PushTWorld(cfg, seed);
    WorldPolicy policy = world.policy("mixed");
    Random rng = new Random(seed);
    List<float[]> trainZ = new ArrayList<>();
    List<float[]> testZ = new ArrayList<>();
    List<float[]> trainAgent = new ArrayList<>();
    List<float[]> testAgent = new ArrayList<>();
    List<float[]> trainBlock = new ArrayList<>();
    List<float[]> testBlock = new ArrayList<>();
    try (ImageEncoder enc =
        ImageEncoder.builder(card).maxBatch(64).session(s -> s.device(Device.CPU)).build()) {
      int d = enc.latentSize();
      for (int e = 0; e < episodes; e++) {
        world.reset(rng.nextLong());
        policy.reset(rng);
        List<byte[]> frames = new ArrayList<>();
        List<float[]> agent = new ArrayList<>();
        List<float[]> block = new ArrayList<>();
        float[] a = new float[2];
        for (int t = 0; t <= steps; t++) {
          byte[] rgb = new byte[cfg.frameBytes()];
          world.render(rgb);
          frames.add(rgb);
          agent.add(new float[] {world.agentX(), world.agentY()});
          block.add(new float[] {world.block().x(), world.block().y()});
          policy.act(a);
          world.step(a[0], a[1]);
        }
        boolean test = e % 5 == 4;
        List<float[]> z = encode(enc, frames, cfg.width(), cfg.height(), d);
        (test ? testZ : trainZ).addAll(z);
        (test ? testAgent : trainAgent).addAll(agent);
        (test ? testBlock : trainBlock).addAll(block);
      }
      Fit agent = Fit.of(trainZ, trainAgent, testZ, testAgent, d);
      Fit block = Fit.of(trainZ, trainBlock, testZ, testBlock, d);
      String on =
          String.format(
              Locale.ROOT,
              "ridge regression (lambda %.0e) from %s %s latents to the agent's x, y and the"
                  + " block's centre of mass x, y in pixels (not its angle): %d episodes of %d"
                  + " steps of the simulated Push-T world (mixed: scripted pushes and random"
                  + " walks, seed %d), fitted on %d frames, evaluated on %d frames of held-out"
                  + " episodes",
              RIDGE,
              card.name(),
              card.version(),
              episodes,
              steps,
              seed,
              trainZ.size(),
              testZ.size());
      return new LatentProbe(
          d,
          agent.weights(),
          agent.bias(),
          agent.r2(),
          agent.r2Xy(),
          agent.rmse(),
          on,
          new LatentProbe.BlockProbe(
              block.weights(), block.bias(), block.r2(), block.r2Xy(), block.rmse()),
          card.fileInfo("encoder").sha256());
    }
  }

  private static List<float[]> encode(ImageEncoder enc, List<byte[]> frames, int w, int h, int d) {
    List<float[]> out = new ArrayList<>(frames.size());
    for (int from = 0; from < frames.size(); from += 64) {
      List<byte[]> batch = frames.subList(from, Math.min(frames.size(), from + 64));
      float[] flat = new float[batch.size() * d];
      enc.encodeRgb8(batch, w, h, flat);
      for (int i = 0; i < batch.size(); i++) {
        float[] z = new float[d];
        System.arraycopy(flat, i * d, z, 0, d);
        out.add(z);
      }
    }
    return out;
  }

  /** A fitted 2-output linear map and its held-out R^2 (pooled and per output) and RMSE. */
  private record Fit(double[][] weights, double[] bias, double r2, double[] r2Xy, double[] rmse) {
    static Fit of(
        List<float[]> trainZ,
        List<float[]> trainY,
        List<float[]> testZ,
        List<float[]> testY,
        int d) {
      double[][] wb = ridge(trainZ, trainY, d);
      double[][] weights = new double[2][d];
      double[] bias = new double[2];
      for (int o = 0; o < 2; o++) {
        System.arraycopy(wb[o], 0, weights[o], 0, d);
        bias[o] = wb[o][d];
      }
      LatentProbe p =
          new LatentProbe(d, weights, bias, 0, new double[2], new double[2], "pending evaluation");
      double[] sse = new double[2];
      double[] mean = new double[2];
      for (float[] y : testY) {
        mean[0] += y[0] / testY.size();
        mean[1] += y[1] / testY.size();
      }
      double[] sst = new double[2];
      for (int i = 0; i < testZ.size(); i++) {
        double[] xy = p.decode(testZ.get(i));
        for (int o = 0; o < 2; o++) {
          sse[o] += Math.pow(xy[o] - testY.get(i)[o], 2);
          sst[o] += Math.pow(testY.get(i)[o] - mean[o], 2);
        }
      }
      double[] r2xy = {1 - sse[0] / sst[0], 1 - sse[1] / sst[1]};
      double r2 = 1 - (sse[0] + sse[1]) / (sst[0] + sst[1]);
      double[] rmse = {Math.sqrt(sse[0] / testZ.size()), Math.sqrt(sse[1] / testZ.size())};
      return new Fit(
          weights, bias, round(r2), round(r2xy), new double[] {round(rmse[0]), round(rmse[1])});
    }
  }

  /**
   * Writes {@code probe.json} into the model folder and its summary (file, sha256, R^2, RMSE) as
   * the {@code probe} field of the model card.
   */
  public static void ship(Path modelDir, LatentProbe probe) {
    Path file = probe.write(modelDir);
    Path cardFile = modelDir.resolve(ModelCard.FILE_NAME);
    try {
      ObjectMapper m = new ObjectMapper();
      ObjectNode card = (ObjectNode) m.readTree(cardFile.toFile());
      ObjectNode p = m.createObjectNode();
      p.put("path", FILE_NAME_RELATIVE);
      p.put("sha256", ModelCard.sha256(file));
      p.put(
          "maps",
          probe.block() == null
              ? "latent -> agent position [x, y] in pixels (linear)"
              : "latent -> agent position [x, y] and block centre of mass [x, y] in pixels"
                  + " (linear; not the block's angle)");
      p.put("r2", probe.r2());
      p.putPOJO("r2_xy", probe.r2Xy());
      p.putPOJO("rmse_px", probe.rmsePx());
      if (probe.block() != null) {
        p.put("block_r2", probe.block().r2());
        p.putPOJO("block_r2_xy", probe.block().r2Xy());
        p.putPOJO("block_rmse_px", probe.block().rmsePx());
      }
      p.put("fitted_by", "models/recipe/fit_probe.sh");
      p.put("fitted_on", probe.fittedOn());
      card.set("probe", p);
      // the card's layout (Python's json.dump, indent 2), so that the diff shows the new field only
      DefaultIndenter indent = new DefaultIndenter("  ", "\n");
      DefaultPrettyPrinter pp =
          new DefaultPrettyPrinter()
              .withObjectIndenter(indent)
              .withArrayIndenter(indent)
              .withSeparators(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
      Files.writeString(cardFile, m.writer(pp).writeValueAsString(card) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Error writing the probe into the model card " + cardFile, e);
    }
  }

  private static final String FILE_NAME_RELATIVE = LatentProbe.FILE_NAME;

  /** Ridge regression with an intercept: rows {@code [w_0 .. w_{d-1}, b]} per output. */
  static double[][] ridge(List<float[]> z, List<float[]> y, int d) {
    int n = d + 1;
    double[][] a = new double[n][n];
    double[][] rhs = new double[2][n];
    double[] row = new double[n];
    for (int s = 0; s < z.size(); s++) {
      float[] zs = z.get(s);
      for (int i = 0; i < d; i++) {
        row[i] = zs[i];
      }
      row[d] = 1;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i][j] += row[i] * row[j];
        }
        rhs[0][i] += row[i] * y.get(s)[0];
        rhs[1][i] += row[i] * y.get(s)[1];
      }
    }
    for (int i = 0; i < d; i++) {
      a[i][i] += RIDGE * z.size();
    }
    return new double[][] {solve(copy(a), rhs[0]), solve(copy(a), rhs[1])};
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  /** Gaussian elimination with partial pivoting. */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[] x = b.clone();
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
          p = r;
        }
      }
      double[] t = a[c];
      a[c] = a[p];
      a[p] = t;
      double tx = x[c];
      x[c] = x[p];
      x[p] = tx;
      if (Math.abs(a[c][c]) < 1e-12) {
        throw new IllegalStateException("the probe's normal equations are singular at column " + c);
      }
      for (int r = c + 1; r < n; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k < n; k++) {
          a[r][k] -= f * a[c][k];
        }
        x[r] -= f * x[c];
      }
    }
    for (int r = n - 1; r >= 0; r--) {
      for (int k = r + 1; k < n; k++) {
        x[r] -= a[r][k] * x[k];
      }
      x[r] /= a[r][r];
    }
    return x;
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static double[] round(double[] v) {
    return new double[] {round(v[0]), round(v[1])};
  }
}
