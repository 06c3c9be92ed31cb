package io.foresight.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ForesightCliTest {

  @Test
  void memoryCommandsPassTheirArgumentsOnInOrder() {
    CommandLine cl = ForesightCli.commandLine();
    cl.parseArgs("memory", "serve", "--bootstrap", "h:1", "--http-port", "0", "--help");
    MemoryCommand memory = cl.getSubcommands().get("memory").getCommand();
    assertThat(memory.params)
        .containsExactly("serve", "--bootstrap", "h:1", "--http-port", "0", "--help");

    cl = ForesightCli.commandLine();
    cl.parseArgs("bench", "memory", "--ingest", "300000", "--repeats", "7", "--data", "walk");
    BenchCommand.Memory bench =
        cl.getSubcommands().get("bench").getSubcommands().get("memory").getCommand();
    assertThat(bench.params)
        .isEqualTo(List.of("--ingest", "300000", "--repeats", "7", "--data", "walk"));
  }
}
