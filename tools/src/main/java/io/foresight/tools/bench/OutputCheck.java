package io.foresight.tools.bench;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Prediction;
import io.foresight.tools.internal.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads {@code foresight.latents} and {@code foresight.predictions} (read_committed) from offsets
 * taken before a step started and checks that every frame the step's robots published became
 * exactly one latent and one prediction: counts distinct (stream, sequence), duplicates, frames
 * without one, and records for sequences no robot published.
 *
 * <pre>{@code
 * Map<TopicPartition, Long> from = OutputCheck.endOffsets(bootstrap);   // before the step
 * ... the robots run ...
 * OutputCheck.Result r = OutputCheck.await(bootstrap, from, framesPerStream, Duration.ofSeconds(60));
 * }</pre>
 */
public final class OutputCheck {
  static final List<String> TOPICS = List.of(Topics.LATENTS, Topics.PREDICTIONS);
  private static final AvroCodec<LatentState> LATENTS = AvroCodec.of(LatentState.class);
  private static final AvroCodec<Prediction> PREDICTIONS = AvroCodec.of(Prediction.class);

  /** Both topics' checks. */
  public record Result(StreamsReport.Exactness latents, StreamsReport.Exactness predictions) {}

  private OutputCheck() {}

  /** The end offsets of both topics now (read_committed: the last stable offsets). */
  public static Map<TopicPartition, Long> endOffsets(String bootstrap) {
    return endOffsets(bootstrap, TOPICS);
  }

  /** The end offsets of {@code topics} now (read_committed: the last stable offsets). */
  static Map<TopicPartition, Long> endOffsets(String bootstrap, List<String> topics) {
    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.fromBeginning(bootstrap, topics)) {
      return new HashMap<>(c.endOffsets(c.assignment()));
    }
  }

  /**
   * Reads both topics from {@code from} until every expected frame has its latent and prediction,
   * or nothing new came for {@code quiet}, or {@code timeout} passed.
   *
   * @param framesPerStream frames published per stream id: sequences {@code 0 .. n - 1}
   */
  public static Result await(
      String bootstrap,
      Map<TopicPartition, Long> from,
      Map<String, Long> framesPerStream,
      Duration quiet,
      Duration timeout) {
    Tally latents = new Tally(Topics.LATENTS, framesPerStream);
    Tally predictions = new Tally(Topics.PREDICTIONS, framesPerStream);
    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.fromBeginning(bootstrap, TOPICS)) {
      for (TopicPartition tp : c.assignment()) {
        c.seek(tp, from.getOrDefault(tp, 0L));
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      long lastNew = System.nanoTime();
      while (System.nanoTime() < deadline
          && System.nanoTime() - lastNew < quiet.toNanos()
          && !(latents.complete() && predictions.complete())) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          boolean counted =
              r.topic().equals(Topics.LATENTS)
                  ? latents.add(r.value(), b -> key(LATENTS.decode(b)))
                  : predictions.add(r.value(), b -> key(PREDICTIONS.decode(b)));
          if (counted) {
            lastNew = System.nanoTime();
          }
        }
      }
    }
    return new Result(latents.result(), predictions.result());
  }

  private static Key key(LatentState l) {
    return new Key(l.getStreamId(), l.getSequence());
  }

  private static Key key(Prediction p) {
    return new Key(p.getStreamId(), p.getSequence());
  }

  record Key(String stream, long sequence) {}

  /** Counts of one topic; pure, so the accounting is testable without Kafka. */
  static final class Tally {
    private final String topic;
    private final Map<String, Long> expected;
    private final long total;
    private final Map<Key, Integer> counts = new HashMap<>();
    private long duplicates;
    private long unexpected;
    private long distinct;

    Tally(String topic, Map<String, Long> expected) {
      this.topic = topic;
      this.expected = Map.copyOf(expected);
      this.total = expected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts one record if it is for one of the streams; returns whether it was. */
    boolean add(byte[] value, Function<byte[], Key> decode) {
      Key k;
      try {
        k = decode.apply(value);
      } catch (WireFormatException e) {
        // Not a record of this topic's type, so of no stream of this step: not ours to count.
        return false;
      }
      return add(k);
    }

    boolean add(Key k) {
      Long n = expected.get(k.stream());
      if (n == null) {
        return false;
      }
      if (k.sequence() < 0 || k.sequence() >= n) {
        unexpected++;
        return true;
      }
      int c = counts.merge(k, 1, Integer::sum);
      if (c == 1) {
        distinct++;
      } else {
        duplicates++;
      }
      return true;
    }

    boolean complete() {
      return distinct == total;
    }

    StreamsReport.Exactness result() {
      return new StreamsReport.Exactness(
          topic,
          total,
          distinct,
          duplicates,
          total - distinct,
          unexpected,
          distinct == total && duplicates == 0 && unexpected == 0);
    }
  }
}
