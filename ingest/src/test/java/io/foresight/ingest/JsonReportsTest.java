package io.foresight.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void shouldCreateTheFolderAndReplaceAnEarlierReportLeavingNoTemporaryFile() throws Exception {
    Path file = dir.resolve("a/b/report.json");
    JsonReports.write(JSON, Map.of("n", 1), file, "the report", IngestException::new);
    JsonReports.write(JSON, Map.of("n", 2), file, "the report", IngestException::new);

    assertThat(JSON.readTree(file.toFile()).get("n").asInt()).isEqualTo(2);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void shouldSayWhichReportCouldNotBeWrittenAndWhere() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
    Path file = blocker.resolve("report.json");

    assertThatThrownBy(
            () ->
                JsonReports.write(
                    JSON, Map.of(), file, "the robot statistics", IngestException::new))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("Error writing the robot statistics to " + file);
  }
}
