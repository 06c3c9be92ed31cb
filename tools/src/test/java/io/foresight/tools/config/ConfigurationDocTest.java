package io.foresight.tools.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.encoders.EncoderOptions;
import io.foresight.ingest.IngestOptions;
import io.foresight.memory.MemoryOptions;
import io.foresight.pipeline.JobOptions;
import io.foresight.planner.PlannerOptions;
import io.foresight.schemas.config.ConfigDocs;
import io.foresight.schemas.config.KafkaOptions;
import io.foresight.schemas.config.OptionGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is generated from the option declarations; this test fails when the
 * committed file is stale, and rewrites it when run with {@code -Dconfig.docs.write=true}.
 */
class ConfigurationDocTest {
  /** Every module's options, in the page's order. */
  static final List<OptionGroup<?>> GROUPS =
      List.of(
          KafkaOptions.GROUP,
          IngestOptions.GROUP,
          EncoderOptions.GROUP,
          PlannerOptions.GROUP,
          JobOptions.GROUP,
          MemoryOptions.GROUP);

  static final String REGENERATE =
      "mvn -B -o -q test -pl tools -am -Dtest=ConfigurationDocTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dconfig.docs.write=true";

  private static Path doc() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("docs/ above the working directory").isNotNull();
    return dir.resolve("docs/configuration.md");
  }

  @Test
  void shouldMatchTheOptionDeclarations() throws Exception {
    Path file = doc();
    String expected = ConfigDocs.render(GROUPS);
    if (Boolean.getBoolean("config.docs.write")) {
      ConfigDocs.write(file, GROUPS);
    }
    String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertThat(actual)
        .as(
            "docs/configuration.md is stale: an option declaration changed. Regenerate it with: "
                + REGENERATE)
        .isEqualTo(expected);
  }

  @Test
  void shouldListEveryKeyWithItsEnvironmentVariable() {
    String page = ConfigDocs.render(GROUPS);
    for (OptionGroup<?> g : GROUPS) {
      g.options()
          .forEach(
              o ->
                  assertThat(page)
                      .contains("| `" + o.key() + "` | `" + o.envName() + "` |")
                      .as(o.key()));
    }
    assertThat(page).contains("`memory.retention.max-age`").contains("`ingest.bootstrap.servers`");
  }
}
