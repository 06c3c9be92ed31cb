package io.foresight.tools.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.encoders.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchEncoderCommandTest {
  @TempDir Path tmp;

  @Test
  void shouldWriteRawAndDecodeEncodeFiguresPerBatchSize() throws Exception {
    Path json = tmp.resolve("bench.json");
    int rc =
        new CommandLine(new BenchEncoderCommand())
            .execute(
                "--json",
                json.toString(),
                "--model-dir",
                Fixtures.testModelDir().toString(),
                "--device",
                "cpu",
                "--frames",
                "64",
                "--batch-sizes",
                "1,4",
                "--skip-operator");
    assertThat(rc).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.path("provider").asText()).isEqualTo("cpu");
    assertThat(report.path("model").path("name").asText()).isEqualTo("test-conv-encoder");
    assertThat(report.path("raw_onnxruntime")).hasSize(2);
    assertThat(report.path("raw_onnxruntime").get(1).path("batch_size").asInt()).isEqualTo(4);
    assertThat(report.path("raw_onnxruntime").get(0).path("frames_per_s").asDouble()).isPositive();
    assertThat(report.path("decode_encode_from_avro").get(0).path("latency").has("p99_us"))
        .isTrue();
    assertThat(report.path("decode_cost").path("pixel_decode_us_per_frame").asDouble())
        .isPositive();
    if (Runtime.getRuntime().availableProcessors() > 1) {
      // One single-threaded caller per core, side by side with the one-caller figure.
      JsonNode parallel = report.path("raw_onnxruntime_parallel");
      assertThat(parallel).hasSize(2);
      assertThat(parallel.get(0).path("callers").asInt())
          .isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(parallel.get(1).path("frames_per_s").asDouble()).isPositive();
    }
    assertThat(report.path("decode_cost").path("decode_over_encode_core_time").has("batch_4"))
        .as("decode_over_encode_core_time.batch_4 in the report")
        .isTrue();
    assertThat(
            report
                .path("decode_cost")
                .path("decode_over_encode_core_time")
                .path("batch_4")
                .asDouble())
        .isPositive();
    assertThat(report.path("operator_minicluster").path("skipped").asText())
        .isEqualTo("--skip-operator");
  }

  @Test
  void shouldRequireTheJsonFile() {
    assertThat(new CommandLine(new BenchEncoderCommand()).execute("--device", "cpu")).isEqualTo(2);
  }
}
