package io.foresight.pipeline;

import io.foresight.encoders.EncoderOptions;
import io.foresight.planner.PlannerOptions;
import io.foresight.schemas.config.ConfigKey;
import io.foresight.schemas.config.Settings;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the job is configured with: its own options ({@link JobOptions}) and those of the
 * encoder and the planner, merged from a properties file, the environment and the command line's
 * {@code --set key=value} (highest precedence), with the same keys everywhere.
 */
public final class JobConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Settings job;
  private final EncoderOptions encoder;
  private final PlannerOptions planner;

  public JobConfig(Settings job, EncoderOptions encoder, PlannerOptions planner) {
    this.job = job;
    this.encoder = encoder;
    this.planner = planner;
  }

  /** Defaults only, plus overrides. */
  public static JobConfig of(Map<String, String> overrides) {
    return load(null, Map.of(), overrides);
  }

  /**
   * Merges a properties file (or null), environment variables and overrides.
   *
   * @throws PipelineException naming a key whose value is bad
   * @throws io.foresight.schemas.ContractException if the file cannot be read
   */
  public static JobConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> merged = Settings.load(file, env, overrides, allConfigKeys()).asMap();
    Map<String, String> jobOnly = new HashMap<>();
    merged.forEach(
        (k, v) -> {
          if (k.startsWith("job.") || k.startsWith("kafka.")) {
            jobOnly.put(k, v);
          }
        });
    for (String k : jobOnly.keySet()) {
      if (JobOptions.KEYS.stream().noneMatch(c -> c.name().equals(k))) {
        throw new PipelineException(
            "unknown option " + k + "; the job's options are " + names(JobOptions.KEYS));
      }
    }
    return new JobConfig(
        new Settings(jobOnly), EncoderOptions.fromMap(merged), PlannerOptions.fromMap(merged));
  }

  /** Every key the job reads: its own, the encoder's and the planner's. */
  public static List<ConfigKey> allConfigKeys() {
    List<ConfigKey> all = new java.util.ArrayList<>(JobOptions.KEYS);
    all.addAll(EncoderOptions.keys());
    all.addAll(PlannerOptions.keys());
    return all;
  }

  private static List<String> names(List<ConfigKey> keys) {
    return keys.stream().map(ConfigKey::name).toList();
  }

  public Settings job() {
    return job;
  }

  public EncoderOptions encoder() {
    return encoder;
  }

  public PlannerOptions planner() {
    return planner;
  }
}
