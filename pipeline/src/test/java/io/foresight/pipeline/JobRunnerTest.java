package io.foresight.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {

  @Test
  void shouldRestartWithAGrowingDelayAndNoAttemptLimitByDefault() {
    Configuration conf = JobRunner.flinkConfiguration(JobConfig.of(Map.of()));

    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
  }

  @Test
  void shouldFlushAfterEveryRecordByDefaultAndTakeTheBufferTimeoutFromTheOptions() {
    // 0: Flink starts no flusher thread per output (docs/benchmarks.md, session 12)
    assertThat(
            JobRunner.environment(JobConfig.of(Map.of()), new Configuration()).getBufferTimeout())
        .isZero();
    assertThat(
            JobRunner.environment(
                    JobConfig.of(Map.of("job.buffer.timeout", "5ms")), new Configuration())
                .getBufferTimeout())
        .isEqualTo(5);
  }

  @Test
  void shouldTakeTheRestartStrategyAndMaxParallelismFromTheOptions() {
    Configuration conf =
        JobRunner.flinkConfiguration(
            JobConfig.of(
                Map.of(
                    "job.restart.strategy", "fixed-delay",
                    "job.restart.attempts", "3",
                    "job.restart.delay", "2s",
                    "job.max.parallelism", "256")));

    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)).isEqualTo(3);
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(256);
    assertThat(
            JobRunner.flinkConfiguration(JobConfig.of(Map.of("job.restart.strategy", "none")))
                .get(RestartStrategyOptions.RESTART_STRATEGY))
        .isEqualTo("none");
  }

  @Test
  void shouldPutSavepointsUnderTheCheckpointDirectoryUnlessTold(@TempDir Path dir) {
    JobConfig cfg = JobConfig.of(Map.of("job.checkpoint.dir", dir.toString()));
    assertThat(JobRunner.savepointDir(cfg)).isEqualTo(dir.toUri().toString() + "savepoints");
    assertThat(JobRunner.flinkConfiguration(cfg).get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
        .isEqualTo(dir.toUri().toString() + "savepoints");
    assertThat(
            JobRunner.savepointDir(
                JobConfig.of(
                    Map.of(
                        "job.checkpoint.dir", dir.toString(), "job.savepoint.dir", "s3://b/sp"))))
        .isEqualTo("s3://b/sp");
  }

  @Test
  void shouldResumeFromTheNewestCheckpointOrSavepoint(@TempDir Path dir) throws Exception {
    JobConfig cfg = JobConfig.of(Map.of("job.checkpoint.dir", dir.toString()));
    assertThat(JobRunner.latestRestorePoint(cfg)).isEmpty();

    Path older = metadata(dir.resolve("job-a/chk-7"), Instant.parse("2026-01-01T00:00:00Z"));
    metadata(dir.resolve("job-a/chk-9-incomplete"), null);
    assertThat(JobRunner.latestRestorePoint(cfg)).contains(older);

    Path savepoint =
        metadata(dir.resolve("savepoints/savepoint-ab12-3"), Instant.parse("2026-01-02T00:00:00Z"));
    assertThat(JobRunner.latestRestorePoint(cfg)).as("a newer savepoint").contains(savepoint);

    Path newer = metadata(dir.resolve("job-b/chk-2"), Instant.parse("2026-01-03T00:00:00Z"));
    assertThat(JobRunner.latestRestorePoint(cfg)).as("a newer checkpoint").contains(newer);
  }

  /**
   * A completed checkpoint (with {@code _metadata} written at {@code time}), or an incomplete one.
   */
  private static Path metadata(Path dir, Instant time) throws Exception {
    Files.createDirectories(dir);
    if (time != null) {
      Path m = Files.writeString(dir.resolve("_metadata"), "x");
      Files.setLastModifiedTime(m, FileTime.from(time));
    }
    return dir;
  }
}
