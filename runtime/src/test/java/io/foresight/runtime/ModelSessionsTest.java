package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.foresight.runtime.internal.NvidiaDriver;
import io.foresight.runtime.internal.SessionFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session sharing and the execution provider choice on a machine without a usable GPU (the build
 * machines): auto falls back to the CPU with one INFO line, an explicit cuda:N fails with advice,
 * cpu never tries CUDA. On a GPU machine with CUDA 12 and cuDNN 9 the fallback tests are skipped by
 * their own assumption.
 */
class ModelSessionsTest {
  private static final Path MODEL = Fixtures.testModelDir().resolve("encoder.onnx");

  private static SessionSpec.Builder spec(Device device, int threads) {
    // A distinct thread count gives each test a session of its own.
    return SessionSpec.builder(MODEL)
        .device(device)
        .intraOpThreads(threads)
        .deviceOption("test.device");
  }

  @Test
  void shouldFallBackToTheCpuWithOneInfoLineWhenCudaCannotStart(@TempDir Path root)
      throws Exception {
    // A machine that has the driver's control device, so auto tries CUDA (and, here, fails).
    Files.createDirectories(root.resolve("dev"));
    Files.createFile(root.resolve("dev/nvidiactl"));
    NvidiaDriver before = SessionFactory.useDriverFiles(new NvidiaDriver(root));
    ModelSessions.forgetCudaFailure();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    ProviderSelection selection;
    try (ModelSession s = ModelSessions.acquire(spec(Device.AUTO, 3).build())) {
      selection = s.selection();
    } finally {
      System.setErr(err);
      SessionFactory.useDriverFiles(before);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assumeFalse(selection.isCuda(), "CUDA started: this machine has a usable GPU");
    assertThat(selection.requested()).isEqualTo(Device.AUTO);
    assertThat(selection.actual()).isEqualTo(Device.CPU);
    assertThat(selection.fellBack()).isTrue();
    assertThat(selection.fallbackReason()).contains("OrtException");
    assertThat(logged.lines().filter(l -> l.contains("SessionFactory")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("[")
        .contains("INFO io.foresight.runtime.internal.SessionFactory")
        .contains("running on the CPU (requested auto")
        .contains("could not start on GPU 0")
        .contains("set test.device=cpu to skip the attempt");
    assertThat(logged).doesNotContain("WARN");
  }

  @Test
  void shouldGoStraightToTheCpuWithOneInfoLineWithoutAnNvidiaDriver(@TempDir Path root) {
    NvidiaDriver before = SessionFactory.useDriverFiles(new NvidiaDriver(root));
    ModelSessions.forgetCudaFailure();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    ProviderSelection selection;
    try (ModelSession s = ModelSessions.acquire(spec(Device.AUTO, 7).build())) {
      selection = s.selection();
    } finally {
      System.setErr(err);
      SessionFactory.useDriverFiles(before);
    }
    assertThat(selection.actual()).isEqualTo(Device.CPU);
    assertThat(selection.fellBack()).isTrue();
    assertThat(selection.fallbackReason())
        .isEqualTo(
            "no NVIDIA driver on this machine (none of /proc/driver/nvidia/version,"
                + " /dev/nvidiactl, /dev/dxg)");
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged.lines().filter(l -> l.contains("SessionFactory")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("INFO io.foresight.runtime.internal.SessionFactory")
        .contains("running on the CPU (requested auto; no NVIDIA driver")
        .contains("CUDA was not tried");
    // ONNX Runtime never tried to load its CUDA provider, so it had nothing to warn about.
    assertThat(logged).doesNotContain("WARN").doesNotContain("libcublas");
  }

  @Test
  void shouldFindTheDriverByAnyOfItsFiles(@TempDir Path root) throws Exception {
    NvidiaDriver driver = new NvidiaDriver(root);
    assertThat(driver.absent()).isPresent();
    for (String f : new String[] {"proc/driver/nvidia/version", "dev/nvidiactl", "dev/dxg"}) {
      Path file = root.resolve(f);
      Files.createDirectories(file.getParent());
      Files.createFile(file);
      assertThat(driver.absent()).as(f).isEmpty();
      Files.delete(file);
    }
  }

  @Test
  void shouldNotRetryCudaInAutoModeAfterItFailedOnce() {
    ModelSessions.forgetCudaFailure();
    try (ModelSession first = ModelSessions.acquire(spec(Device.AUTO, 4).build())) {
      assumeFalse(first.selection().isCuda());
    }
    long start = System.nanoTime();
    try (ModelSession second = ModelSessions.acquire(spec(Device.AUTO, 5).build())) {
      assertThat(second.selection().fallbackReason()).startsWith("CUDA failed earlier in this JVM");
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
  }

  @Test
  void shouldFailWithAdviceWhenAnExplicitGpuCannotStart() {
    try {
      ModelSessions.acquire(spec(Device.parse("cuda:0"), 6).build()).close();
    } catch (DeviceUnavailableException e) {
      assertThat(e.device()).isEqualTo(Device.cuda(0));
      assertThat(e)
          .isInstanceOf(ModelRuntimeException.class)
          .hasMessageContaining("cannot start the CUDA execution provider on GPU 0 for " + MODEL)
          .hasMessageContaining("CUDA 12 and cuDNN 9")
          .hasMessageContaining("set test.device=auto to fall back to the CPU")
          .hasMessageContaining("test.device=cpu");
      assertThat(e.getMessage()).containsAnyOf("install the GPU build", "Check that GPU 0 exists");
      assertThat(ModelSessions.references(spec(Device.cuda(0), 6).build())).isZero();
      return;
    }
    org.junit.jupiter.api.Assumptions.abort("CUDA started: this machine has a usable GPU");
  }

  @Test
  void shouldUseTheCpuWithoutTryingCudaWhenAskedTo() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try (ModelSession s = ModelSessions.acquire(spec(Device.CPU, 7).build())) {
      assertThat(s.selection().actual()).isEqualTo(Device.CPU);
      assertThat(s.selection().fellBack()).isFalse();
    } finally {
      System.setErr(err);
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("execution provider CPU (requested cpu")
        .doesNotContain("CUDA");
  }

  @Test
  void shouldShareOneSessionPerSpecAndCloseItWithTheLastLease() {
    int before = ModelSessions.openSessions();
    SessionSpec one = spec(Device.CPU, 1).build();
    SessionSpec two = spec(Device.CPU, 2).build();
    ModelSession a = ModelSessions.acquire(one);
    ModelSession b = ModelSessions.acquire(spec(Device.CPU, 1).build());
    ModelSession c = ModelSessions.acquire(two);

    assertThat(a.created()).isTrue();
    assertThat(b.created()).isFalse();
    assertThat(b.session()).isSameAs(a.session());
    assertThat(c.session()).isNotSameAs(a.session());
    assertThat(ModelSessions.openSessions()).isEqualTo(before + 2);
    assertThat(ModelSessions.references(one)).isEqualTo(2);

    a.close();
    a.close(); // twice does not release b's lease
    assertThat(ModelSessions.references(one)).isEqualTo(1);
    assertThatThrownBy(a::session)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    b.close();
    c.close();
    assertThat(ModelSessions.references(one)).isZero();
    assertThat(ModelSessions.openSessions()).isEqualTo(before);
  }

  @Test
  void shouldKeepSessionsOfDifferentModelHashesApart() {
    SessionSpec a = spec(Device.CPU, 1).sha256("aa").build();
    SessionSpec b = spec(Device.CPU, 1).sha256("bb").build();
    try (ModelSession x = ModelSessions.acquire(a);
        ModelSession y = ModelSessions.acquire(b)) {
      assertThat(y.session()).isNotSameAs(x.session());
    }
  }

  @Test
  void shouldSayWhichFileIsNotAModel(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path bad = java.nio.file.Files.writeString(tmp.resolve("bad.onnx"), "not onnx");
    assertThatThrownBy(
            () -> ModelSessions.acquire(SessionSpec.builder(bad).device(Device.CPU).build()))
        .isInstanceOf(ModelRuntimeException.class)
        .hasMessageContaining("Error loading model " + bad + " on the CPU")
        .hasMessageContaining("valid ONNX model");
    assertThat(ModelSessions.references(SessionSpec.builder(bad).device(Device.CPU).build()))
        .isZero();
  }
}
