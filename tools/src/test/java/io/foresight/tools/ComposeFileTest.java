package io.foresight.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.memory.MemoryOptions;
import io.foresight.pipeline.JobConfig;
import io.foresight.schemas.config.ConfigOption;
import io.foresight.schemas.config.KafkaOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Every setting the compose file gives the job and the memory store is one the code reads (with the
 * YAML merge keys resolved as docker-compose resolves them), and the stack has the shape the
 * operators' docs describe.
 */
class ComposeFileTest {
  private static Map<String, Map<String, Object>> services() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("docker-compose.yml above the working directory").isNotNull();
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(200);
    try (Reader r = Files.newBufferedReader(dir.resolve("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml(options).load(r);
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> services =
          (Map<String, Map<String, Object>>) compose.get("services");
      return services;
    }
  }

  @SuppressWarnings("unchecked")
  private static Set<String> environment(Map<String, Object> service) {
    return ((Map<String, Object>) service.get("environment")).keySet();
  }

  private static Set<String> envNames(Stream<ConfigOption<?>> options) {
    return options.map(ConfigOption::envName).collect(Collectors.toSet());
  }

  @Test
  void shouldSetOnlyKeysTheJobReads() throws IOException {
    Set<String> known = envNames(JobConfig.GROUPS.stream().flatMap(g -> g.options().stream()));
    Set<String> env = environment(services().get("job"));
    assertThat(env).contains("KAFKA_BOOTSTRAP_SERVERS", "JOB_PARALLELISM", "JOB_CHECKPOINT_DIR");
    assertThat(env)
        .filteredOn(k -> !k.equals("FORESIGHT_JAVA_OPTS"))
        .allSatisfy(k -> assertThat(known).as("job keys").contains(k));
  }

  @Test
  void shouldSetOnlyKeysTheMemoryStoreReads() throws IOException {
    Set<String> known = envNames(MemoryOptions.GROUP.options().stream());
    known.add(KafkaOptions.BOOTSTRAP_SERVERS.envName());
    for (String name : new String[] {"memory-1", "memory-2"}) {
      Set<String> env = environment(services().get(name));
      assertThat(env).contains("MEMORY_HTTP_ADVERTISED_HOST", "MEMORY_STANDBY_REPLICAS");
      assertThat(env)
          .filteredOn(k -> !k.equals("FORESIGHT_MEMORY_JAVA_OPTS"))
          .allSatisfy(k -> assertThat(known).as("memory keys of " + name).contains(k));
    }
  }

  @Test
  void shouldStartAProductionShapedStack() throws IOException {
    assertThat(services().keySet())
        .contains(
            "kafka-1",
            "kafka-2",
            "kafka-3",
            "topics",
            "jobmanager",
            "taskmanager",
            "job",
            "memory-1",
            "memory-2",
            "robots");
    // nothing to pull: every service runs the image built from this repository
    services()
        .forEach(
            (name, s) ->
                assertThat(String.valueOf(s.get("image")))
                    .as(name + "'s image")
                    .startsWith("foresight:"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldStopTheKafkaClientsBeforeTheBrokers() throws IOException {
    // docker-compose stop stops a service only after those that depend on it: a client stopped
    // alongside its brokers cannot flush (the CI run where the robots' statistics were lost)
    Map<String, Map<String, Object>> services = services();
    for (String name : new String[] {"memory-1", "memory-2", "robots"}) {
      Map<String, Object> dependsOn = (Map<String, Object>) services.get(name).get("depends_on");
      assertThat(dependsOn).as(name + " depends on").containsKeys("kafka-1", "kafka-2", "kafka-3");
    }
  }
}
