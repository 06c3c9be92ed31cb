package io.foresight.memory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.memory.MemoryOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MemoryCliTest {
  @Test
  void shouldTurnServeFlagsConfigFileAndOptionsIntoMemoryOptions(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("memory.properties");
    Files.writeString(config, "memory.retention.max.count=100\nmemory.http.port=1111\n");
    MemoryServeCommand serve = new MemoryServeCommand();
    new CommandLine(serve)
        .parseArgs(
            "--bootstrap", "k:9092",
            "--state-dir", dir.resolve("s").toString(),
            "--http-port", "8091",
            "--processing-guarantee", "exactly_once_v2",
            "--retention-max-age", "1h",
            "--config", config.toString(),
            "-o", "memory.index.ef.search=128");
    MemoryOptions o = serve.options();
    assertThat(o.bootstrap()).isEqualTo("k:9092");
    assertThat(o.httpPort()).isEqualTo(8091);
    assertThat(o.processingGuarantee())
        .isEqualTo(MemoryOptions.ProcessingGuarantee.EXACTLY_ONCE_V2);
    assertThat(o.retentionMaxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(o.retentionMaxCount()).isEqualTo(100);
    assertThat(o.indexEfSearch()).isEqualTo(128);
  }

  @Test
  void shouldListEverySubcommandInTheUsage() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cl = MemoryMain.commandLine();
    cl.setOut(new java.io.PrintWriter(out, true));
    assertThat(cl.execute("--help")).isZero();
    String usage = out.toString(StandardCharsets.UTF_8);
    assertThat(usage).contains("serve").contains("query").contains("bench").contains("feed");
    assertThat(cl.getSubcommands().get("query").getSubcommands().keySet())
        .contains("streams", "latest", "range", "nearest", "transitions", "landmarks", "health");
  }

  @Test
  void shouldFailQueryWithAClearMessageWhenNoMemoryAnswers() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code =
          MemoryMain.commandLine().execute("query", "--url", "http://127.0.0.1:1", "streams");
      assertThat(code).isEqualTo(1);
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not answer");
  }

  @Test
  void shouldRefuseBadServeOptionsWithExitCode2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code =
          MemoryMain.commandLine()
              .execute("serve", "--http-port", "8090", "--retention-max-age", "x");
      assertThat(code).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("memory.retention.max.age");
  }

  @Test
  void shouldRefuseAFeedWithoutRobotsWithExitCode2() {
    PrintStream old = System.err;
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      assertThat(MemoryMain.commandLine().execute("feed", "--robots", "0")).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void shouldFeedTheSameBoundedLatentsForTheSameSeed() {
    java.util.Random r1 = new java.util.Random(1);
    java.util.Random r2 = new java.util.Random(1);
    io.foresight.memory.internal.WalkLatents w1 =
        new io.foresight.memory.internal.WalkLatents(32, r1);
    io.foresight.memory.internal.WalkLatents w2 =
        new io.foresight.memory.internal.WalkLatents(32, r2);
    for (int t = 0; t < 1000; t++) {
      float[] a = w1.next(r1);
      assertThat(w2.next(r2)).containsExactly(a);
      for (float v : a) {
        assertThat(Math.abs(v)).isLessThan(1.5f);
      }
    }
  }
}
