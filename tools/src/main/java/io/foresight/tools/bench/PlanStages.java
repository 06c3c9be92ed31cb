package io.foresight.tools.bench;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.Plan;
import io.foresight.tools.internal.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a plan's time went, from the plans themselves: each {@link Plan} carries its frame's
 * capture time ({@code based_on_time_us}), the time the world model emitted it ({@code time_us}),
 * how long its request waited ({@code stats.queued_ms}) and how long the search took ({@code
 * stats.elapsed_ms}). So per plan: capture to the world model (the robot's send, the broker, the
 * job's source, decoding and encoding: everything before the world model took the latent) = emit -
 * capture - queued - search. The robots' own {@code frame_to_plan_ms} adds the way back (plans
 * sink, broker, the robot's consumer). Same machine, same clock.
 *
 * <p>Plans for a new goal (a stream's first plan with a goal id) are counted apart as well: they
 * start from the stream's newest latent when the goal comes, which can be older than one frame.
 *
 * <pre>{@code
 * Map<TopicPartition, Long> from = PlanStages.endOffsets(bootstrap);   // before the step
 * ... the robots run ...
 * StreamsReport.PlanStages s = PlanStages.read(bootstrap, from, streams, warmupSteps);
 * }</pre>
 */
public final class PlanStages {
  private static final AvroCodec<Plan> PLANS = AvroCodec.of(Plan.class);
  private static final long MAX_US = 3_600_000_000L;

  private PlanStages() {}

  /** The end offsets of {@code foresight.plans} now. */
  public static Map<TopicPartition, Long> endOffsets(String bootstrap) {
    return OutputCheck.endOffsets(bootstrap, List.of(Topics.PLANS));
  }

  /**
   * Reads {@code foresight.plans} from {@code from} to its end now and tallies the plans of {@code
   * streams} based on a frame at or after {@code warmupSteps}.
   */
  public static StreamsReport.PlanStages read(
      String bootstrap, Map<TopicPartition, Long> from, Set<String> streams, long warmupSteps) {
    Tally t = new Tally(streams, warmupSteps);
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaClients.fromBeginning(bootstrap, List.of(Topics.PLANS))) {
      Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
      for (TopicPartition tp : c.assignment()) {
        c.seek(tp, from.getOrDefault(tp, 0L));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline && !reached(c, end)) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          try {
            t.add(PLANS.decode(r.value()));
          } catch (WireFormatException e) {
            // not a plan: no stream of this step's
          }
        }
      }
    }
    return t.result();
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The tally of one step's plans; pure, so it is testable without Kafka. */
  static final class Tally {
    private final Set<String> streams;
    private final long warmupSteps;
    private final Map<String, CharSequence> goalOf = new HashMap<>();
    private final Histogram toWorldModel = new Histogram(MAX_US, 3);
    private final Histogram queued = new Histogram(MAX_US, 3);
    private final Histogram search = new Histogram(MAX_US, 3);
    private final Histogram toEmit = new Histogram(MAX_US, 3);
    private final Histogram newGoalToEmit = new Histogram(MAX_US, 3);

    Tally(Set<String> streams, long warmupSteps) {
      this.streams = Set.copyOf(streams);
      this.warmupSteps = warmupSteps;
    }

    void add(Plan p) {
      String stream = p.getStreamId().toString();
      if (!streams.contains(stream)) {
        return;
      }
      String goal = p.getGoalId().toString();
      boolean newGoal = !goal.equals(String.valueOf(goalOf.put(stream, goal)));
      if (p.getBasedOnSequence() < warmupSteps || p.getBasedOnTimeUs() <= 0) {
        return;
      }
      long total = p.getTimeUs() - p.getBasedOnTimeUs();
      long q = Math.round(p.getStats().getQueuedMs() * 1000);
      long s = Math.round(p.getStats().getElapsedMs() * 1000);
      record(toEmit, total);
      record(queued, q);
      record(search, s);
      record(toWorldModel, total - q - s);
      if (newGoal) {
        record(newGoalToEmit, total);
      }
    }

    private static void record(Histogram h, long us) {
      h.recordValue(Math.min(MAX_US, Math.max(0, us)));
    }

    StreamsReport.PlanStages result() {
      return new StreamsReport.PlanStages(
          ms(toWorldModel), ms(queued), ms(search), ms(toEmit), ms(newGoalToEmit));
    }

    private static StreamsReport.Percentiles ms(Histogram h) {
      if (h.getTotalCount() == 0) {
        return new StreamsReport.Percentiles(0, null, null, null);
      }
      return new StreamsReport.Percentiles(
          h.getTotalCount(),
          h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(95) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0);
    }
  }
}
