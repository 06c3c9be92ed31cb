package io.foresight.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  @Test
  void shouldReadTheJobEncoderAndPlannerKeysFromEverySourceInOrder(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("job.properties");
    Files.writeString(
        file, "job.parallelism=2\nencoder.batch.size=8\nplanner.samples=16\nmemory.dir=/x\n");
    JobConfig c =
        JobConfig.load(
            file,
            Map.of("JOB_PARALLELISM", "3", "PLANNER_SAMPLES", "24"),
            Map.of("job.parallelism", "4", "job.checkpoint.interval.ms", "500"));

    assertThat(c.job().get(JobOptions.PARALLELISM)).isEqualTo(4);
    assertThat(c.job().get(JobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMillis(500));
    assertThat(c.encoder().batchSize()).isEqualTo(8);
    assertThat(c.planner().get(io.foresight.planner.PlannerOptions.SAMPLES)).isEqualTo(24);
    assertThat(c.job().get(JobOptions.BOOTSTRAP)).isEqualTo("localhost:9092");
  }

  @Test
  void shouldRefuseAnUnknownJobKeyWithTheClosestOne() {
    assertThatThrownBy(() -> JobConfig.of(Map.of("job.paralelism", "2")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("unknown option 'job.paralelism'; did you mean job.parallelism?");
    assertThatThrownBy(() -> JobConfig.of(Map.of("job.buffer.timeout", "5")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("bad value '5' for job.buffer.timeout (env JOB_BUFFER_TIMEOUT")
        .hasMessageContaining("e.g. 5ms or 5s");
  }

  @Test
  void shouldSurviveJavaSerializationAsFlinkShipsIt() throws Exception {
    JobConfig c = JobConfig.of(Map.of("encoder.model.dir", "/models/x", "job.parallelism", "2"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      JobConfig back = (JobConfig) in.readObject();
      assertThat(back.job()).isEqualTo(c.job());
      assertThat(back.encoder()).isEqualTo(c.encoder());
      assertThat(back.planner()).isEqualTo(c.planner());
      assertThat(back.encoder().modelDir()).contains(Path.of("/models/x"));
    }
  }
}
