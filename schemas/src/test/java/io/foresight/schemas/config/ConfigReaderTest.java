package io.foresight.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
  static final ConfigOption<Integer> SIZE =
      ConfigOptions.key("toy.batch.size")
          .intType()
          .defaultValue(32)
          .checking(Check.between(1, 4096))
          .withDescription("Frames per call");
  static final ConfigOption<Duration> TIMEOUT =
      ConfigOptions.key("toy.batch.timeout")
          .durationType()
          .defaultValue(Duration.ofMillis(10))
          .checking(Check.nonNegativeDuration())
          .withDeprecatedMillisKey("toy.batch.timeout.ms")
          .withDescription("Flush a partial batch after this long");
  static final ConfigOption<String> DEVICE =
      ConfigOptions.device("toy.device", "toy model", "auto");
  static final ConfigOption<Optional<Path>> DIR =
      ConfigOptions.key("toy.model.dir").optionalPathType().withDescription("Model folder");

  static final OptionGroup<ConfigValues> TOY =
      OptionGroup.builder("toy", v -> v)
          .prefixes("toy.")
          .options(KafkaOptions.BOOTSTRAP_SERVERS, SIZE, TIMEOUT, DEVICE, DIR)
          .check(v -> ConfigReaderTest.TOY_REQUIRE.accept(v))
          .build();
  static final java.util.function.Consumer<ConfigValues> TOY_REQUIRE =
      v ->
          TOY.require(
              v.get(SIZE) != 13, SIZE, "must not be 13, the size the toy model cannot take");

  @Test
  void shouldLetEachSourceOverrideTheOneBefore(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f.properties");
    Files.writeString(file, "toy.batch.size=2\ntoy.batch.timeout=1s\ntoy.device=cpu\n");
    Map<String, String> env = Map.of("TOY_BATCH_SIZE", "3", "TOY_BATCH_TIMEOUT", "2s");
    ConfigValues v = ConfigReader.of(file, env, Map.of("toy.batch.size", "4")).read(TOY);

    assertThat(v.get(SIZE)).isEqualTo(4);
    assertThat(v.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
    assertThat(v.get(DEVICE)).isEqualTo("cpu");
    assertThat(v.get(DIR)).isEmpty();
    assertThat(ConfigReader.of(null, Map.of(), Map.of()).read(TOY).get(SIZE)).isEqualTo(32);
  }

  @Test
  void shouldNameTheEnvironmentVariableOfEveryKey() {
    assertThat(SIZE.envName()).isEqualTo("TOY_BATCH_SIZE");
    assertThat(KafkaOptions.BOOTSTRAP_SERVERS.envName()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
    assertThat(ConfigOption.envName("memory.retention.max-age"))
        .isEqualTo("MEMORY_RETENTION_MAX_AGE");
  }

  @Test
  void shouldNameKeyEnvValueAndWhatIsExpectedInABadValue() {
    assertThatThrownBy(
            () -> ConfigReader.of(null, Map.of("TOY_BATCH_SIZE", "many"), Map.of()).read(TOY))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "bad value 'many' for toy.batch.size (env TOY_BATCH_SIZE; from environment variable"
                + " TOY_BATCH_SIZE): expected int in 1..4096");
    assertThatThrownBy(() -> TOY.builder().set(SIZE, 0).build())
        .hasMessage(
            "bad value '0' for toy.batch.size (env TOY_BATCH_SIZE): expected int in 1..4096");
    assertThatThrownBy(() -> TOY.fromMap(Map.of("toy.device", "gpu-0")))
        .hasMessageContaining("bad value 'gpu-0' for toy.device")
        .hasMessageContaining("expected auto|cpu|cuda|cuda:N");
    assertThatThrownBy(() -> TOY.builder().set(SIZE, 13).build())
        .hasMessage(
            "toy.batch.size must not be 13, the size the toy model cannot take (env TOY_BATCH_SIZE)");
  }

  @Test
  void shouldAcceptEveryDeviceForm() {
    assertThat(TOY.fromMap(Map.of("toy.device", "CUDA:1")).get(DEVICE)).isEqualTo("cuda:1");
    assertThat(TOY.fromMap(Map.of("toy.device", "gpu")).get(DEVICE)).isEqualTo("cuda");
    assertThat(TOY.defaults().get(DEVICE)).isEqualTo("auto");
    assertThatThrownBy(() -> TOY.fromMap(Map.of("toy.device", "cuda:-1")))
        .hasMessageContaining("toy.device");
  }

  @Test
  void shouldReadDeprecatedKeysWithOneWarningNamingTheNewKey() {
    List<String> warnings = new ArrayList<>();
    ConfigReader r =
        ConfigReader.of(
                null,
                Map.of("INGEST_BOOTSTRAP_SERVERS", "k:1"),
                Map.of("toy.batch.timeout.ms", "250"))
            .warningsTo(warnings::add);
    ConfigValues v = r.read(TOY);
    r.read(TOY);

    assertThat(v.get(KafkaOptions.BOOTSTRAP_SERVERS)).isEqualTo("k:1");
    assertThat(v.get(TIMEOUT)).isEqualTo(Duration.ofMillis(250));
    assertThat(warnings)
        .containsExactlyInAnyOrder(
            "option ingest.bootstrap.servers (env INGEST_BOOTSTRAP_SERVERS) is deprecated and will"
                + " be removed in the next release; use kafka.bootstrap.servers (env"
                + " KAFKA_BOOTSTRAP_SERVERS)",
            "option toy.batch.timeout.ms (env TOY_BATCH_TIMEOUT_MS) is deprecated and will be"
                + " removed in the next release; use toy.batch.timeout (env TOY_BATCH_TIMEOUT)"
                + " with a unit, e.g. 10ms");
  }

  @Test
  void shouldNotWarnWhenARenamedKebabKeyHasTheSameVariableAsItsNewKey() {
    ConfigOption<Duration> age =
        ConfigOptions.key("kebab.max.age")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDeprecatedKeys("kebab.max-age");
    OptionGroup<ConfigValues> g =
        OptionGroup.builder("kebab", v -> v).prefixes("kebab.").options(age).build();
    List<String> warnings = new ArrayList<>();
    ConfigValues v =
        ConfigReader.of(null, Map.of("KEBAB_MAX_AGE", "7d"), Map.of())
            .warningsTo(warnings::add)
            .read(g);

    assertThat(v.get(age)).isEqualTo(Duration.ofDays(7));
    assertThat(warnings).isEmpty();
    assertThat(g.fromMap(Map.of("kebab.max-age", "1h")).get(age)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void shouldPreferTheNewKeyWhenASourceGivesBoth() {
    ConfigValues v =
        TOY.fromMap(Map.of("memory.bootstrap", "old:1", "kafka.bootstrap.servers", "new:1"));
    assertThat(v.get(KafkaOptions.BOOTSTRAP_SERVERS)).isEqualTo("new:1");
  }

  @Test
  void shouldRefuseAnUnknownKeyUnderTheModulesPrefixWithTheClosestKey() {
    assertThatThrownBy(() -> TOY.fromMap(Map.of("toy.batchsize", "4")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown option 'toy.batchsize'; did you mean toy.batch.size?");
    assertThatThrownBy(() -> TOY.fromMap(Map.of("toy.zzzzzzzzzzzzzzzzzz", "4")))
        .hasMessageContaining("the toy options are [kafka.bootstrap.servers, toy.batch.size");
  }

  @Test
  void shouldWarnAboutMistypedKeysOutsideEveryPrefix() {
    List<String> warnings = new ArrayList<>();
    ConfigReader r =
        ConfigReader.of(
                null,
                Map.of("TOY_BATCH_SIZ", "3", "PATH", "/bin"),
                Map.of("tyo.batch.size", "3", "other.module.key", "x"))
            .warningsTo(warnings::add);
    r.read(TOY);
    r.warnUnknown(List.of(TOY));

    assertThat(warnings)
        .containsExactly(
            "unknown option 'tyo.batch.size' ignored; did you mean toy.batch.size?",
            "environment variable TOY_BATCH_SIZ names no option; did you mean TOY_BATCH_SIZE?",
            "unknown option 'other.module.key' ignored");
  }

  @Test
  void shouldReadDurationsWithAUnitAndRefuseBareNumbers() {
    ValueType<Duration> d = ValueType.DURATION;
    assertThat(d.parse("50ms")).isEqualTo(Duration.ofMillis(50));
    assertThat(d.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(d.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(d.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(d.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(d.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThatThrownBy(() -> TOY.fromMap(Map.of("toy.batch.timeout", "50")))
        .hasMessage(
            "bad value '50' for toy.batch.timeout (env TOY_BATCH_TIMEOUT): expected duration >= 0"
                + " (a bare number has no unit; write it with one, e.g. 50ms or 50s)");
  }

  @Test
  void shouldParseSetArguments() {
    assertThat(ConfigReader.parseSetArgs(List.of("a.b=1", "c.d = x=y")))
        .containsExactly(Map.entry("a.b", "1"), Map.entry("c.d", "x=y"));
    assertThatThrownBy(() -> ConfigReader.parseSetArgs(List.of("a.b")))
        .hasMessageContaining("--set takes key=value");
  }

  @Test
  void shouldSurviveJavaSerializationWithPathsInside() throws Exception {
    ConfigValues v = TOY.fromMap(Map.of("toy.model.dir", "/models/x", "toy.batch.size", "8"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(v);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ConfigValues back = (ConfigValues) in.readObject();
      assertThat(back).isEqualTo(v);
      assertThat(back.get(DIR)).contains(Path.of("/models/x"));
    }
  }

  @Test
  void shouldRefuseKeysThatAreNotDottedLowerCase() {
    assertThatThrownBy(
            () -> ConfigOptions.key("memory.retention.max-age").intType().defaultValue(1))
        .hasMessageContaining("dotted lower-case");
  }

  @Test
  void shouldRenderEveryKeyInTheDocs() {
    String md = ConfigDocs.render(List.of(KafkaOptions.GROUP, TOY));
    assertThat(md)
        .contains(
            "| `toy.batch.timeout` | `TOY_BATCH_TIMEOUT` | duration >= 0 | `10ms` | Flush a partial"
                + " batch after this long. Deprecated keys: `toy.batch.timeout.ms` (milliseconds). |")
        .contains("Also reads `kafka.bootstrap.servers` (above).");
  }
}
