package io.foresight.memory.api;

/**
 * The answer of {@code GET /health} (status 200 when {@code UP}, 503 when {@code DOWN}).
 *
 * @param status {@code UP} or {@code DOWN}
 * @param state the Kafka Streams state, e.g. {@code RUNNING}
 * @param partitions partitions (tasks) this instance holds
 * @param latentsStored latents this instance stored since it started
 */
public record Health(String status, String state, int partitions, long latentsStored) {
  /** Whether the instance is up. */
  public boolean up() {
    return "UP".equals(status);
  }
}
