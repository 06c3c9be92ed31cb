package io.foresight.schemas.config;

/**
 * The Kafka options every module that talks to Kafka shares: one address key, {@code
 * kafka.bootstrap.servers}, declared once here and listed in each module's options.
 */
public final class KafkaOptions {
  private KafkaOptions() {}

  /** The Kafka brokers; replaces {@code ingest.bootstrap.servers} and {@code memory.bootstrap}. */
  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("kafka.bootstrap.servers")
          .type(ValueType.STRING.named("host:port,..."))
          .defaultValue("localhost:9092")
          .checking(Check.notBlank())
          .withDeprecatedKeys("ingest.bootstrap.servers", "memory.bootstrap")
          .withDescription("Kafka brokers, host:port[,host:port]");

  /** The shared Kafka options, for {@code docs/configuration.md}. */
  public static final OptionGroup<ConfigValues> GROUP =
      OptionGroup.builder("kafka", v -> v)
          .title("Kafka (every module)")
          .description("Read by the ingest producers, the robots, the job and the memory store.")
          .prefixes("kafka.")
          .options(BOOTSTRAP_SERVERS)
          .build();
}
