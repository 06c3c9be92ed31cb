package io.foresight.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.encoders.internal.SharedSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The execution provider choice on a machine without a usable GPU (the build machines): auto falls
 * back to the CPU and says so in the log, an explicit cuda:N fails with advice. On a GPU machine
 * with CUDA 12 and cuDNN 9 these tests are skipped by their own assumption.
 */
class ProviderSelectionTest {

  @Test
  void shouldFallBackToTheCpuAndLogWhyWhenCudaCannotStart() {
    SharedSessions.forgetCudaFailure();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    ProviderSelection selection;
    try (OnnxFrameEncoder encoder =
        OnnxFrameEncoder.builder()
            .modelDir(Fixtures.testModelDir())
            .device(Device.AUTO)
            .threads(3) // a session of its own, not one another test opened
            .build()) {
      selection = encoder.provider();
    } finally {
      System.setErr(err);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    org.junit.jupiter.api.Assumptions.assumeFalse(
        selection.isCuda(), "CUDA started: this machine has a usable GPU");
    assertThat(selection.requested()).isEqualTo(Device.AUTO);
    assertThat(selection.actual()).isEqualTo(Device.CPU);
    assertThat(selection.fellBack()).isTrue();
    assertThat(selection.fallbackReason()).contains("OrtException");
    assertThat(logged)
        .contains("WARN io.foresight.encoders.internal.SharedSessions")
        .contains("CUDA execution provider could not be initialised on GPU 0")
        .contains("running on CPU")
        .contains("execution provider CPU (requested auto");
  }

  @Test
  void shouldNotRetryCudaInAutoModeAfterItFailedOnce() {
    SharedSessions.forgetCudaFailure();
    try (OnnxFrameEncoder first =
        OnnxFrameEncoder.builder().modelDir(Fixtures.testModelDir()).threads(4).build()) {
      org.junit.jupiter.api.Assumptions.assumeFalse(first.provider().isCuda());
    }
    long start = System.nanoTime();
    try (OnnxFrameEncoder second =
        OnnxFrameEncoder.builder().modelDir(Fixtures.testModelDir()).threads(5).build()) {
      assertThat(second.provider().fallbackReason()).startsWith("CUDA failed earlier in this JVM");
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
  }

  @Test
  void shouldFailWithAdviceWhenAnExplicitGpuCannotStart() {
    try {
      OnnxFrameEncoder.builder()
          .modelDir(Fixtures.testModelDir())
          .device(Device.cuda(0))
          .build()
          .close();
    } catch (EncoderException e) {
      assertThat(e)
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
    assertThatThrownBy(() -> Device.parse("tpu:0"))
        .hasMessageContaining("use auto, cpu, cuda or cuda:N");
  }
}
