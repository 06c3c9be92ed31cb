package io.foresight.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foresight.pipeline.PipelineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildJvmTest {

  @Test
  void shouldRunACommandAtTheGivenNicenessWhereNiceExists() throws Exception {
    Path nice =
        Files.isExecutable(Path.of("/usr/bin/nice"))
            ? Path.of("/usr/bin/nice")
            : Path.of("/bin/nice");
    assumeTrue(Files.isExecutable(nice), "no nice command on this machine");

    ProcessBuilder b = ChildJvm.niced(new ProcessBuilder("sh", "-c", "nice"), 7);

    assertThat(b.command()).containsExactly(nice.toString(), "-n", "7", "sh", "-c", "nice");
    // nice without arguments prints the niceness it runs at: this process's plus 7.
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).isZero();
    assertThat(Integer.parseInt(out)).isGreaterThanOrEqualTo(7);
  }

  @Test
  void shouldLeaveTheCommandAloneAtNicenessZero() {
    ProcessBuilder b = ChildJvm.niced(new ProcessBuilder("java", "-version"), 0);

    assertThat(b.command()).isEqualTo(List.of("java", "-version"));
  }

  @Test
  void shouldRefuseANicenessOutsideZeroToNineteen() {
    assertThatThrownBy(() -> ChildJvm.niced(new ProcessBuilder("java"), 20))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("between 0 (normal priority) and 19");
    assertThatThrownBy(() -> ChildJvm.niced(new ProcessBuilder("java"), -1))
        .isInstanceOf(PipelineException.class);
  }
}
