package io.foresight.encoders;

import io.foresight.runtime.Device;
import io.foresight.schemas.config.ConfigKey;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The typed options of the encoders module: the model folder, the device, micro-batching, threads,
 * CUDA settings and frame limits, each under a key such as {@code encoder.batch.size}.
 *
 * <p>The same keys work from the command line, a properties file ({@link #fromMap}) and the
 * environment ({@link #fromEnvironment}: {@code encoder.batch.size} becomes {@code
 * ENCODER_BATCH_SIZE}). Instances are immutable and serializable, so a Flink job can ship them to
 * its operators.
 *
 * <pre>{@code
 * EncoderOptions options = EncoderOptions.builder().device(Device.parse("cuda:0")).batchSize(32).build();
 * EncoderOptions fromFile = EncoderOptions.fromMap(Map.of("encoder.batch.timeout.ms", "5"));
 * }</pre>
 */
public final class EncoderOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** cuDNN convolution algorithm search of the CUDA execution provider. */
  public enum CudnnConvAlgoSearch {
    /** Benchmark every algorithm on first use (ORT's default; slow first batch, fastest after). */
    EXHAUSTIVE,
    /** cuDNN's heuristics, no benchmarking. */
    HEURISTIC,
    /** The default algorithm. */
    DEFAULT
  }

  public static final ConfigKey MODEL_DIR =
      new ConfigKey(
          "encoder.model.dir",
          "path",
          "",
          "Folder with model-card.json and the encoder ONNX file; empty = the shipped model"
              + " (models/two-rooms under FORESIGHT_HOME or above the working directory)");
  public static final ConfigKey DEVICE =
      new ConfigKey(
          "encoder.device",
          "auto|cpu|cuda|cuda:N",
          "auto",
          "Execution provider: auto = CUDA if it can be initialised, else CPU (logged); cuda:N ="
              + " GPU N, failing if it cannot start; on Flink, auto and cuda take the index from"
              + " the external resource 'gpu'");
  public static final ConfigKey BATCH_SIZE =
      new ConfigKey(
          "encoder.batch.size",
          "int",
          "32",
          "Frames per encoder call; a batch is flushed when full");
  public static final ConfigKey BATCH_TIMEOUT_MS =
      new ConfigKey(
          "encoder.batch.timeout.ms",
          "long",
          "10",
          "A partly filled batch is flushed this many milliseconds after its first frame");
  public static final ConfigKey BATCHES_IN_FLIGHT =
      new ConfigKey(
          "encoder.batches.in.flight",
          "int",
          "4",
          "Batches the Flink operator has queued or running on its inference threads while the"
              + " task thread collects the next one (0..8); 0 = decode and encode on the task"
              + " thread");
  public static final ConfigKey INFERENCE_THREADS =
      new ConfigKey(
          "encoder.inference.threads",
          "int",
          "2",
          "Threads of the Flink operator that decode and encode batches side by side (1..8, at"
              + " most encoder.batches.in.flight); encoder.threads=0 shares the cores out among"
              + " them");
  public static final ConfigKey THREADS =
      new ConfigKey(
          "encoder.threads",
          "int",
          "0",
          "ONNX Runtime intra-op threads per session; 0 = automatic: ONNX Runtime's default (one"
              + " per physical core), or in the Flink operator with several inference threads,"
              + " the cores shared out among them");
  public static final ConfigKey INTER_OP_THREADS =
      new ConfigKey(
          "encoder.threads.inter", "int", "1", "ONNX Runtime inter-op threads per session");
  public static final ConfigKey THREADS_SPIN =
      new ConfigKey(
          "encoder.threads.spin",
          "boolean",
          "true",
          "Let ONNX Runtime's threads spin while waiting for work (ONNX Runtime's default: lower"
              + " latency, but it burns CPU that other tasks on the machine could use; false on"
              + " shared or oversubscribed machines)");
  public static final ConfigKey WARMUP_RUNS =
      new ConfigKey(
          "encoder.warmup.runs",
          "int",
          "2",
          "Inference runs on a zero batch when a session is created, before the first frame");
  public static final ConfigKey CUDA_MEMORY_LIMIT =
      new ConfigKey(
          "encoder.cuda.memory.limit.bytes",
          "long",
          "0",
          "CUDA provider gpu_mem_limit (arena size limit) in bytes; 0 = no limit");
  public static final ConfigKey CUDNN_CONV_ALGO_SEARCH =
      new ConfigKey(
          "encoder.cuda.cudnn.conv.algo.search",
          "EXHAUSTIVE|HEURISTIC|DEFAULT",
          "EXHAUSTIVE",
          "CUDA provider cudnn_conv_algo_search");
  public static final ConfigKey MAX_FRAME_SIDE =
      new ConfigKey(
          "encoder.frame.max.side",
          "int",
          "8192",
          "Frames wider or higher than this are refused (dead letter, BAD_DIMENSIONS)");
  public static final ConfigKey MAX_FRAME_PIXELS =
      new ConfigKey(
          "encoder.frame.max.pixels",
          "long",
          "16777216",
          "Frames with more pixels than this are refused before decoding (dead letter,"
              + " BAD_DIMENSIONS)");
  public static final ConfigKey VERIFY_MODEL =
      new ConfigKey(
          "encoder.model.verify",
          "boolean",
          "true",
          "Check the encoder file's SHA-256 against the model card before loading it");

  private static final List<ConfigKey> KEYS =
      List.of(
          MODEL_DIR,
          DEVICE,
          BATCH_SIZE,
          BATCH_TIMEOUT_MS,
          BATCHES_IN_FLIGHT,
          INFERENCE_THREADS,
          THREADS,
          INTER_OP_THREADS,
          THREADS_SPIN,
          WARMUP_RUNS,
          CUDA_MEMORY_LIMIT,
          CUDNN_CONV_ALGO_SEARCH,
          MAX_FRAME_SIDE,
          MAX_FRAME_PIXELS,
          VERIFY_MODEL);

  private final String modelDir;
  private final Device device;
  private final int batchSize;
  private final long batchTimeoutMs;
  private final int batchesInFlight;
  private final int inferenceThreads;
  private final int threads;
  private final int interOpThreads;
  private final boolean threadsSpin;
  private final int warmupRuns;
  private final long cudaMemoryLimitBytes;
  private final CudnnConvAlgoSearch cudnnConvAlgoSearch;
  private final int maxFrameSide;
  private final long maxFramePixels;
  private final boolean verifyModel;

  private EncoderOptions(Builder b) {
    this.modelDir = b.modelDir;
    this.device = b.device;
    this.batchSize = b.batchSize;
    this.batchTimeoutMs = b.batchTimeoutMs;
    this.batchesInFlight = b.batchesInFlight;
    this.inferenceThreads = b.inferenceThreads;
    this.threads = b.threads;
    this.interOpThreads = b.interOpThreads;
    this.threadsSpin = b.threadsSpin;
    this.warmupRuns = b.warmupRuns;
    this.cudaMemoryLimitBytes = b.cudaMemoryLimitBytes;
    this.cudnnConvAlgoSearch = b.cudnnConvAlgoSearch;
    this.maxFrameSide = b.maxFrameSide;
    this.maxFramePixels = b.maxFramePixels;
    this.verifyModel = b.verifyModel;
  }

  /** Every option of this module, in documentation order. */
  public static List<ConfigKey> keys() {
    return KEYS;
  }

  /** The defaults. */
  public static EncoderOptions defaults() {
    return builder().build();
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.modelDir = modelDir;
    b.device = device;
    b.batchSize = batchSize;
    b.batchTimeoutMs = batchTimeoutMs;
    b.batchesInFlight = batchesInFlight;
    b.inferenceThreads = inferenceThreads;
    b.threads = threads;
    b.interOpThreads = interOpThreads;
    b.threadsSpin = threadsSpin;
    b.warmupRuns = warmupRuns;
    b.cudaMemoryLimitBytes = cudaMemoryLimitBytes;
    b.cudnnConvAlgoSearch = cudnnConvAlgoSearch;
    b.maxFrameSide = maxFrameSide;
    b.maxFramePixels = maxFramePixels;
    b.verifyModel = verifyModel;
    return b;
  }

  /**
   * Options from {@code encoder.*} keys (a properties file, {@code -D} flags, a Flink
   * configuration). Keys outside {@code encoder.} are ignored; an unknown {@code encoder.} key or a
   * bad value is an error that names the key.
   */
  public static EncoderOptions fromMap(Map<String, String> values) {
    Builder b = builder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith("encoder.")) {
        continue;
      }
      ConfigKey k = KEYS.stream().filter(x -> x.name().equals(key)).findFirst().orElse(null);
      if (k == null) {
        throw new EncoderException(
            "unknown option '" + key + "'; the encoder options are " + names());
      }
      b.set(k, e.getValue());
    }
    return b.build();
  }

  /**
   * Options from environment variables such as {@code ENCODER_BATCH_SIZE} (see {@link
   * ConfigKey#envName()}); other variables are ignored.
   */
  public static EncoderOptions fromEnvironment(Map<String, String> env) {
    return fromMap(ConfigKey.fromEnvironment(KEYS, env));
  }

  /** Every option as key -> text, the form {@link #fromMap} reads. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(MODEL_DIR.name(), modelDir == null ? "" : modelDir);
    m.put(DEVICE.name(), device.toString());
    m.put(BATCH_SIZE.name(), Integer.toString(batchSize));
    m.put(BATCH_TIMEOUT_MS.name(), Long.toString(batchTimeoutMs));
    m.put(BATCHES_IN_FLIGHT.name(), Integer.toString(batchesInFlight));
    m.put(INFERENCE_THREADS.name(), Integer.toString(inferenceThreads));
    m.put(THREADS.name(), Integer.toString(threads));
    m.put(INTER_OP_THREADS.name(), Integer.toString(interOpThreads));
    m.put(THREADS_SPIN.name(), Boolean.toString(threadsSpin));
    m.put(WARMUP_RUNS.name(), Integer.toString(warmupRuns));
    m.put(CUDA_MEMORY_LIMIT.name(), Long.toString(cudaMemoryLimitBytes));
    m.put(CUDNN_CONV_ALGO_SEARCH.name(), cudnnConvAlgoSearch.name());
    m.put(MAX_FRAME_SIDE.name(), Integer.toString(maxFrameSide));
    m.put(MAX_FRAME_PIXELS.name(), Long.toString(maxFramePixels));
    m.put(VERIFY_MODEL.name(), Boolean.toString(verifyModel));
    return m;
  }

  /** The model folder, or empty for the shipped model. */
  public Optional<Path> modelDir() {
    return modelDir == null || modelDir.isBlank()
        ? Optional.empty()
        : Optional.of(Path.of(modelDir));
  }

  public Device device() {
    return device;
  }

  public int batchSize() {
    return batchSize;
  }

  public long batchTimeoutMs() {
    return batchTimeoutMs;
  }

  /** Batches queued or running on the operator's inference threads; 0 = on the task thread. */
  public int batchesInFlight() {
    return batchesInFlight;
  }

  /** Threads of the operator that run batches at once. */
  public int inferenceThreads() {
    return inferenceThreads;
  }

  public int threads() {
    return threads;
  }

  public int interOpThreads() {
    return interOpThreads;
  }

  public boolean threadsSpin() {
    return threadsSpin;
  }

  public int warmupRuns() {
    return warmupRuns;
  }

  public long cudaMemoryLimitBytes() {
    return cudaMemoryLimitBytes;
  }

  public CudnnConvAlgoSearch cudnnConvAlgoSearch() {
    return cudnnConvAlgoSearch;
  }

  public int maxFrameSide() {
    return maxFrameSide;
  }

  public long maxFramePixels() {
    return maxFramePixels;
  }

  public boolean verifyModel() {
    return verifyModel;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncoderOptions other && toMap().equals(other.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "EncoderOptions" + toMap();
  }

  private static List<String> names() {
    List<String> n = new ArrayList<>();
    KEYS.forEach(k -> n.add(k.name()));
    return n;
  }

  /** Builds {@link EncoderOptions}; {@link #build()} checks every value. */
  public static final class Builder {
    private String modelDir = "";
    private Device device = Device.AUTO;
    private int batchSize = 32;
    private long batchTimeoutMs = 10;
    private int batchesInFlight = 4;
    private int inferenceThreads = 2;
    private int threads = 0;
    private int interOpThreads = 1;
    private boolean threadsSpin = true;
    private int warmupRuns = 2;
    private long cudaMemoryLimitBytes = 0;
    private CudnnConvAlgoSearch cudnnConvAlgoSearch = CudnnConvAlgoSearch.EXHAUSTIVE;
    private int maxFrameSide = 8192;
    private long maxFramePixels = 16_777_216L;
    private boolean verifyModel = true;

    private Builder() {}

    /** Sets one option from its text form; the error names the key and the accepted values. */
    public Builder set(ConfigKey key, String value) {
      String v = value == null ? "" : value.trim();
      try {
        switch (key.name()) {
          case "encoder.model.dir" -> modelDir = v;
          case "encoder.device" -> device = Device.parse(v);
          case "encoder.batch.size" -> batchSize = Integer.parseInt(v);
          case "encoder.batch.timeout.ms" -> batchTimeoutMs = Long.parseLong(v);
          case "encoder.batches.in.flight" -> batchesInFlight = Integer.parseInt(v);
          case "encoder.inference.threads" -> inferenceThreads = Integer.parseInt(v);
          case "encoder.threads" -> threads = Integer.parseInt(v);
          case "encoder.threads.inter" -> interOpThreads = Integer.parseInt(v);
          case "encoder.threads.spin" -> threadsSpin = parseBoolean(v);
          case "encoder.warmup.runs" -> warmupRuns = Integer.parseInt(v);
          case "encoder.cuda.memory.limit.bytes" -> cudaMemoryLimitBytes = Long.parseLong(v);
          case "encoder.cuda.cudnn.conv.algo.search" ->
              cudnnConvAlgoSearch = CudnnConvAlgoSearch.valueOf(v.toUpperCase(Locale.ROOT));
          case "encoder.frame.max.side" -> maxFrameSide = Integer.parseInt(v);
          case "encoder.frame.max.pixels" -> maxFramePixels = Long.parseLong(v);
          case "encoder.model.verify" -> verifyModel = parseBoolean(v);
          default -> throw new EncoderException("unknown option '" + key.name() + "'");
        }
      } catch (IllegalArgumentException e) {
        throw new EncoderException(
            "bad value '"
                + value
                + "' for "
                + key.name()
                + " (expected "
                + key.type()
                + "): "
                + e.getMessage(),
            e);
      }
      return this;
    }

    /** The model folder (with {@code model-card.json}); null or blank = the shipped model. */
    public Builder modelDir(Path dir) {
      this.modelDir = dir == null ? "" : dir.toAbsolutePath().toString();
      return this;
    }

    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder batchTimeoutMs(long batchTimeoutMs) {
      this.batchTimeoutMs = batchTimeoutMs;
      return this;
    }

    public Builder batchesInFlight(int batchesInFlight) {
      this.batchesInFlight = batchesInFlight;
      return this;
    }

    public Builder inferenceThreads(int inferenceThreads) {
      this.inferenceThreads = inferenceThreads;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder interOpThreads(int interOpThreads) {
      this.interOpThreads = interOpThreads;
      return this;
    }

    public Builder threadsSpin(boolean threadsSpin) {
      this.threadsSpin = threadsSpin;
      return this;
    }

    public Builder warmupRuns(int warmupRuns) {
      this.warmupRuns = warmupRuns;
      return this;
    }

    public Builder cudaMemoryLimitBytes(long bytes) {
      this.cudaMemoryLimitBytes = bytes;
      return this;
    }

    public Builder cudnnConvAlgoSearch(CudnnConvAlgoSearch search) {
      this.cudnnConvAlgoSearch = search;
      return this;
    }

    public Builder maxFrameSide(int maxFrameSide) {
      this.maxFrameSide = maxFrameSide;
      return this;
    }

    public Builder maxFramePixels(long maxFramePixels) {
      this.maxFramePixels = maxFramePixels;
      return this;
    }

    public Builder verifyModel(boolean verifyModel) {
      this.verifyModel = verifyModel;
      return this;
    }

    /** Checks every value and builds the options. */
    public EncoderOptions build() {
      check(device != null, DEVICE, "must be set");
      check(
          batchSize >= 1 && batchSize <= 4096, BATCH_SIZE, "must be in 1..4096, got " + batchSize);
      check(batchTimeoutMs >= 0, BATCH_TIMEOUT_MS, "must be >= 0, got " + batchTimeoutMs);
      check(
          batchesInFlight >= 0 && batchesInFlight <= 8,
          BATCHES_IN_FLIGHT,
          "must be in 0..8 (0 = encode on the task thread), got " + batchesInFlight);
      check(
          inferenceThreads >= 1 && inferenceThreads <= 8,
          INFERENCE_THREADS,
          "must be in 1..8, got " + inferenceThreads);
      check(
          batchesInFlight == 0 || inferenceThreads <= batchesInFlight,
          INFERENCE_THREADS,
          "("
              + inferenceThreads
              + ") must not exceed encoder.batches.in.flight ("
              + batchesInFlight
              + "): a thread without a batch does nothing");
      check(threads >= 0, THREADS, "must be >= 0 (0 = ONNX Runtime's default), got " + threads);
      check(interOpThreads >= 0, INTER_OP_THREADS, "must be >= 0, got " + interOpThreads);
      check(warmupRuns >= 0, WARMUP_RUNS, "must be >= 0, got " + warmupRuns);
      check(
          cudaMemoryLimitBytes >= 0,
          CUDA_MEMORY_LIMIT,
          "must be >= 0 (0 = no limit), got " + cudaMemoryLimitBytes);
      check(cudnnConvAlgoSearch != null, CUDNN_CONV_ALGO_SEARCH, "must be set");
      check(maxFrameSide >= 1, MAX_FRAME_SIDE, "must be >= 1, got " + maxFrameSide);
      check(maxFramePixels >= 1, MAX_FRAME_PIXELS, "must be >= 1, got " + maxFramePixels);
      return new EncoderOptions(this);
    }

    private static boolean parseBoolean(String v) {
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException("not true or false");
    }

    private static void check(boolean ok, ConfigKey key, String what) {
      if (!ok) {
        throw new EncoderException(key.name() + " " + what);
      }
    }
  }
}
