package io.foresight.encoders;

import io.foresight.runtime.Device;
import io.foresight.schemas.config.Check;
import io.foresight.schemas.config.ConfigBuilder;
import io.foresight.schemas.config.ConfigOption;
import io.foresight.schemas.config.ConfigOptions;
import io.foresight.schemas.config.ConfigValues;
import io.foresight.schemas.config.OptionGroup;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed options of the encoders module: the model folder, the device, micro-batching, threads,
 * CUDA settings and frame limits, each declared once below under a key such as {@code
 * encoder.batch.size}.
 *
 * <p>The same keys work from the command line, a properties file ({@link #fromMap}) and the
 * environment ({@link #fromEnvironment}: {@code encoder.batch.size} becomes {@code
 * ENCODER_BATCH_SIZE}); see {@code docs/configuration.md}. Instances are immutable and
 * serializable, so a Flink job can ship them to its operators.
 *
 * <pre>{@code
 * EncoderOptions options = EncoderOptions.builder()
 *     .set(EncoderOptions.DEVICE, "cuda:0").set(EncoderOptions.BATCH_SIZE, 32).build();
 * EncoderOptions fromFile = EncoderOptions.fromMap(Map.of("encoder.batch.timeout", "5ms"));
 * int n = options.get(EncoderOptions.BATCH_SIZE);
 * }</pre>
 */
public final class EncoderOptions implements Serializable {
  private static final long serialVersionUID = 2L;

  /** cuDNN convolution algorithm search of the CUDA execution provider. */
  public enum CudnnConvAlgoSearch {
    /** Benchmark every algorithm on first use (ORT's default; slow first batch, fastest after). */
    EXHAUSTIVE,
    /** cuDNN's heuristics, no benchmarking. */
    HEURISTIC,
    /** The default algorithm. */
    DEFAULT
  }

  public static final ConfigOption<Optional<Path>> MODEL_DIR =
      ConfigOptions.key("encoder.model.dir")
          .optionalPathType()
          .withDescription(
              "Folder with model-card.json and the encoder ONNX file; empty = the shipped model"
                  + " (models/two-rooms under FORESIGHT_HOME or above the working directory)");
  public static final ConfigOption<String> DEVICE =
      ConfigOptions.device(
          "encoder.device",
          "encoder (on Flink, auto and cuda take the GPU index"
              + " from the external resource 'gpu')",
          "auto");
  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("encoder.batch.size")
          .intType()
          .defaultValue(32)
          .checking(Check.between(1, 4096))
          .withDescription("Frames per encoder call; a batch is flushed when full");
  public static final ConfigOption<Duration> BATCH_TIMEOUT =
      ConfigOptions.key("encoder.batch.timeout")
          .durationType()
          .defaultValue(Duration.ofMillis(10))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedMillisKey("encoder.batch.timeout.ms")
          .withDescription("A partly filled batch is flushed this long after its first frame");
  public static final ConfigOption<Boolean> BATCH_EAGER =
      ConfigOptions.key("encoder.batch.eager")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "true = the Flink operator sends frames to the encoder as soon as an inference thread"
                  + " is free and batches only while every one is busy (no batching delay under"
                  + " light load). Off by default: a frame then often reaches the world model before"
                  + " the action its robot published just before it on foresight.actions, and"
                  + " surprise is scored without the executed action (demo, 4 robots: recall 78%"
                  + " instead of 100%, frame -> plan p50 21 instead of 38 ms)");
  public static final ConfigOption<Integer> BATCHES_IN_FLIGHT =
      ConfigOptions.key("encoder.batches.in.flight")
          .intType()
          .defaultValue(4)
          .checking(Check.between(0, 8))
          .withDescription(
              "Batches the Flink operator has queued or running on its inference threads while the"
                  + " task thread collects the next one; 0 = decode and encode on the task thread");
  public static final ConfigOption<Integer> INFERENCE_THREADS =
      ConfigOptions.key("encoder.inference.threads")
          .intType()
          .defaultValue(2)
          .checking(Check.between(1, 8))
          .withDescription(
              "Threads of the Flink operator that decode and encode batches side by side (at most"
                  + " encoder.batches.in.flight); encoder.threads=0 shares the cores out among"
                  + " them");
  public static final ConfigOption<Integer> THREADS =
      ConfigOptions.key("encoder.threads")
          .intType()
          .defaultValue(0)
          .checking(Check.nonNegative())
          .withDescription(
              "ONNX Runtime intra-op threads per session; 0 = automatic: ONNX Runtime's default"
                  + " (one per physical core), or in the Flink operator with several inference"
                  + " threads, the cores shared out among them");
  public static final ConfigOption<Integer> INTER_OP_THREADS =
      ConfigOptions.key("encoder.threads.inter")
          .intType()
          .defaultValue(1)
          .checking(Check.nonNegative())
          .withDescription("ONNX Runtime inter-op threads per session");
  public static final ConfigOption<Boolean> THREADS_SPIN =
      ConfigOptions.key("encoder.threads.spin")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Let ONNX Runtime's threads spin while waiting for work (ONNX Runtime's default:"
                  + " lower latency, but it burns CPU that other tasks on the machine could use;"
                  + " false on shared or oversubscribed machines)");
  public static final ConfigOption<Integer> WARMUP_RUNS =
      ConfigOptions.key("encoder.warmup.runs")
          .intType()
          .defaultValue(2)
          .checking(Check.nonNegative())
          .withDescription(
              "Inference runs on a zero batch when a session is created, before the first frame");
  public static final ConfigOption<Long> CUDA_MEMORY_LIMIT =
      ConfigOptions.key("encoder.cuda.memory.limit.bytes")
          .longType()
          .defaultValue(0L)
          .checking(Check.nonNegative())
          .withDescription("CUDA provider gpu_mem_limit (arena size limit) in bytes; 0 = no limit");
  public static final ConfigOption<CudnnConvAlgoSearch> CUDNN_CONV_ALGO_SEARCH =
      ConfigOptions.key("encoder.cuda.cudnn.conv.algo.search")
          .enumType(CudnnConvAlgoSearch.class)
          .defaultValue(CudnnConvAlgoSearch.EXHAUSTIVE)
          .withDescription("CUDA provider cudnn_conv_algo_search");
  public static final ConfigOption<Integer> MAX_FRAME_SIDE =
      ConfigOptions.key("encoder.frame.max.side")
          .intType()
          .defaultValue(8192)
          .checking(Check.atLeast(1))
          .withDescription(
              "Frames wider or higher than this are refused (dead letter, BAD_DIMENSIONS)");
  public static final ConfigOption<Long> MAX_FRAME_PIXELS =
      ConfigOptions.key("encoder.frame.max.pixels")
          .longType()
          .defaultValue(16_777_216L)
          .checking(Check.atLeast(1))
          .withDescription(
              "Frames with more pixels than this are refused before decoding (dead letter,"
                  + " BAD_DIMENSIONS)");
  public static final ConfigOption<Boolean> VERIFY_MODEL =
      ConfigOptions.key("encoder.model.verify")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Check the encoder file's SHA-256 against the model card before loading it");

  /** Every option of this module, in documentation order. */
  public static final OptionGroup<EncoderOptions> GROUP =
      OptionGroup.builder("encoders", EncoderOptions::new)
          .title("Encoders (`encoder.*`)")
          .description("Frame decoding and the micro-batching Flink encoder operator.")
          .prefixes("encoder.")
          .options(
              MODEL_DIR,
              DEVICE,
              BATCH_SIZE,
              BATCH_TIMEOUT,
              BATCH_EAGER,
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
              VERIFY_MODEL)
          .check(EncoderOptions::checkTogether)
          .errors(EncoderException::new)
          .build();

  private final ConfigValues values;

  private EncoderOptions(ConfigValues values) {
    this.values = values;
  }

  private static void checkTogether(ConfigValues v) {
    int inFlight = v.get(BATCHES_IN_FLIGHT);
    int threads = v.get(INFERENCE_THREADS);
    GROUP.require(
        inFlight == 0 || threads <= inFlight,
        INFERENCE_THREADS,
        "("
            + threads
            + ") must not exceed encoder.batches.in.flight ("
            + inFlight
            + "): a thread without a batch does nothing");
  }

  /** Every option of this module, in documentation order. */
  public static List<ConfigOption<?>> keys() {
    return GROUP.options();
  }

  /** The defaults. */
  public static EncoderOptions defaults() {
    return GROUP.defaults();
  }

  /** A builder with every option at its default. */
  public static ConfigBuilder<EncoderOptions> builder() {
    return GROUP.builder();
  }

  /** A builder holding this instance's values. */
  public ConfigBuilder<EncoderOptions> toBuilder() {
    return GROUP.builder(values);
  }

  /**
   * Options from {@code encoder.*} keys (a properties file, a Flink configuration). Keys outside
   * {@code encoder.} are ignored; an unknown {@code encoder.} key or a bad value is an error that
   * names the key.
   */
  public static EncoderOptions fromMap(Map<String, String> values) {
    return GROUP.fromMap(values);
  }

  /** Options from environment variables such as {@code ENCODER_BATCH_SIZE}; others are ignored. */
  public static EncoderOptions fromEnvironment(Map<String, String> env) {
    return GROUP.fromEnvironment(env);
  }

  /** The value of an option. */
  public <T> T get(ConfigOption<T> option) {
    return values.get(option);
  }

  /** Every option as key -> text, the form {@link #fromMap} reads. */
  public Map<String, String> toMap() {
    return values.asMap();
  }

  /** The model folder, or empty for the shipped model. */
  public Optional<Path> modelDir() {
    return get(MODEL_DIR);
  }

  /** The device, parsed. */
  public Device device() {
    return Device.parse(get(DEVICE));
  }

  public int batchSize() {
    return get(BATCH_SIZE);
  }

  public long batchTimeoutMs() {
    return get(BATCH_TIMEOUT).toMillis();
  }

  /** Whether the operator sends frames on at once while an inference thread is free. */
  public boolean batchEager() {
    return get(BATCH_EAGER);
  }

  /** Batches queued or running on the operator's inference threads; 0 = on the task thread. */
  public int batchesInFlight() {
    return get(BATCHES_IN_FLIGHT);
  }

  /** Threads of the operator that run batches at once. */
  public int inferenceThreads() {
    return get(INFERENCE_THREADS);
  }

  public int threads() {
    return get(THREADS);
  }

  public int interOpThreads() {
    return get(INTER_OP_THREADS);
  }

  public boolean threadsSpin() {
    return get(THREADS_SPIN);
  }

  public int warmupRuns() {
    return get(WARMUP_RUNS);
  }

  public long cudaMemoryLimitBytes() {
    return get(CUDA_MEMORY_LIMIT);
  }

  public CudnnConvAlgoSearch cudnnConvAlgoSearch() {
    return get(CUDNN_CONV_ALGO_SEARCH);
  }

  public int maxFrameSide() {
    return get(MAX_FRAME_SIDE);
  }

  public long maxFramePixels() {
    return get(MAX_FRAME_PIXELS);
  }

  public boolean verifyModel() {
    return get(VERIFY_MODEL);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncoderOptions other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "EncoderOptions" + values;
  }
}
