package io.foresight.encoders;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.runtime.Device;
import io.foresight.runtime.DeviceUnavailableException;
import io.foresight.runtime.ModelSessions;
import org.junit.jupiter.api.Test;

/**
 * The encoder's device on a machine without a usable GPU (the build machines): the runtime's rules
 * (tested in runtime's ModelSessionsTest) seen through the encoder, with its own option names. On a
 * GPU machine with CUDA 12 and cuDNN 9 these tests are skipped by their own assumption.
 */
class ProviderSelectionTest {

  @Test
  void shouldFallBackToTheCpuInAutoMode() {
    ModelSessions.forgetCudaFailure();
    try (OnnxFrameEncoder encoder =
        OnnxFrameEncoder.builder()
            .modelDir(Fixtures.testModelDir())
            .device(Device.AUTO)
            .threads(3) // a session of its own, not one another test opened
            .build()) {
      org.junit.jupiter.api.Assumptions.assumeFalse(
          encoder.provider().isCuda(), "CUDA started: this machine has a usable GPU");
      assertThat(encoder.provider().requested()).isEqualTo(Device.AUTO);
      assertThat(encoder.provider().actual()).isEqualTo(Device.CPU);
      assertThat(encoder.provider().fellBack()).isTrue();
    }
  }

  @Test
  void shouldFailWithAdviceNamingTheEncoderOptionWhenAnExplicitGpuCannotStart() {
    try {
      OnnxFrameEncoder.builder()
          .modelDir(Fixtures.testModelDir())
          .device(Device.parse("cuda:0"))
          .build()
          .close();
    } catch (EncoderException e) {
      assertThat(e)
          .hasCauseInstanceOf(DeviceUnavailableException.class)
          .hasMessageContaining("cannot start the CUDA execution provider on GPU 0")
          .hasMessageContaining("CUDA 12 and cuDNN 9")
          .hasMessageContaining("encoder.device=auto");
      return;
    }
    org.junit.jupiter.api.Assumptions.abort("CUDA started: this machine has a usable GPU");
  }

  @Test
  void shouldUseTheCpuWithoutTryingCudaWhenAskedTo() {
    try (OnnxFrameEncoder encoder =
        OnnxFrameEncoder.builder().modelDir(Fixtures.testModelDir()).device(Device.CPU).build()) {
      assertThat(encoder.provider().actual()).isEqualTo(Device.CPU);
      assertThat(encoder.provider().fellBack()).isFalse();
    }
  }
}
