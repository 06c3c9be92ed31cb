package io.foresight.broker.junit;

import io.foresight.broker.EmbeddedKafkaBroker;
import io.foresight.broker.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that starts a real embedded Kafka broker (KRaft) once per test class, creates
 * Foresight's topics, and removes everything afterwards.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 *
 * @Test void shouldRoundTrip() { producer(KAFKA.bootstrapServers()); ... }
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private final int partitions;
  private EmbeddedKafkaBroker broker;
  private Path dir;

  /** One partition per topic. */
  public KafkaBrokerExtension() {
    this(1);
  }

  /** {@code partitions} partitions per topic. */
  public KafkaBrokerExtension(int partitions) {
    this.partitions = partitions;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("foresight-kafka-");
    broker = EmbeddedKafkaBroker.builder().dataDir(dir).build().start();
    TopicAdmin.createTopics(broker.bootstrapServers(), partitions);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (broker != null) {
        broker.close();
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  /** The bootstrap address of the running broker. */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** The running broker, e.g. to stop and restart it on its data directory. */
  public EmbeddedKafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException(
          "the broker is not started: register the extension on a static field with"
              + " @RegisterExtension");
    }
    return broker;
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
