package io.foresight.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.runtime.Device;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderOptionsTest {

  @Test
  void shouldHaveDocumentedDefaults() {
    EncoderOptions o = EncoderOptions.defaults();
    assertThat(o.modelDir()).isEmpty();
    assertThat(o.device()).isEqualTo(Device.AUTO);
    assertThat(o.batchSize()).isEqualTo(32);
    assertThat(o.batchTimeoutMs()).isEqualTo(10);
    for (io.foresight.schemas.config.ConfigKey k : EncoderOptions.keys()) {
      assertThat(o.toMap().get(k.name())).as(k.name()).isEqualTo(k.defaultValue());
    }
  }

  @Test
  void shouldReadKeysFromAMapAndIgnoreOtherModulesKeys() {
    EncoderOptions o =
        EncoderOptions.fromMap(
            Map.of(
                "encoder.device", "cuda:1",
                "encoder.batch.size", "8",
                "encoder.batch.timeout.ms", "5",
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
        .hasMessageContaining("bad value 'many' for encoder.batch.size (expected int)");
    assertThatThrownBy(() -> EncoderOptions.fromMap(Map.of("encoder.device", "gpu0")))
        .hasMessageContaining("encoder.device");
    assertThatThrownBy(() -> EncoderOptions.builder().batchSize(0).build())
        .hasMessage("encoder.batch.size must be in 1..4096, got 0");
    assertThatThrownBy(() -> EncoderOptions.builder().batchTimeoutMs(-1).build())
        .hasMessageContaining("encoder.batch.timeout.ms must be >= 0");
  }

  @Test
  void shouldSurviveJavaSerialization() throws Exception {
    EncoderOptions o = EncoderOptions.builder().device(Device.cuda(2)).batchSize(16).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(o);
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
