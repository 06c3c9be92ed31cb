package io.foresight.schemas.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where configuration warnings go, each distinct line once. */
final class Warnings {
  private static final Logger LOG = LoggerFactory.getLogger("io.foresight.config");

  /** The log (WARN), shared by the whole JVM so a deprecated key is named once. */
  static final Warnings LOG_ONCE = new Warnings(LOG::warn);

  private final Consumer<String> sink;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  Warnings(Consumer<String> sink) {
    this.sink = sink;
  }

  void warn(String line) {
    if (seen.add(line)) {
      sink.accept(line);
    }
  }
}
