package io.foresight.memory;

import io.foresight.memory.cli.MemoryServeCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code MemoryMain serve} in a child JVM, as the pipeline's demo runs it. */
final class MemoryProcess implements AutoCloseable {
  private final Process process;
  private final CompletableFuture<String> url = new CompletableFuture<>();

  MemoryProcess(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.foresight.memory.cli.MemoryMain");
    cmd.add("serve");
    cmd.addAll(List.of(args));
    Files.createDirectories(log.getParent());
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter out =
                      new PrintWriter(
                          Files.newBufferedWriter(
                              log,
                              StandardCharsets.UTF_8,
                              java.nio.file.StandardOpenOption.CREATE,
                              java.nio.file.StandardOpenOption.APPEND))) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.println(line);
                  out.flush();
                  if (line.startsWith(MemoryServeCommand.READY)) {
                    int i = line.indexOf("url=");
                    url.complete(line.substring(i + 4).split(" ")[0]);
                  }
                }
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
              url.completeExceptionally(new IllegalStateException("child exited before ready"));
            },
            "memory-child-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Waits for the ready line and returns the URL it printed. */
  String awaitReady(long seconds) throws Exception {
    return url.get(seconds, TimeUnit.SECONDS);
  }

  /** Kills the JVM at once (SIGKILL): no shutdown hook, no flush, no commit. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Asks the JVM to stop (SIGTERM): the shutdown hook closes the memory cleanly. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
