package io.foresight.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.schemas.config.ConfigOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every setting the compose file gives the job is one the code reads. */
class ComposeFileTest {
  private static Path compose() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("docker-compose.yml above the working directory").isNotNull();
    return dir.resolve("docker-compose.yml");
  }

  /** services -> environment variable names, from the compose file's block layout. */
  static Map<String, List<String>> environments(List<String> lines) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    boolean inServices = false;
    String service = null;
    int envIndent = -1;
    for (String line : lines) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      String text = line.strip();
      if (indent == 0) {
        inServices = text.equals("services:");
        service = null;
        continue;
      }
      if (!inServices) {
        continue;
      }
      if (indent == 2 && text.endsWith(":")) {
        service = text.substring(0, text.length() - 1);
        envIndent = -1;
        continue;
      }
      if (service != null && text.equals("environment:")) {
        envIndent = indent;
        continue;
      }
      if (envIndent >= 0) {
        if (indent <= envIndent) {
          envIndent = -1;
        } else if (indent == envIndent + 2 && text.contains(":")) {
          out.computeIfAbsent(service, s -> new ArrayList<>())
              .add(text.substring(0, text.indexOf(':')));
        }
      }
    }
    return out;
  }

  @Test
  void shouldSetOnlyKeysTheJobReads() throws IOException {
    Map<String, List<String>> env = environments(Files.readAllLines(compose()));
    assertThat(env).containsKey("job");
    Set<String> known =
        JobConfig.GROUPS.stream()
            .flatMap(g -> g.options().stream())
            .map(ConfigOption::envName)
            .collect(Collectors.toSet());
    assertThat(env.get("job")).isNotEmpty().allSatisfy(k -> assertThat(known).contains(k));
  }

  @Test
  void shouldParseServiceEnvironments() {
    Map<String, List<String>> env =
        environments(
            List.of(
                "services:",
                "  a:",
                "    environment:",
                "      X_Y: 1",
                "      Z: |",
                "        not: a key",
                "    ports: []",
                "  b:",
                "    image: x"));
    assertThat(env).containsOnlyKeys("a");
    assertThat(env.get("a")).containsExactly("X_Y", "Z");
  }
}
