package io.foresight.pipeline;

import io.foresight.schemas.config.Check;
import io.foresight.schemas.config.ConfigBuilder;
import io.foresight.schemas.config.ConfigOption;
import io.foresight.schemas.config.ConfigOptions;
import io.foresight.schemas.config.ConfigValues;
import io.foresight.schemas.config.KafkaOptions;
import io.foresight.schemas.config.OptionGroup;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The typed options of the Foresight job, each declared once below. The same keys work from {@code
 * foresight job --set key=value}, a properties file ({@code --config FILE}) and the environment
 * ({@code JOB_PARALLELISM}), as the docker-compose stack sets them; see {@code
 * docs/configuration.md}.
 *
 * <pre>{@code
 * JobOptions job = JobConfig.load(file, System.getenv(), overrides).job();
 * int parallelism = job.get(JobOptions.PARALLELISM);
 * }</pre>
 */
public final class JobOptions implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The Kafka brokers (shared by every module). */
  public static final ConfigOption<String> BOOTSTRAP = KafkaOptions.BOOTSTRAP_SERVERS;

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("job.group.id")
          .stringType()
          .defaultValue("foresight-job")
          .checking(Check.notBlank())
          .withDescription("Consumer group of the job's sources");
  public static final ConfigOption<String> STARTING_OFFSETS =
      ConfigOptions.key("job.starting.offsets")
          .oneOf("earliest", "latest")
          .defaultValue("earliest")
          .withDescription("Where to start when the group has no committed offsets");
  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("job.parallelism")
          .intType()
          .defaultValue(1)
          .checking(Check.atLeast(1))
          .withDescription("Default parallelism of the job's operators");
  public static final ConfigOption<Integer> MAX_PARALLELISM =
      ConfigOptions.key("job.max.parallelism")
          .intType()
          .defaultValue(128)
          .checking(Check.between(1, 32768))
          .withDescription(
              "Key groups of the keyed state: the most the job can ever be rescaled to from a"
                  + " savepoint; changing it makes existing savepoints and checkpoints unusable");
  public static final ConfigOption<String> CHECKPOINT_DIR =
      ConfigOptions.key("job.checkpoint.dir")
          .type(io.foresight.schemas.config.ValueType.STRING.named("uri"))
          .defaultValue("")
          .withDescription(
              "Checkpoint storage (file:///path, s3://...); empty = in the JobManager's memory");
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("job.checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(2))
          .checking(Check.atLeast(Duration.ofMillis(10)))
          .withDeprecatedMillisKey("job.checkpoint.interval.ms")
          .withDescription("Checkpoint interval");
  public static final ConfigOption<String> SAVEPOINT_DIR =
      ConfigOptions.key("job.savepoint.dir")
          .type(io.foresight.schemas.config.ValueType.STRING.named("uri"))
          .defaultValue("")
          .withDescription(
              "Where savepoints go (stop-with-savepoint, `foresight cluster stop`); empty ="
                  + " `savepoints` under job.checkpoint.dir");
  public static final ConfigOption<String> RESTART_STRATEGY =
      ConfigOptions.key("job.restart.strategy")
          .oneOf("exponential-delay", "fixed-delay", "none")
          .defaultValue("exponential-delay")
          .withDescription(
              "What the job does after a failure (a lost TaskManager, a broker away): restart"
                  + " with a growing delay, a fixed delay, or fail at once");
  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      ConfigOptions.key("job.restart.attempts")
          .intType()
          .defaultValue(0)
          .checking(Check.atLeast(0))
          .withDescription(
              "Restarts before the job fails for good; 0 = no limit (exponential-delay counts"
                  + " attempts since the delay was last reset)");
  public static final ConfigOption<Duration> RESTART_DELAY =
      ConfigOptions.key("job.restart.delay")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .checking(Check.atLeast(Duration.ofMillis(1)))
          .withDescription("Delay before the first restart (fixed-delay: before every restart)");
  public static final ConfigOption<Duration> RESTART_MAX_DELAY =
      ConfigOptions.key("job.restart.max.delay")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .checking(Check.atLeast(Duration.ofMillis(1)))
          .withDescription(
              "exponential-delay: the longest delay between restarts (the delay doubles up to"
                  + " it, and is reset after an hour without failures)");
  public static final ConfigOption<Boolean> CHECKPOINT_UNALIGNED =
      ConfigOptions.key("job.checkpoint.unaligned")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Unaligned checkpoints: barriers overtake buffered records instead of waiting for"
                  + " every input's barrier (shorter pauses of the world model at a checkpoint;"
                  + " in-flight records go into the checkpoint)");
  public static final ConfigOption<String> STATE_BACKEND =
      ConfigOptions.key("job.state.backend")
          .oneOf("hashmap", "forst", "rocksdb")
          .defaultValue("hashmap")
          .withDescription(
              "Flink state backend; the job jar never contains rocksdbjni, so 'rocksdb' needs"
                  + " Flink's own RocksDB backend from the cluster's lib");
  public static final ConfigOption<String> DELIVERY =
      ConfigOptions.key("job.delivery.guarantee")
          .oneOf("exactly-once", "at-least-once")
          .defaultValue("exactly-once")
          .withDescription(
              "Guarantee of the latents, predictions, surprise and dead-letter sinks"
                  + " (exactly-once uses Kafka transactions committed on checkpoints; readers use"
                  + " read_committed)");
  public static final ConfigOption<String> PLANS_DELIVERY =
      ConfigOptions.key("job.plans.delivery.guarantee")
          .oneOf("exactly-once", "at-least-once")
          .defaultValue("at-least-once")
          .withDescription(
              "Guarantee of the plans sink: at-least-once by default so robots see a plan without"
                  + " waiting for a checkpoint (a repeated plan is harmless: robots execute the"
                  + " newest)");
  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      ConfigOptions.key("job.transactional.id.prefix")
          .stringType()
          .defaultValue("foresight")
          .checking(Check.notBlank())
          .withDescription("Prefix of the sinks' transactional ids");
  public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
      ConfigOptions.key("job.watermark.out.of.orderness")
          .durationType()
          .defaultValue(Duration.ofMillis(200))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedMillisKey("job.watermark.out-of-orderness.ms")
          .withDescription("Bounded out-of-orderness of event time in the sources");
  public static final ConfigOption<Duration> READINGS_TOLERANCE =
      ConfigOptions.key("job.readings.tolerance")
          .durationType()
          .defaultValue(Duration.ofMillis(150))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedMillisKey("job.readings.tolerance.ms")
          .withDescription(
              "A reading is attached to a frame if it is at most this much older than the frame");
  public static final ConfigOption<Duration> READINGS_MAX_WAIT =
      ConfigOptions.key("job.readings.max.wait")
          .durationType()
          .defaultValue(Duration.ofMillis(50))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedMillisKey("job.readings.max-wait.ms")
          .withDescription(
              "How long a latent waits for readings that have not arrived yet; later ones are"
                  + " counted as late");
  public static final ConfigOption<Duration> IDLE_TIMEOUT =
      ConfigOptions.key("job.idle.timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .checking(Check.atLeast(Duration.ofMillis(1)))
          .withDeprecatedMillisKey("job.idle.timeout.ms")
          .withDescription("Per-stream state is cleared when a stream sends nothing for this long");
  public static final ConfigOption<Boolean> OBJECT_REUSE =
      ConfigOptions.key("job.object.reuse")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Flink's pipeline.object-reuse: chained operators hand records on without a deep"
                  + " copy (safe for the job's operators: none keeps or changes a record a chained"
                  + " operator handed it); off by default, as it made no measurable difference at"
                  + " 64 robots (docs/benchmarks.md)");
  public static final ConfigOption<Duration> BUFFER_TIMEOUT =
      ConfigOptions.key("job.buffer.timeout")
          .durationType()
          .defaultValue(Duration.ZERO)
          .checking(Check.nonNegativeDuration())
          .withDeprecatedMillisKey("job.buffer.timeout.ms")
          .withDescription(
              "How long Flink holds a partly filled network buffer between operators (Flink's"
                  + " default is 100ms). 0 = flush after every record: no batching delay and no"
                  + " flusher threads, where any other value gives every output between operators"
                  + " a thread that wakes each timeout (the job's 21 took 0.08 cores at 5 ms with"
                  + " no traffic at all). At the job's rates, up to a few thousand records per"
                  + " second per output, that is cheaper than 5 ms (docs/benchmarks.md); a few"
                  + " milliseconds suit a job with far more records per second");

  /** Every option of the job, in documentation order. */
  public static final OptionGroup<JobOptions> GROUP =
      OptionGroup.builder("pipeline", JobOptions::new)
          .title("The Flink job (`job.*`)")
          .description(
              "The job that wires the stages; it also reads the encoder and planner options.")
          .prefixes("job.", "kafka.")
          .options(
              BOOTSTRAP,
              GROUP_ID,
              STARTING_OFFSETS,
              PARALLELISM,
              MAX_PARALLELISM,
              CHECKPOINT_DIR,
              CHECKPOINT_INTERVAL,
              SAVEPOINT_DIR,
              RESTART_STRATEGY,
              RESTART_ATTEMPTS,
              RESTART_DELAY,
              RESTART_MAX_DELAY,
              CHECKPOINT_UNALIGNED,
              STATE_BACKEND,
              DELIVERY,
              PLANS_DELIVERY,
              TRANSACTIONAL_ID_PREFIX,
              OUT_OF_ORDERNESS,
              READINGS_TOLERANCE,
              READINGS_MAX_WAIT,
              IDLE_TIMEOUT,
              OBJECT_REUSE,
              BUFFER_TIMEOUT)
          .errors(PipelineException::new)
          .build();

  /** Every key of the job. */
  public static final List<ConfigOption<?>> KEYS = GROUP.options();

  private final ConfigValues values;

  private JobOptions(ConfigValues values) {
    this.values = values;
  }

  /** The defaults. */
  public static JobOptions defaults() {
    return GROUP.defaults();
  }

  /** A builder with every option at its default. */
  public static ConfigBuilder<JobOptions> builder() {
    return GROUP.builder();
  }

  /** Options from {@code job.*} and {@code kafka.*} keys; other keys are ignored. */
  public static JobOptions fromMap(Map<String, String> values) {
    return GROUP.fromMap(values);
  }

  /** The value of an option. */
  public <T> T get(ConfigOption<T> option) {
    return values.get(option);
  }

  /** Every option as key -> text. */
  public Map<String, String> toMap() {
    return values.asMap();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobOptions other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "JobOptions" + values;
  }
}
