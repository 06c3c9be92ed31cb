package io.foresight.tools.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.memory.api.MemoryClient;
import io.foresight.memory.api.StreamSummary;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Prediction;
import io.foresight.sim.robot.FleetReport;
import io.foresight.tools.internal.KafkaClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The checks of {@code foresight audit check}. */
final class Audit {
  private static final AvroCodec<CameraFrame> FRAMES = AvroCodec.of(CameraFrame.class);
  private static final AvroCodec<LatentState> LATENTS = AvroCodec.of(LatentState.class);
  private static final AvroCodec<Prediction> PREDICTIONS = AvroCodec.of(Prediction.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** A fault as the stack test logged it. */
  record FaultTime(String fault, long t0Ms, long t1Ms, long t2Ms) {}

  private final String bootstrap;
  private final List<String> memory;

  Audit(String bootstrap, List<String> memory) {
    this.bootstrap = bootstrap;
    this.memory = memory;
  }

  AuditReport run(List<Path> robotStats, Path faultsFile, Path timelineFile, Duration wait)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    // every frame accepted by the broker, with its capture time
    Map<String, Long> frames = new HashMap<>();
    readAll(
        Topics.FRAMES,
        r -> {
          CameraFrame f = FRAMES.decode(r.value());
          frames.put(key(f.getStreamId().toString(), f.getSequence()), f.getCaptureTimeUs() / 1000);
        });
    // committed latents, until every frame has one or nothing new comes for a while
    Map<String, Integer> latents = new HashMap<>();
    Map<String, Long> latentsPerStream = new HashMap<>();
    long unexpected;
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaClients.fromBeginning(bootstrap, List.of(Topics.LATENTS))) {
      long lastNew = System.nanoTime();
      while (System.nanoTime() < deadline
          && System.nanoTime() - lastNew < Duration.ofSeconds(30).toNanos()
          && !latents.keySet().containsAll(frames.keySet())) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          LatentState l = LATENTS.decode(r.value());
          String stream = l.getStreamId().toString();
          if (latents.merge(key(stream, l.getSequence()), 1, Integer::sum) == 1) {
            latentsPerStream.merge(stream, 1L, Long::sum);
          }
          lastNew = System.nanoTime();
        }
      }
    }
    long lost = frames.keySet().stream().filter(k -> !latents.containsKey(k)).count();
    long duplicates = latents.values().stream().mapToLong(n -> n - 1).sum();
    unexpected = latents.keySet().stream().filter(k -> !frames.containsKey(k)).count();

    // working memory: a prediction after a stream's first made without its previous state
    Map<String, TreeMap<Long, Boolean>> surprise = new HashMap<>();
    readAll(
        Topics.PREDICTIONS,
        r -> {
          Prediction p = PREDICTIONS.decode(r.value());
          surprise
              .computeIfAbsent(p.getStreamId().toString(), s -> new TreeMap<>())
              .merge(p.getSequence(), p.getSurprise() != null, Boolean::logicalOr);
        });
    List<String> resets = new ArrayList<>();
    surprise.forEach(
        (stream, bySeq) ->
            bySeq
                .tailMap(bySeq.firstKey(), false)
                .forEach(
                    (seq, made) -> {
                      if (!made) {
                        resets.add(key(stream, seq));
                      }
                    }));

    // the memory store: every committed latent stored once
    Map<String, Long> stored = storedCounts(latentsPerStream, deadline);
    List<String> mismatch = new ArrayList<>();
    latentsPerStream.forEach(
        (stream, n) -> {
          long s = stored.getOrDefault(stream, 0L);
          if (s != n) {
            mismatch.add(stream + ": stored " + s + ", committed latents " + n);
          }
        });

    long goals = 0;
    for (Path f : robotStats) {
      goals += FleetReport.read(f).goals().reached();
    }
    List<AuditReport.Fault> faults =
        faultsFile == null
            ? List.of()
            : faults(readFaults(faultsFile), readTimeline(timelineFile), frames, latents, resets);
    return new AuditReport(
        frames.size(),
        latents.keySet().stream().filter(frames::containsKey).count(),
        duplicates,
        lost,
        unexpected,
        stored.values().stream().mapToLong(Long::longValue).sum(),
        mismatch,
        resets.size(),
        goals,
        faults);
  }

  private Map<String, Long> storedCounts(Map<String, Long> expected, long deadline)
      throws InterruptedException {
    Map<String, Long> stored = new HashMap<>();
    if (memory.isEmpty()) {
      return stored;
    }
    while (true) {
      for (String url : memory) {
        try {
          Map<String, Long> counts = new HashMap<>();
          for (StreamSummary s : MemoryClient.of(url).streams().streams()) {
            counts.put(s.stream(), s.count());
          }
          stored = counts;
          break;
        } catch (RuntimeException e) {
          // the next instance
        }
      }
      if (stored.equals(expected) || System.nanoTime() > deadline) {
        return stored;
      }
      Thread.sleep(2000);
    }
  }

  private static List<AuditReport.Fault> faults(
      List<FaultTime> faults,
      List<JsonNode> timeline,
      Map<String, Long> frames,
      Map<String, Integer> latents,
      List<String> resets) {
    List<AuditReport.Fault> out = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      FaultTime f = faults.get(i);
      long from = f.t0Ms();
      long to = i + 1 < faults.size() ? faults.get(i + 1).t0Ms() : Long.MAX_VALUE;
      long n = 0;
      long lost = 0;
      long dup = 0;
      for (Map.Entry<String, Long> e : frames.entrySet()) {
        if (e.getValue() >= from && e.getValue() < to) {
          n++;
          int c = latents.getOrDefault(e.getKey(), 0);
          lost += c == 0 ? 1 : 0;
          dup += Math.max(0, c - 1);
        }
      }
      long memoryResets =
          resets.stream().map(frames::get).filter(t -> t != null && t >= from && t < to).count();
      Double recovery = null;
      for (JsonNode s : timeline) {
        long t = s.path("tMs").asLong();
        if (t >= f.t1Ms() && s.path("latentFrameMaxMs").asLong() > f.t1Ms()) {
          recovery = (t - f.t1Ms()) / 1000.0;
          break;
        }
      }
      long until = f.t2Ms();
      long longest = 0;
      long run = 0;
      // per URL: answered, failed, current failing run, longest failing run
      Map<String, long[]> queries = new LinkedHashMap<>();
      for (JsonNode s : timeline) {
        long t = s.path("tMs").asLong();
        if (t < f.t0Ms() || t > until) {
          continue;
        }
        run = s.path("plans").asInt() == 0 ? run + 1 : 0;
        longest = Math.max(longest, run);
        s.path("memory")
            .fields()
            .forEachRemaining(
                e -> {
                  long[] q = queries.computeIfAbsent(e.getKey(), k -> new long[4]);
                  q[0] += e.getValue().path(0).asLong();
                  long failed = e.getValue().path(1).asLong();
                  q[1] += failed;
                  q[2] = failed > 0 ? q[2] + 1 : 0;
                  q[3] = Math.max(q[3], q[2]);
                });
      }
      Map<String, AuditReport.Queries> answered = new LinkedHashMap<>();
      queries.forEach((u, q) -> answered.put(u, new AuditReport.Queries(q[0], q[1], q[3])));
      out.add(
          new AuditReport.Fault(
              f.fault(), n, lost, dup, memoryResets, recovery, (double) longest, answered));
    }
    return out;
  }

  private static List<FaultTime> readFaults(Path file) throws IOException {
    List<FaultTime> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        out.add(
            new FaultTime(
                n.path("fault").asText(),
                n.path("t0_ms").asLong(),
                n.path("t1_ms").asLong(),
                n.path("t2_ms").asLong(n.path("t1_ms").asLong())));
      }
    }
    return out;
  }

  private static List<JsonNode> readTimeline(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (file != null && Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  /** Reads a topic from its beginning to its end now, read_committed. */
  private void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.fromBeginning(bootstrap, List.of(topic))) {
      Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
      while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          try {
            each.accept(r);
          } catch (RuntimeException bad) {
            // a record that is not Foresight's (the job dead-letters those): not counted
          }
        }
      }
    }
  }

  private static String key(String stream, long sequence) {
    return stream + "#" + sequence;
  }
}
