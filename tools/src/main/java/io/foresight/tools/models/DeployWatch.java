package io.foresight.tools.models;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
import io.foresight.tools.internal.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What became of a deployment, as {@code foresight models deploy --wait} watches it: the job's
 * refusals of that deployment id on {@code foresight.deadletter} and the first latent of the new
 * encoder on {@code foresight.latents}, both from the end offsets taken before the deployment was
 * published ({@link #start}), so nothing older counts.
 *
 * <p>Latents are read read_committed: a latent counts once the checkpoint that covers it has
 * completed, which is what a reader of the topic sees. Dead letters are read read_uncommitted: a
 * deployment is refused exactly when checkpoints fail, and then the dead-letter sink's transaction
 * does not commit; the refusal is the subtask's decision all the same.
 *
 * <pre>{@code
 * try (DeployWatch w = DeployWatch.start(bootstrap)) {
 *   Deployments.publish(bootstrap, d);
 *   DeployWatch.Outcome o = w.await(d.getDeploymentId().toString(), sha, Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class DeployWatch implements AutoCloseable {
  /** How a watched deployment ended. */
  public enum Result {
    /** Latents of the new encoder appeared (read_committed). */
    SWITCHED,
    /** A subtask of the job refused the deployment. */
    REFUSED,
    /** Neither within the time given. */
    TIMED_OUT
  }

  /**
   * What was seen.
   *
   * @param result how it ended
   * @param refusals "stage: reason" of every refusal seen
   * @param firstStream the stream of the first latent of the new model, or null
   * @param waited how long it watched
   */
  public record Outcome(Result result, List<String> refusals, String firstStream, Duration waited) {
    public Outcome {
      Objects.requireNonNull(result, "result");
      refusals = List.copyOf(refusals);
    }
  }

  private final KafkaConsumer<byte[], byte[]> deadLetters;
  private final KafkaConsumer<byte[], byte[]> latents;

  private DeployWatch(
      KafkaConsumer<byte[], byte[]> deadLetters, KafkaConsumer<byte[], byte[]> latents) {
    this.deadLetters = deadLetters;
    this.latents = latents;
  }

  /** Opens the two consumers at the current ends of the topics: call before publishing. */
  public static DeployWatch start(String bootstrap) {
    KafkaConsumer<byte[], byte[]> dead =
        KafkaClients.assigned(
            bootstrap, List.of(Topics.DEADLETTER), Map.of("isolation.level", "read_uncommitted"));
    KafkaConsumer<byte[], byte[]> lat = null;
    try {
      lat = KafkaClients.assigned(bootstrap, List.of(Topics.LATENTS), Map.of());
      atEnd(dead);
      atEnd(lat);
      return new DeployWatch(dead, lat);
    } catch (RuntimeException e) {
      dead.close();
      if (lat != null) {
        lat.close();
      }
      throw e;
    }
  }

  private static void atEnd(KafkaConsumer<byte[], byte[]> c) {
    Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
    end.forEach(c::seek);
  }

  /**
   * Watches until a refusal of {@code deploymentId} or a latent whose model is {@code
   * encoderSha256} appears, or {@code wait} has passed. A refusal wins over latents seen in the
   * same poll: one refusing subtask is enough to say the deployment did not go through everywhere.
   */
  public Outcome await(String deploymentId, String encoderSha256, Duration wait) {
    AvroCodec<DeadLetter> dc = AvroCodec.of(DeadLetter.class);
    AvroCodec<LatentState> lc = AvroCodec.of(LatentState.class);
    String sha = encoderSha256.toLowerCase(Locale.ROOT);
    long start = System.nanoTime();
    long deadline = start + wait.toNanos();
    List<String> refusals = new ArrayList<>();
    String first = null;
    while (true) {
      for (ConsumerRecord<byte[], byte[]> r : deadLetters.poll(Duration.ofMillis(100))) {
        try {
          DeadLetter d = dc.decode(r.value());
          if (Topics.CONTROL.equals(d.getSourceTopic().toString())
              && d.getKey() != null
              && deploymentId.equals(
                  StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString())) {
            refusals.add(d.getStage() + ": " + d.getError());
          }
        } catch (WireFormatException e) {
          // Only the job writes this topic; anything else is not one of its dead letters.
        }
      }
      for (ConsumerRecord<byte[], byte[]> r : latents.poll(Duration.ofMillis(100))) {
        if (first != null) {
          break;
        }
        try {
          LatentState l = lc.decode(r.value());
          if (sha.equalsIgnoreCase(l.getModel().getSha256().toString())) {
            first = l.getStreamId().toString();
          }
        } catch (WireFormatException e) {
          // Only the job writes this topic.
        }
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      if (!refusals.isEmpty()) {
        return new Outcome(Result.REFUSED, refusals, first, waited);
      }
      if (first != null) {
        return new Outcome(Result.SWITCHED, refusals, first, waited);
      }
      if (System.nanoTime() > deadline) {
        return new Outcome(Result.TIMED_OUT, refusals, null, waited);
      }
    }
  }

  @Override
  public void close() {
    try {
      deadLetters.close();
    } finally {
      latents.close();
    }
  }
}
