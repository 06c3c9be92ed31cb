package io.foresight.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The job jar for 'flink run' carries the job and never what must stay out of it. */
class JobJarIT {
  private static final Path JAR = Path.of("target/foresight-job.jar");

  @Test
  void shouldHoldTheJobButNoRocksDbKafkaStreamsOnnxRuntimeOrFlink() throws IOException {
    assertThat(JAR).as("built by the package phase").exists();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertThat(names).contains("io/foresight/pipeline/JobMain.class");
      assertThat(names).contains("io/foresight/pipeline/ForesightJob.class");
      assertThat(names).contains("io/foresight/runtime/ModelSessions.class");
      assertThat(names)
          .as("connector classes the cluster lacks")
          .anyMatch(n -> n.startsWith("org/apache/flink/connector/kafka/"));
      assertThat(names).noneMatch(n -> n.startsWith("org/rocksdb/"));
      assertThat(names).noneMatch(n -> n.startsWith("org/apache/kafka/streams/"));
      assertThat(names).noneMatch(n -> n.startsWith("ai/onnxruntime/"));
      assertThat(names).noneMatch(n -> n.startsWith("org/apache/flink/runtime/"));
      assertThat(names).noneMatch(n -> n.startsWith("kafka/server/"));
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.foresight.pipeline.JobMain");
    }
    assertThat(Files.size(JAR)).isLessThan(64L * 1024 * 1024);
  }
}
