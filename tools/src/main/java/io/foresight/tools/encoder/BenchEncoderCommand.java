package io.foresight.tools.encoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.FrameBatch;
import io.foresight.encoders.FrameDecoder;
import io.foresight.encoders.LatentBatch;
import io.foresight.encoders.OnnxFrameEncoder;
import io.foresight.encoders.flink.EncodeRequest;
import io.foresight.runtime.Device;
import io.foresight.runtime.ModelSessions;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ContractException;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.LatentState;
import io.foresight.tools.internal.LatencyStats;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight bench encoder}: raw ONNX Runtime throughput, the decode + encode path from Avro
 * frame bytes to {@link LatentState} records, and the Flink micro-batching operator on a local
 * MiniCluster, side by side at the same batch sizes, written as JSON.
 *
 * <pre>{@code
 * foresight bench encoder --json target/bench-encoder.json
 * }</pre>
 */
@Command(
    name = "encoder",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark the encoder: raw ONNX Runtime, decode+encode from Avro frame bytes, and the"
            + " Flink micro-batching operator on a MiniCluster, at batch sizes 1, 8, 32.")
public final class BenchEncoderCommand implements Callable<Integer> {
  private static final String TEST_MODEL = "encoders/src/test/resources/test-encoder";

  @Option(names = "--json", required = true, description = "Write the results to this file.")
  Path json;

  @Option(
      names = "--model-dir",
      description =
          "Model folder (model-card.json + encoder). Default: the shipped model, else the test"
              + " encoder of the encoders module.")
  Path modelDir;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "1,8,32",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  int[] batchSizes;

  @Option(
      names = "--frames",
      defaultValue = "20000",
      description = "Frames measured per case (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu or cuda:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads, 0 = its default (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--no-spin",
      description = "Stop ONNX Runtime's idle threads spinning (encoder.threads.spin=false).")
  boolean noSpin;

  @Option(
      names = "--batches-in-flight",
      defaultValue = "4",
      description =
          "Batches the operator has queued or running while the next one fills"
              + " (encoder.batches.in.flight); 0 = encode on the task thread. Default:"
              + " ${DEFAULT-VALUE}.")
  int batchesInFlight;

  @Option(
      names = "--inference-threads",
      defaultValue = "2",
      description =
          "Operator threads that decode and run batches at once (encoder.inference.threads)."
              + " Default: ${DEFAULT-VALUE}.")
  int inferenceThreads;

  @Option(
      names = "--object-reuse",
      description =
          "Enable Flink object reuse in the operator part (the default copies each record).")
  boolean objectReuse;

  @Option(
      names = "--repeats",
      defaultValue = "1",
      description =
          "Rounds per batch size; each case reports its median round (shared machines are"
              + " noisy). Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--skip-operator", description = "Skip the Flink operator part.")
  boolean skipOperator;

  /** Runs the command on its own (outside the {@code foresight} launcher). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchEncoderCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (repeats < 1 || frames < 1 || batchSizes.length == 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--repeats and --frames must be >= 1 and --batch-sizes not empty");
    }
    Path dir = resolveModelDir();
    ModelCard card = ModelCard.load(dir);
    int maxBatch = 1;
    for (int b : batchSizes) {
      maxBatch = Math.max(maxBatch, b);
    }
    EncoderOptions base =
        EncoderOptions.builder()
            .set(EncoderOptions.MODEL_DIR, Optional.of(dir))
            .set(EncoderOptions.DEVICE, Device.parse(device).toString())
            .set(EncoderOptions.THREADS, threads)
            .set(EncoderOptions.THREADS_SPIN, !noSpin)
            .set(EncoderOptions.BATCHES_IN_FLIGHT, batchesInFlight)
            .set(EncoderOptions.INFERENCE_THREADS, inferenceThreads)
            .set(EncoderOptions.BATCH_SIZE, maxBatch)
            .build();
    List<byte[]> avroFrames = avroFrames(card.input(), 256);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "foresight bench encoder");
    report.put("time", Instant.now().toString());
    report.put("machine", machine());
    report.put("model", modelInfo(card));
    int cores = Runtime.getRuntime().availableProcessors();
    // Start-up: ONNX Runtime's native library (once per JVM), then the first encoder: model file
    // read and hash-checked, session on the device (auto: the provider choice), warm-up runs.
    long start = System.nanoTime();
    ModelSessions.environment();
    report.put("onnxruntime_environment_ms", Math.round((System.nanoTime() - start) / 1e5) / 10.0);
    start = System.nanoTime();
    OnnxFrameEncoder first = OnnxFrameEncoder.builder().options(base).build();
    report.put("encoder_ready_ms", Math.round((System.nanoTime() - start) / 1e5) / 10.0);
    try (OnnxFrameEncoder encoder = first;
        OnnxFrameEncoder single = OnnxFrameEncoder.builder().options(base).threads(1).build()) {
      report.put("provider", encoder.provider().actual().toString());
      if (encoder.provider().fellBack()) {
        report.put("provider_fallback_reason", encoder.provider().fallbackReason());
      }
      report.put("threads", threads == 0 ? "onnxruntime default" : threads);
      report.put("threads_spin", !noSpin);
      report.put("batches_in_flight", batchesInFlight);
      report.put("inference_threads", inferenceThreads);
      report.put("repeats", repeats);
      List<Map<String, Object>> raw = new ArrayList<>();
      List<Map<String, Object>> rawParallel = new ArrayList<>();
      List<Map<String, Object>> path = new ArrayList<>();
      List<Object> operator = new ArrayList<>();
      OperatorRunner runner = skipOperator ? null : OperatorRunner.load(avroFrames);
      // Raw ONNX Runtime two ways: one caller with the configured intra-op threads, and one
      // single-threaded caller per core, each on its own batch. The faster is the limit.
      // The cases of one batch size run back to back, so that a change in the machine's load
      // between them (shared build machines) distorts their ratio as little as possible.
      for (int b : batchSizes) {
        List<Map<String, Object>> rs = new ArrayList<>();
        List<Map<String, Object>> rcs = new ArrayList<>();
        List<Map<String, Object>> ps = new ArrayList<>();
        List<Map<String, Object>> os = new ArrayList<>();
        for (int round = 1; round <= repeats; round++) {
          System.err.printf("batch %d, round %d: raw ONNX Runtime...%n", b, round);
          rs.add(raw(encoder, avroFrames, b, 1));
          if (cores > 1) {
            System.err.printf(
                "batch %d, round %d: raw ONNX Runtime, %d single-threaded callers...%n",
                b, round, cores);
            rcs.add(raw(single, avroFrames, b, cores));
          }
          System.err.printf("batch %d, round %d: decode + encode from Avro bytes...%n", b, round);
          ps.add(decodeAndEncode(encoder, avroFrames, b));
          if (runner != null) {
            System.err.printf("batch %d, round %d: Flink operator on a MiniCluster...%n", b, round);
            os.add(
                runner.run(
                    base.toBuilder().set(EncoderOptions.BATCH_SIZE, b).build(),
                    frames,
                    objectReuse));
          }
        }
        Map<String, Object> r = median(rs);
        Map<String, Object> p = median(ps);
        raw.add(r);
        if (!rcs.isEmpty()) {
          rawParallel.add(median(rcs));
        }
        path.add(p);
        if (!os.isEmpty()) {
          Map<String, Object> o = median(os);
          if (o.containsKey("frames_per_s")) {
            // Raw's limit in a round: the faster of the two raw figures. Ratios are taken
            // within a round, then the median.
            List<Double> sameRound = new ArrayList<>();
            List<Double> overPath = new ArrayList<>();
            for (int i = 0; i < os.size(); i++) {
              Map<String, Object> limit = rs.get(i);
              if (!rcs.isEmpty() && fps(rcs.get(i)) > fps(limit)) {
                limit = rcs.get(i);
              }
              sameRound.add(ratio(os.get(i), limit));
              overPath.add(ratio(os.get(i), ps.get(i)));
            }
            o.put("ratio_operator_over_raw", medianOf(sameRound));
            o.put("ratio_operator_over_raw_per_round", sameRound);
            o.put("ratio_operator_over_decode_encode", medianOf(overPath));
          }
          operator.add(o);
        }
      }
      report.put("raw_onnxruntime", raw);
      if (!rawParallel.isEmpty()) {
        report.put("raw_onnxruntime_parallel", rawParallel);
      }
      report.put("decode_encode_from_avro", path);
      report.put("decode_cost", decodeCost(encoder, avroFrames, raw, rawParallel, cores));
      Map<String, Object> op = new LinkedHashMap<>();
      if (runner == null) {
        op.put("skipped", "--skip-operator");
      } else {
        op.put(
            "setup",
            "source -> encoder operator -> sink chained in one task, parallelism 1, local"
                + " MiniCluster in this JVM; frames/s measured at the sink"
                + " after the first 10% of frames");
        op.put("results", operator);
      }
      report.put("operator_minicluster", op);
    }
    Files.createDirectories(json.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    System.err.println("wrote " + json.toAbsolutePath());
    return 0;
  }

  /** The round with the median frames/s, with every round's frames/s added. */
  private static Map<String, Object> median(List<Map<String, Object>> rounds) {
    List<Map<String, Object>> ok = new ArrayList<>();
    for (Map<String, Object> m : rounds) {
      if (m.containsKey("frames_per_s")) {
        ok.add(m);
      }
    }
    if (ok.isEmpty()) {
      return rounds.get(0);
    }
    List<Double> fps = new ArrayList<>();
    ok.forEach(m -> fps.add((Double) m.get("frames_per_s")));
    ok.sort(
        (x, y) -> Double.compare((Double) x.get("frames_per_s"), (Double) y.get("frames_per_s")));
    Map<String, Object> med = new LinkedHashMap<>(ok.get(ok.size() / 2));
    if (rounds.size() > 1) {
      med.put("rounds_frames_per_s", fps);
    }
    return med;
  }

  private static double fps(Map<String, Object> m) {
    return m.get("frames_per_s") instanceof Double d ? d : 0;
  }

  private static double medianOf(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.removeIf(v -> v.isNaN());
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    sorted.sort(Double::compare);
    int n = sorted.size();
    double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return LatencyStats.round(m);
  }

  private static double ratio(Map<String, Object> a, Map<String, Object> b) {
    Object x = a.get("frames_per_s");
    Object y = b.get("frames_per_s");
    if (!(x instanceof Double dx) || !(y instanceof Double dy) || dy == 0) {
      return Double.NaN;
    }
    return LatencyStats.round(dx / dy);
  }

  private Path resolveModelDir() {
    if (modelDir != null) {
      return modelDir;
    }
    try {
      Path shipped = ModelCard.shippedDir();
      if (Files.isRegularFile(shipped.resolve(ModelCard.FILE_NAME))) {
        return shipped;
      }
    } catch (ContractException e) {
      // No shipped model: fall through to the test encoder.
    }
    String home = System.getProperty("foresight.home", System.getenv("FORESIGHT_HOME"));
    Path dir = home != null && !home.isBlank() ? Path.of(home) : Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(TEST_MODEL);
      if (Files.isRegularFile(candidate.resolve(ModelCard.FILE_NAME))) {
        System.err.println("no shipped model found; using the test encoder " + candidate);
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "no model: neither models/two-rooms nor "
            + TEST_MODEL
            + " was found above "
            + Path.of("").toAbsolutePath()
            + "; pass --model-dir");
  }

  /**
   * Raw ONNX Runtime: {@code callers} threads, each running the session back to back on its own
   * filled direct buffer (one caller is the classic figure; several measure concurrent runs of the
   * one shared session, which is what the operator does with several inference threads).
   */
  private Map<String, Object> raw(
      OnnxFrameEncoder encoder, List<byte[]> avroFrames, int batch, int callers)
      throws InterruptedException {
    int calls = Math.max(20 * callers, frames / batch);
    int perCaller = (calls + callers - 1) / callers;
    calls = perCaller * callers;
    long[] lat = new long[calls];
    AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
    CountDownLatch ready = new CountDownLatch(callers);
    CountDownLatch go = new CountDownLatch(1);
    long[] ends = new long[callers];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      FrameDecoder decoder = encoder.newDecoder();
      FrameBatch fb = encoder.newBatch();
      for (int i = 0; i < batch; i++) {
        fb.add(decoder, codec.decode(avroFrames.get((i + caller) % avroFrames.size())));
      }
      float[] out = new float[batch * encoder.latentSize()];
      FloatBuffer buffer = fb.buffer();
      Runnable work =
          () -> {
            for (int i = 0; i < Math.max(5, perCaller / 10); i++) {
              encoder.encodeInto(buffer, batch, out, 0);
            }
            ready.countDown();
            try {
              go.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            for (int i = 0; i < perCaller; i++) {
              long t = System.nanoTime();
              encoder.encodeInto(buffer, batch, out, 0);
              lat[caller * perCaller + i] = System.nanoTime() - t;
            }
            ends[caller] = System.nanoTime();
          };
      Thread t = new Thread(work, "bench-raw-" + c);
      threads.add(t);
      t.start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long end = start;
    for (long e : ends) {
      end = Math.max(end, e);
    }
    long total = end - start;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch_size", batch);
    m.put("callers", callers);
    m.put("frames", (long) calls * batch);
    m.put("frames_per_s", LatencyStats.round((double) calls * batch / (total / 1e9)));
    Map<String, Object> l = LatencyStats.summary(lat, calls);
    l.put(
        "what",
        "per batch: one OrtSession.run on a filled direct buffer"
            + (callers > 1 ? ", " + callers + " callers at once" : ""));
    m.put("latency", l);
    m.put("encode_us_per_frame", LatencyStats.round(total / 1000.0 / ((double) calls * batch)));
    return m;
  }

  private Map<String, Object> decodeAndEncode(
      OnnxFrameEncoder encoder, List<byte[]> avroFrames, int batch) {
    FrameDecoder decoder = encoder.newDecoder();
    FrameBatch fb = encoder.newBatch();
    AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
    String[] streams = new String[batch];
    long[] seqs = new long[batch];
    long[] times = new long[batch];
    int calls = Math.max(20, frames / batch);
    int warm = Math.max(5, calls / 10);
    long[] lat = new long[calls];
    int next = 0;
    long sink = 0;
    long start = 0;
    for (int c = -warm; c < calls; c++) {
      if (c == 0) {
        start = System.nanoTime();
      }
      long t = System.nanoTime();
      fb.clear();
      for (int i = 0; i < batch; i++) {
        CameraFrame f = codec.decode(avroFrames.get(next++ % avroFrames.size()));
        fb.add(decoder, f);
        streams[i] = f.getStreamId();
        seqs[i] = f.getSequence();
        times[i] = f.getCaptureTimeUs();
      }
      LatentBatch latents = encoder.encode(fb);
      for (int i = 0; i < batch; i++) {
        LatentState s = latents.latentState(i, streams[i], seqs[i], times[i]);
        sink += s.getSequence();
      }
      if (c >= 0) {
        lat[c] = System.nanoTime() - t;
      }
    }
    long total = System.nanoTime() - start;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch_size", batch);
    m.put("frames", (long) calls * batch);
    m.put("frames_per_s", LatencyStats.round((double) calls * batch / (total / 1e9)));
    Map<String, Object> l = LatencyStats.summary(lat, calls);
    l.put(
        "what",
        "per batch: Avro-decode each CameraFrame, decode pixels into the batch, run, build"
            + " LatentState records");
    m.put("latency", l);
    m.put("checksum", sink);
    return m;
  }

  private Map<String, Object> decodeCost(
      OnnxFrameEncoder encoder,
      List<byte[]> avroFrames,
      List<Map<String, Object>> raw,
      List<Map<String, Object>> rawParallel,
      int cores)
      throws IOException {
    FrameDecoder decoder = encoder.newDecoder();
    FloatBuffer out = io.foresight.schemas.Tensors.directFloats(encoder.frameSize());
    AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
    ModelCard.Input in = encoder.card().input();
    int n = Math.max(2000, frames);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("frame", in.width() + "x" + in.height() + " RGB8 (the model's input size)");
    List<CameraFrame> decoded = new ArrayList<>();
    for (byte[] b : avroFrames) {
      decoded.add(codec.decode(b));
    }
    m.put(
        "avro_decode_us_per_frame",
        perFrameMicros(n, i -> codec.decode(avroFrames.get(i % avroFrames.size()))));
    m.put(
        "pixel_decode_us_per_frame",
        perFrameMicros(n, i -> decoder.decode(decoded.get(i % decoded.size()), out, 0)));
    m.put(
        "avro_and_pixel_decode_us_per_frame",
        perFrameMicros(
            n, i -> decoder.decode(codec.decode(avroFrames.get(i % avroFrames.size())), out, 0)));
    byte[] png = compressed(decoded.get(0), in, "png");
    byte[] jpeg = compressed(decoded.get(0), in, "jpeg");
    int nc = Math.max(500, n / 10);
    m.put(
        "png_decode_us_per_frame",
        perFrameMicros(
            nc, i -> decoder.decode(FrameEncoding.PNG, 0, 0, png, 0, png.length, out, 0)));
    m.put(
        "jpeg_decode_us_per_frame",
        perFrameMicros(
            nc, i -> decoder.decode(FrameEncoding.JPEG, 0, 0, jpeg, 0, jpeg.length, out, 0)));
    Map<String, Object> ratios = new LinkedHashMap<>();
    Map<String, Object> coreTime = new LinkedHashMap<>();
    Map<String, Object> overCoreTime = new LinkedHashMap<>();
    double decode = (double) m.get("avro_and_pixel_decode_us_per_frame");
    for (int i = 0; i < raw.size(); i++) {
      Map<String, Object> r = raw.get(i);
      String key = "batch_" + r.get("batch_size");
      double encode = (double) r.get("encode_us_per_frame");
      ratios.put(key, LatencyStats.round(decode / encode));
      // Core time: every core busy for the best raw figure's wall time per frame.
      double best = fps(r);
      if (i < rawParallel.size()) {
        best = Math.max(best, fps(rawParallel.get(i)));
      }
      if (best > 0) {
        double core = cores * 1e6 / best;
        coreTime.put(key, LatencyStats.round(core));
        overCoreTime.put(key, LatencyStats.round(decode / core));
      }
    }
    m.put("decode_over_encode_per_frame", ratios);
    m.put("encode_core_us_per_frame", coreTime);
    m.put("decode_over_encode_core_time", overCoreTime);
    m.put(
        "what",
        "decode_over_encode_per_frame: one core's decode against the wall time per frame of raw,"
            + " one caller; decode_over_encode_core_time: against the encoder's core time per"
            + " frame (all cores busy at the best raw figure)");
    return m;
  }

  private interface Step {
    void run(int i);
  }

  private static double perFrameMicros(int n, Step step) {
    for (int i = 0; i < n / 5; i++) {
      step.run(i);
    }
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      step.run(i);
    }
    return LatencyStats.round((System.nanoTime() - t) / 1000.0 / n);
  }

  /** The Flink half of the benchmark: the encoder operator on a local MiniCluster. */
  private static final class OperatorRunner {
    private final List<EncodeRequest> pool;

    private OperatorRunner(List<EncodeRequest> pool) {
      this.pool = pool;
    }

    static OperatorRunner load(List<byte[]> avroFrames) {
      AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
      List<EncodeRequest> pool = new ArrayList<>();
      for (byte[] b : avroFrames) {
        pool.add(EncodeRequest.of(codec.decode(b)));
      }
      return new OperatorRunner(pool);
    }

    Map<String, Object> run(EncoderOptions options, int frames, boolean objectReuse) {
      try {
        return OperatorBench.run(options, pool, frames, frames / 10, objectReuse);
      } catch (Exception e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", options.batchSize());
        m.put("failed", e.getClass().getSimpleName() + ": " + e.getMessage());
        return m;
      }
    }
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    return m;
  }

  private static Map<String, Object> modelInfo(ModelCard card) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", card.name());
    m.put("version", card.version());
    m.put("dir", card.directory().toString());
    m.put("sha256", card.fileInfo("encoder").sha256());
    m.put(
        "input",
        card.input().channels() + "x" + card.input().height() + "x" + card.input().width());
    m.put("latent", java.util.Arrays.toString(card.latentShape()));
    return m;
  }

  /** Random frames at the model's input size (raw RGB8), Avro single-object encoded. */
  private static List<byte[]> avroFrames(ModelCard.Input in, int count) {
    Random rnd = new Random(8);
    AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] px = new byte[in.width() * in.height() * 3];
      rnd.nextBytes(px);
      CameraFrame f =
          CameraFrame.newBuilder()
              .setStreamId("cam-" + (i % 8))
              .setSequence(i / 8)
              .setCaptureTimeUs(1_700_000_000_000_000L + i * 33_333L)
              .setEncoding(FrameEncoding.RGB8)
              .setWidth(in.width())
              .setHeight(in.height())
              .setData(ByteBuffer.wrap(px))
              .setFrameId(null)
              .setMetadata(Map.of())
              .build();
      out.add(codec.encode(f));
    }
    return out;
  }

  private static byte[] compressed(CameraFrame f, ModelCard.Input in, String format)
      throws IOException {
    BufferedImage img = new BufferedImage(in.width(), in.height(), BufferedImage.TYPE_INT_RGB);
    ByteBuffer d = f.getData().duplicate();
    for (int y = 0; y < in.height(); y++) {
      for (int x = 0; x < in.width(); x++) {
        img.setRGB(x, y, (d.get() & 0xff) << 16 | (d.get() & 0xff) << 8 | (d.get() & 0xff));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }
}
