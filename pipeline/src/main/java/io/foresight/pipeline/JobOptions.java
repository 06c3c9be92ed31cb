package io.foresight.pipeline;

import io.foresight.schemas.config.ConfigKey;
import java.util.List;

/**
 * The typed options of the Foresight job. The same keys work from {@code foresight job --set
 * key=value}, a properties file ({@code --config FILE}) and the environment ({@code
 * JOB_PARALLELISM}), as the docker-compose stack sets them.
 */
public final class JobOptions {
  private JobOptions() {}

  public static final ConfigKey BOOTSTRAP =
      new ConfigKey(
          "kafka.bootstrap.servers", "host:port,...", "127.0.0.1:9092", "Kafka bootstrap servers");
  public static final ConfigKey GROUP_ID =
      new ConfigKey(
          "job.group.id", "string", "foresight-job", "Consumer group of the job's sources");
  public static final ConfigKey STARTING_OFFSETS =
      new ConfigKey(
          "job.starting.offsets",
          "earliest|latest",
          "earliest",
          "Where to start when the group has no committed offsets");
  public static final ConfigKey PARALLELISM =
      new ConfigKey("job.parallelism", "int", "1", "Default parallelism of the job's operators");
  public static final ConfigKey CHECKPOINT_DIR =
      new ConfigKey(
          "job.checkpoint.dir",
          "uri",
          "",
          "Checkpoint storage (file:///path, s3://...); empty = in the JobManager's memory");
  public static final ConfigKey CHECKPOINT_INTERVAL_MS =
      new ConfigKey("job.checkpoint.interval.ms", "long", "2000", "Checkpoint interval");
  public static final ConfigKey STATE_BACKEND =
      new ConfigKey(
          "job.state.backend",
          "hashmap|forst|rocksdb",
          "hashmap",
          "Flink state backend; the job jar never contains rocksdbjni, so 'rocksdb' needs Flink's"
              + " own RocksDB backend from the cluster's lib");
  public static final ConfigKey DELIVERY =
      new ConfigKey(
          "job.delivery.guarantee",
          "exactly-once|at-least-once",
          "exactly-once",
          "Guarantee of the latents, predictions, surprise and dead-letter sinks (exactly-once uses"
              + " Kafka transactions committed on checkpoints; readers use read_committed)");
  public static final ConfigKey PLANS_DELIVERY =
      new ConfigKey(
          "job.plans.delivery.guarantee",
          "exactly-once|at-least-once",
          "at-least-once",
          "Guarantee of the plans sink: at-least-once by default so robots see a plan without"
              + " waiting for a checkpoint (a repeated plan is harmless: robots execute the newest)");
  public static final ConfigKey TRANSACTIONAL_ID_PREFIX =
      new ConfigKey(
          "job.transactional.id.prefix",
          "string",
          "foresight",
          "Prefix of the sinks' transactional ids");
  public static final ConfigKey OUT_OF_ORDERNESS_MS =
      new ConfigKey(
          "job.watermark.out-of-orderness.ms",
          "long",
          "200",
          "Bounded out-of-orderness of event time in the sources");
  public static final ConfigKey READINGS_TOLERANCE_MS =
      new ConfigKey(
          "job.readings.tolerance.ms",
          "long",
          "150",
          "A reading is attached to a frame if it is at most this much older than the frame");
  public static final ConfigKey READINGS_MAX_WAIT_MS =
      new ConfigKey(
          "job.readings.max-wait.ms",
          "long",
          "50",
          "How long a latent waits for readings that have not arrived yet; later ones are counted as"
              + " late");
  public static final ConfigKey IDLE_TIMEOUT_MS =
      new ConfigKey(
          "job.idle.timeout.ms",
          "long",
          "600000",
          "Per-stream state is cleared when a stream sends nothing for this long");

  public static final ConfigKey BUFFER_TIMEOUT_MS =
      new ConfigKey(
          "job.buffer.timeout.ms",
          "long",
          "5",
          "How long Flink holds a partly filled network buffer between operators; small values keep"
              + " the frame-to-plan latency low (Flink's default is 100)");

  /** Every key of the job. */
  public static final List<ConfigKey> KEYS =
      List.of(
          BOOTSTRAP,
          GROUP_ID,
          STARTING_OFFSETS,
          PARALLELISM,
          CHECKPOINT_DIR,
          CHECKPOINT_INTERVAL_MS,
          STATE_BACKEND,
          DELIVERY,
          PLANS_DELIVERY,
          TRANSACTIONAL_ID_PREFIX,
          OUT_OF_ORDERNESS_MS,
          READINGS_TOLERANCE_MS,
          READINGS_MAX_WAIT_MS,
          IDLE_TIMEOUT_MS,
          BUFFER_TIMEOUT_MS);
}
