package io.foresight.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.runtime.Device;
import io.foresight.schemas.config.ConfigOption;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderOptionsTest {

  @Test
  void shouldHaveDocumentedDefaults() {
    EncoderOptions o = EncoderOptions.defaults();
    assertThat(o.modelDir()).isEmpty();
    assertThat(o.device()).isEqualTo(Device.AUTO);
    assertThat(o.batchSize()).isEqualTo(32);
    assertThat(o.get(EncoderOptions.BATCH_TIMEOUT)).isEqualTo(Duration.ofMillis(10));
    assertThat(o.batchTimeoutMs()).isEqualTo(10);
    for (ConfigOption<?> k : EncoderOptions.keys()) {
      assertThat(o.toMap().get(k.key())).as(k.key()).isEqualTo(k.defaultText());
    }
  }

  @Test
  void shouldReadKeysFromAMapAndIgnoreOtherModulesKeys() {
    EncoderOptions o =
        EncoderOptions.fromMap(
            Map.of(
                "encoder.device", "cuda:1",
                "encoder.batch.size", "8",
                "encoder.batch.timeout", "5ms",
                "encoder.threads", "2",
                "encoder.cuda.memory.limit.bytes", "1073741824",
                "encoder.cuda.cudnn.conv.algo.search", "heuristic",
                "encoder.model.dir", "/models/x",
                "memory.dir", "/elsewhere"));
    assertThat(o.device()).isEqualTo(Device.cuda(1));
    assertThat(o.batchSize()).isEqualTo(8);
    assertThat(o.batchTimeoutMs()).isEqualTo(5);
    assertThat(o.threads()).isEqualTo(2);
    assertThat(o.cudaMemoryLimitBytes()).isEqualTo(1L << 30);
    assertThat(o.cudnnConvAlgoSearch()).isEqualTo(EncoderOptions.CudnnConvAlgoSearch.HEURISTIC);
    assertThat(o.modelDir()).contains(Path.of("/models/x"));
    assertThat(EncoderOptions.fromMap(o.toMap())).isEqualTo(o);
  }

  @Test
  void shouldStillReadTheOldMillisecondKey() {
    EncoderOptions o = EncoderOptions.fromMap(Map.of("encoder.batch.timeout.ms", "5"));
    assertThat(o.get(EncoderOptions.BATCH_TIMEOUT)).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void shouldReadTheEnvironmentForm() {
    assertThat(EncoderOptions.BATCH_SIZE.envName()).isEqualTo("ENCODER_BATCH_SIZE");
    EncoderOptions o =
        EncoderOptions.fromEnvironment(Map.of("ENCODER_BATCH_SIZE", "4", "ENCODER_DEVICE", "cpu"));
    assertThat(o.batchSize()).isEqualTo(4);
    assertThat(o.device()).isEqualTo(Device.CPU);
  }

  @Test
  void shouldNameTheKeyOfAnUnknownOrBadOption() {
    assertThatThrownBy(() -> EncoderOptions.fromMap(Map.of("encoder.batchsize", "4")))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("unknown option 'encoder.batchsize'")
        .hasMessageContaining("encoder.batch.size");
    assertThatThrownBy(() -> EncoderOptions.fromMap(Map.of("encoder.batch.size", "many")))
        .hasMessageContaining(
            "bad value 'many' for encoder.batch.size (env ENCODER_BATCH_SIZE): expected int");
    assertThatThrownBy(() -> EncoderOptions.fromMap(Map.of("encoder.device", "gpu0")))
        .hasMessageContaining("encoder.device");
    assertThatThrownBy(() -> EncoderOptions.builder().set(EncoderOptions.BATCH_SIZE, 0).build())
        .hasMessage(
            "bad value '0' for encoder.batch.size (env ENCODER_BATCH_SIZE): expected int in"
                + " 1..4096");
    assertThatThrownBy(
            () ->
                EncoderOptions.builder()
                    .set(EncoderOptions.BATCH_TIMEOUT, Duration.ofMillis(-1))
                    .build())
        .hasMessageContaining("encoder.batch.timeout (env ENCODER_BATCH_TIMEOUT)")
        .hasMessageContaining("expected duration >= 0");
    assertThatThrownBy(() -> EncoderOptions.fromMap(Map.of("encoder.batch.timeout", "10")))
        .hasMessageContaining("a bare number has no unit");
    assertThatThrownBy(
            () ->
                EncoderOptions.builder()
                    .set(EncoderOptions.BATCHES_IN_FLIGHT, 2)
                    .set(EncoderOptions.INFERENCE_THREADS, 3)
                    .build())
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("must not exceed encoder.batches.in.flight (2)");
  }

  @Test
  void shouldSurviveJavaSerialization() throws Exception {
    EncoderOptions o =
        EncoderOptions.builder()
            .set(EncoderOptions.DEVICE, "cuda:2")
            .set(EncoderOptions.BATCH_SIZE, 16)
            .set(EncoderOptions.MODEL_DIR, java.util.Optional.of(Path.of("/models/x")))
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      EncoderOptions back = (EncoderOptions) in.readObject();
      assertThat(back).isEqualTo(o);
      assertThat(back.device()).isEqualTo(Device.cuda(2));
      assertThat(back.modelDir()).contains(Path.of("/models/x"));
    }
  }

  @Test
  void shouldParseDevices() {
    assertThat(Device.parse("AUTO")).isEqualTo(Device.AUTO);
    assertThat(Device.parse("cuda")).isEqualTo(new Device(Device.Kind.CUDA, -1));
    assertThat(Device.parse("cuda:3")).isEqualTo(Device.cuda(3));
    assertThat(Device.parse("gpu:1").toString()).isEqualTo("cuda:1");
    assertThat(Device.AUTO.withDefaultIndex(2).cudaIndexOrZero()).isEqualTo(2);
    assertThat(Device.cuda(1).withDefaultIndex(2)).isEqualTo(Device.cuda(1));
    assertThat(Device.CPU.withDefaultIndex(2)).isEqualTo(Device.CPU);
    assertThatThrownBy(() -> Device.parse("cuda:-1")).hasMessageContaining("cuda:N");
  }
}
