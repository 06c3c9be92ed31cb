package io.foresight.tools.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.encoders.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole benchmark, Flink operator included (Flink is on the test classpath). */
class BenchEncoderCommandIT {
  @TempDir Path tmp;

  @Test
  void shouldRunTheOperatorOnAMiniClusterAndReportItsRatioToRaw() throws Exception {
    Path json = tmp.resolve("bench.json");
    int rc =
        new CommandLine(new BenchEncoderCommand())
            .execute(
                "--json", json.toString(),
                "--model-dir", Fixtures.testModelDir().toString(),
                "--device", "cpu",
                "--frames", "200",
                "--batch-sizes", "8");
    assertThat(rc).isZero();
    JsonNode op = new ObjectMapper().readTree(json.toFile()).path("operator_minicluster");
    assertThat(op.path("results")).hasSize(1);
    JsonNode r = op.path("results").get(0);
    assertThat(r.path("failed").isMissingNode()).as(r.toString()).isTrue();
    assertThat(r.path("frames").asInt()).isEqualTo(200);
    assertThat(r.path("frames_per_s").asDouble()).isPositive();
    assertThat(r.path("ratio_operator_over_raw").asDouble()).isPositive();
  }
}
