package io.foresight.planner.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.foresight.planner.PlannerException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens ONNX Runtime sessions on the CUDA provider when asked and present, else on the CPU. */
public final class OnnxSessions {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxSessions.class);

  private OnnxSessions() {}

  /** A session and the provider it actually runs on ({@code cuda:N} or {@code cpu}). */
  public record Opened(OrtSession session, String provider) {}

  private static volatile boolean autoOnCpu;

  /**
   * Opens a session.
   *
   * @param model the ONNX file
   * @param device {@code cpu}, {@code cuda} (falls back to the CPU with a warning) or {@code
   *     cuda:N}
   * @param threads intra-op threads; 0 lets ONNX Runtime choose
   */
  public static Opened open(Path model, String device, int threads) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    String d = device == null ? "cpu" : device.trim().toLowerCase(java.util.Locale.ROOT);
    if (d.startsWith("cuda") || (d.equals("auto") && !autoOnCpu)) {
      int gpu = d.contains(":") ? Integer.parseInt(d.substring(d.indexOf(':') + 1)) : 0;
      try (OrtSession.SessionOptions o = options(threads)) {
        o.addCUDA(gpu);
        return new Opened(env.createSession(model.toString(), o), "cuda:" + gpu);
      } catch (OrtException | RuntimeException e) {
        if (d.equals("auto")) {
          autoOnCpu = true; // CUDA will not start later in this JVM either: try it once
          LOG.info("CUDA unavailable for {} ({}); device auto uses the CPU", model, e.getMessage());
        } else {
          LOG.warn(
              "CUDA provider unavailable for {} ({}); running on the CPU", model, e.getMessage());
        }
      }
    } else if (!d.equals("cpu") && !d.equals("auto")) {
      throw new PlannerException(
          "unknown device '" + device + "'; use auto, cpu, cuda or cuda:<gpu index>");
    }
    try (OrtSession.SessionOptions o = options(threads)) {
      return new Opened(env.createSession(model.toString(), o), "cpu");
    } catch (OrtException e) {
      throw new PlannerException(
          "Error opening ONNX model "
              + model
              + ": "
              + e.getMessage()
              + "; check that the file is a valid ONNX model (re-export it if needed)",
          e);
    }
  }

  /** Opens a session over an in-memory model on the CPU. */
  public static OrtSession openBytes(byte[] model, int threads) {
    try (OrtSession.SessionOptions o = options(threads)) {
      return OrtEnvironment.getEnvironment().createSession(model, o);
    } catch (OrtException e) {
      throw new PlannerException("Error opening an in-memory ONNX model: " + e.getMessage(), e);
    }
  }

  private static OrtSession.SessionOptions options(int threads) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    o.setInterOpNumThreads(1);
    if (threads > 0) {
      o.setIntraOpNumThreads(threads);
    }
    return o;
  }
}
