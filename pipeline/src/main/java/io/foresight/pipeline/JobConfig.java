package io.foresight.pipeline;

import io.foresight.encoders.EncoderOptions;
import io.foresight.planner.PlannerOptions;
import io.foresight.schemas.config.ConfigReader;
import io.foresight.schemas.config.OptionGroup;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the job is configured with: its own options ({@link JobOptions}) and those of the
 * encoder and the planner, read by one {@link ConfigReader} from a properties file, the environment
 * and the command line's {@code --set key=value} (highest precedence), with the same keys
 * everywhere.
 *
 * <pre>{@code
 * JobConfig config = JobConfig.load(Path.of("job.properties"), System.getenv(),
 *     Map.of("job.parallelism", "2"));
 * }</pre>
 */
public final class JobConfig implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The option groups the job reads, in documentation order. */
  public static final List<OptionGroup<?>> GROUPS =
      List.of(JobOptions.GROUP, EncoderOptions.GROUP, PlannerOptions.GROUP);

  private final JobOptions job;
  private final EncoderOptions encoder;
  private final PlannerOptions planner;

  public JobConfig(JobOptions job, EncoderOptions encoder, PlannerOptions planner) {
    this.job = job;
    this.encoder = encoder;
    this.planner = planner;
  }

  /** Defaults only, plus overrides. */
  public static JobConfig of(Map<String, String> overrides) {
    return load(null, Map.of(), overrides);
  }

  /**
   * Reads a properties file (or null), environment variables and overrides.
   *
   * @throws PipelineException naming a key whose value is bad (or an encoder/planner exception)
   * @throws io.foresight.schemas.config.ConfigException if the file cannot be read
   */
  public static JobConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    ConfigReader reader = ConfigReader.of(file, env, overrides);
    JobConfig config =
        new JobConfig(
            reader.read(JobOptions.GROUP),
            reader.read(EncoderOptions.GROUP),
            reader.read(PlannerOptions.GROUP));
    reader.warnUnknown(GROUPS);
    return config;
  }

  public JobOptions job() {
    return job;
  }

  public EncoderOptions encoder() {
    return encoder;
  }

  public PlannerOptions planner() {
    return planner;
  }
}
