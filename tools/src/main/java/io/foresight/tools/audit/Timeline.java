package io.foresight.tools.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.memory.api.MemoryClient;
import io.foresight.memory.api.StreamSummary;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Plan;
import io.foresight.tools.internal.KafkaClients;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * What a consumer sees, second by second: latents and plans that became readable (read_committed)
 * and whether each memory-store instance answered a {@code latest} query for every known stream.
 */
final class Timeline {
  /** One second of the timeline, as written to the file. */
  record Second(
      long tMs,
      int latents,
      int plans,
      long latentFrameMaxMs,
      long planFrameMaxMs,
      Map<String, int[]> memory) {}

  private static final AvroCodec<LatentState> LATENTS = AvroCodec.of(LatentState.class);
  private static final AvroCodec<Plan> PLANS = AvroCodec.of(Plan.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrap;
  private final List<String> memory;
  private final Path out;
  private final Set<String> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

  Timeline(String bootstrap, List<String> memory, Path out) {
    this.bootstrap = bootstrap;
    this.memory = memory;
    this.out = out;
  }

  void run(Duration duration) throws IOException, InterruptedException {
    long end = duration == null ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
    ExecutorService probes = Executors.newCachedThreadPool();
    try (KafkaConsumer<byte[], byte[]> c = consumer();
        BufferedWriter w =
            Files.newBufferedWriter(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      Future<Map<String, int[]>> probe = probes.submit(this::probeMemory);
      long next = System.currentTimeMillis() + 1000;
      int latents = 0;
      int plans = 0;
      long latentMax = 0;
      long planMax = 0;
      while (System.currentTimeMillis() < end && !Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          try {
            if (r.topic().equals(Topics.LATENTS)) {
              LatentState l = LATENTS.decode(r.value());
              latents++;
              latentMax = Math.max(latentMax, l.getTimeUs() / 1000);
              streams.add(l.getStreamId());
            } else {
              Plan p = PLANS.decode(r.value());
              plans++;
              planMax = Math.max(planMax, p.getBasedOnTimeUs() / 1000);
            }
          } catch (RuntimeException bad) {
            // not Foresight's record: not counted
          }
        }
        long now = System.currentTimeMillis();
        if (now >= next) {
          Map<String, int[]> answers = Map.of();
          if (probe.isDone()) {
            try {
              answers = probe.get();
            } catch (java.util.concurrent.ExecutionException e) {
              answers = Map.of();
            }
            probe = probes.submit(this::probeMemory);
          }
          w.write(
              JSON.writeValueAsString(
                  new Second(now, latents, plans, latentMax, planMax, answers)));
          w.newLine();
          w.flush();
          latents = 0;
          plans = 0;
          next += 1000;
        }
      }
    } finally {
      probes.shutdownNow();
      probes.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Per instance: [answered, failed] {@code latest} queries, one per known stream. */
  private Map<String, int[]> probeMemory() {
    Map<String, int[]> out = new LinkedHashMap<>();
    List<String> known = new ArrayList<>(streams);
    for (String url : memory) {
      MemoryClient client = MemoryClient.of(url).withTimeout(Duration.ofSeconds(2));
      int ok = 0;
      int failed = 0;
      if (known.isEmpty()) {
        try {
          for (StreamSummary s : client.streams().streams()) {
            streams.add(s.stream());
          }
          ok++;
        } catch (RuntimeException e) {
          failed++;
        }
      }
      for (String s : known) {
        try {
          client.latest(s);
          ok++;
        } catch (RuntimeException e) {
          failed++;
        }
      }
      out.put(url, new int[] {ok, failed});
    }
    return out;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    KafkaConsumer<byte[], byte[]> c =
        KafkaClients.assigned(bootstrap, List.of(Topics.LATENTS, Topics.PLANS), Map.of());
    c.seekToEnd(c.assignment());
    return c;
  }
}
