package io.foresight.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.pipeline.JobRunner;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.KafkaLimits;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import io.foresight.tools.demo.EmbeddedStack;
import io.foresight.tools.internal.ChildJvm;
import io.foresight.tools.internal.KafkaClients;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery with records in flight. The broker, the memory store and the job each run in their own
 * JVM while a steady stream of frames (and some bad records) is published; each of them is killed
 * with SIGKILL mid-stream and started again on its directory. Afterwards every exactly-once topic
 * (read_committed) holds every record exactly once by (stream, sequence), every bad record has
 * exactly one dead letter, and the memory store holds every latent.
 *
 * <p>The kills happen while frames are being encoded and written in open transactions, so this test
 * fails when the job's sinks are at-least-once (the records after the last checkpoint are written
 * twice).
 */
class JobRecoveryIT {
  private static final int STREAMS = 2;
  private static final long FRAME_INTERVAL_MS = 100;
  private static final String BAD_KEY = "bad-recovery";
  private static final Duration STEP = Duration.ofSeconds(180);

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private final Map<String, Integer> latentsSeen = new ConcurrentHashMap<>();

  @AfterEach
  void killEverything() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldKeepEveryOutputExactlyOnceWhenJobMemoryAndBrokerAreKilledMidStream() throws Exception {
    int port = freePort();
    Path kafkaDir = dir.resolve("kafka");
    Path checkpoints = dir.resolve("checkpoints");
    Path jobLog = dir.resolve("job.log");
    Process broker = startBroker(port, kafkaDir);
    String bootstrap = "127.0.0.1:" + port;
    Process memory = startMemory(bootstrap);
    String[] memoryUrl = {memoryUrlOf(memory)};
    Process[] job = {startJob(bootstrap, checkpoints, jobLog)};

    Set<String> sent = ConcurrentHashMap.newKeySet();
    Set<Long> badOffsets = ConcurrentHashMap.newKeySet();
    AtomicInteger sendFailures = new AtomicInteger();
    AtomicBoolean publishing = new AtomicBoolean(true);
    Thread publisher =
        new Thread(
            () -> publish(bootstrap, publishing, sent, badOffsets, sendFailures), "publisher");
    Thread watcher = new Thread(() -> watchLatents(bootstrap, publishing), "latent-watcher");
    publisher.start();
    watcher.start();
    try {
      // 1. the job, while it encodes, after at least one checkpoint
      awaitTrue(
          () ->
              latentsSeen.size() >= 40
                  && JobRunner.latestCheckpoint(checkpoints.toString()).isPresent(),
          "the job's first latents and checkpoint; job log: " + jobLog);
      kill(job[0]);
      job[0] = startJob(bootstrap, checkpoints, jobLog);
      int afterJobKill = latentsSeen.size();
      awaitTrue(
          () -> latentsSeen.size() >= afterJobKill + 40,
          "latents after the job's restart; job log: " + jobLog);
      assertThat(Files.readString(jobLog)).contains("Resuming from checkpoint");

      // 2. the memory store, while latents arrive
      kill(memory);
      memory = startMemory(bootstrap);
      memoryUrl[0] = memoryUrlOf(memory);
      int afterMemoryKill = latentsSeen.size();
      awaitTrue(() -> latentsSeen.size() >= afterMemoryKill + 30, "latents after the memory kill");

      // 3. the broker, with transactions open; started again on its directory and port
      kill(broker);
      broker = startBroker(port, kafkaDir);
      int afterBrokerKill = latentsSeen.size();
      awaitTrue(
          () -> {
            if (!job[0].isAlive()) {
              // the job gives up after its restart attempts; a supervisor starts it again
              try {
                job[0] = startJob(bootstrap, checkpoints, jobLog);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
            return latentsSeen.size() >= afterBrokerKill + 30;
          },
          "latents after the broker's restart; job log: " + jobLog);
    } finally {
      publishing.set(false);
      publisher.join(60_000);
    }
    watcher.join(10_000);
    assertThat(sendFailures.get()).as("frames the producer could not send").isZero();
    Map<String, Long> perStream = new HashMap<>();
    sent.forEach(f -> perStream.merge(f.substring(0, f.indexOf('#')), 1L, Long::sum));

    Map<String, Integer> latents =
        countsBy(
            bootstrap,
            Topics.LATENTS,
            sent.size(),
            r -> {
              LatentState l = AvroCodec.of(LatentState.class).decode(r.value());
              return l.getStreamId() + "#" + l.getSequence();
            });
    assertThat(latents.keySet())
        .as("a latent for every frame; job log: %s", jobLog)
        .isEqualTo(sent);
    assertThat(duplicates(latents)).as("latents written more than once").isEmpty();

    Map<String, Integer> predictions =
        countsBy(
            bootstrap,
            Topics.PREDICTIONS,
            sent.size(),
            r -> {
              Prediction p = AvroCodec.of(Prediction.class).decode(r.value());
              return p.getStreamId() + "#" + p.getSequence();
            });
    assertThat(predictions.keySet()).as("a prediction for every frame").isEqualTo(sent);
    assertThat(duplicates(predictions)).as("predictions written more than once").isEmpty();

    Map<String, Integer> surprise =
        countsBy(
            bootstrap,
            Topics.SURPRISE,
            Integer.MAX_VALUE,
            r -> {
              SurpriseEvent s = AvroCodec.of(SurpriseEvent.class).decode(r.value());
              return s.getStreamId() + "#" + s.getSequence();
            });
    assertThat(sent).as("surprise only for frames that were sent").containsAll(surprise.keySet());
    assertThat(duplicates(surprise)).as("surprise events written more than once").isEmpty();

    Map<String, Integer> dead =
        countsBy(
            bootstrap,
            Topics.DEADLETTER,
            badOffsets.size(),
            r -> {
              DeadLetter d = AvroCodec.of(DeadLetter.class).decode(r.value());
              return d.getSourceTopic() + "@" + d.getOffset();
            });
    Set<String> expectedDead = new java.util.HashSet<>();
    badOffsets.forEach(o -> expectedDead.add(Topics.FRAMES + "@" + o));
    assertThat(dead.keySet()).as("a dead letter for every bad frame").isEqualTo(expectedDead);
    assertThat(duplicates(dead)).as("dead letters written more than once").isEmpty();

    assertThat(memoryCounts(memoryUrl[0], perStream))
        .as("every latent once in the memory store")
        .isEqualTo(perStream);
  }

  // ---- the stream ----

  private void publish(
      String bootstrap,
      AtomicBoolean publishing,
      Set<String> sent,
      Set<Long> badOffsets,
      AtomicInteger failures) {
    Map<String, Object> p = new HashMap<>(KafkaLimits.producer());
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.idempotence", true);
    p.put("acks", "all");
    TwoRoomsWorld world = new TwoRoomsWorld(WorldConfig.builder().build(), 5);
    byte[] rgb = new byte[64 * 64 * 3];
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int seq = 0; publishing.get(); seq++) {
        world.step(0.5f, 0.2f);
        world.render(rgb);
        for (int s = 0; s < STREAMS; s++) {
          String stream = "rec-" + s;
          String id = stream + "#" + seq;
          CameraFrame f =
              CameraFrame.newBuilder()
                  .setStreamId(stream)
                  .setSequence(seq)
                  .setCaptureTimeUs(System.currentTimeMillis() * 1000)
                  .setEncoding(FrameEncoding.RGB8)
                  .setWidth(64)
                  .setHeight(64)
                  .setData(ByteBuffer.wrap(rgb.clone()))
                  .build();
          producer.send(
              new ProducerRecord<>(
                  Topics.FRAMES,
                  stream.getBytes(StandardCharsets.UTF_8),
                  AvroCodec.of(CameraFrame.class).encode(f)),
              (md, e) -> {
                if (e == null) {
                  sent.add(id);
                } else {
                  failures.incrementAndGet();
                }
              });
        }
        if (seq % 10 == 5) {
          producer.send(
              new ProducerRecord<>(
                  Topics.FRAMES,
                  BAD_KEY.getBytes(StandardCharsets.UTF_8),
                  ("not a frame " + seq).getBytes(StandardCharsets.UTF_8)),
              (md, e) -> {
                if (e == null) {
                  badOffsets.add(md.offset());
                } else {
                  failures.incrementAndGet();
                }
              });
        }
        Thread.sleep(FRAME_INTERVAL_MS);
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Follows the latents topic (read_committed) into {@link #latentsSeen}, to time the kills. */
  private void watchLatents(String bootstrap, AtomicBoolean publishing) {
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaClients.fromBeginning(bootstrap, List.of(Topics.LATENTS))) {
      while (publishing.get()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          LatentState l = AvroCodec.of(LatentState.class).decode(r.value());
          latentsSeen.merge(l.getStreamId() + "#" + l.getSequence(), 1, Integer::sum);
        }
      }
    }
  }

  private static Map<String, Integer> countsBy(
      String bootstrap,
      String topic,
      int expected,
      Function<ConsumerRecord<byte[], byte[]>, String> id) {
    Map<String, Integer> counts = new HashMap<>();
    Duration wait = expected == Integer.MAX_VALUE ? Duration.ofSeconds(5) : STEP;
    List<ConsumerRecord<byte[], byte[]>> records =
        TopicReader.readUntil(bootstrap, topic, l -> l.size() >= expected, wait);
    if (expected != Integer.MAX_VALUE) {
      // read a little past the expected count, so that duplicates show up too
      records = TopicReader.readUntil(bootstrap, topic, l -> false, Duration.ofSeconds(3));
    }
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(BAD_KEY)
          || !topic.equals(Topics.DEADLETTER)) {
        counts.merge(id.apply(r), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static Map<String, Integer> duplicates(Map<String, Integer> counts) {
    Map<String, Integer> d = new HashMap<>();
    counts.forEach(
        (k, v) -> {
          if (v != 1) {
            d.put(k, v);
          }
        });
    return d;
  }

  private static Map<String, Long> memoryCounts(String url, Map<String, Long> expected)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Long> stored = new HashMap<>();
    long deadline = System.nanoTime() + STEP.toNanos();
    while (System.nanoTime() < deadline && !stored.equals(expected)) {
      stored.clear();
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(url + "/streams")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (JsonNode s : new ObjectMapper().readTree(body).path("streams")) {
        if (s.path("stream").asText().startsWith("rec-")) {
          stored.put(s.path("stream").asText(), s.path("count").asLong());
        }
      }
      Thread.sleep(500);
    }
    return stored;
  }

  // ---- the processes ----

  private Process startBroker(int port, Path kafkaDir) throws Exception {
    Process p =
        start(
            new ProcessBuilder(
                javaCommand(
                    "-Xmx512m",
                    ChildJvm.FORESIGHT_MAIN,
                    "broker",
                    "--port",
                    Integer.toString(port),
                    "--dir",
                    kafkaDir.toString())),
            dir.resolve("broker.log"));
    awaitLine(p, "Kafka broker ready", dir.resolve("broker.log"));
    return p;
  }

  private Process startMemory(String bootstrap) throws Exception {
    Path log = dir.resolve("memory-store.log");
    Process p =
        start(
            ChildJvm.memoryStore(
                List.of(
                    "serve",
                    "--bootstrap",
                    bootstrap,
                    "--state-dir",
                    dir.resolve("memory").toString(),
                    "--http-port",
                    "0")),
            log);
    return p;
  }

  private Process startJob(String bootstrap, Path checkpoints, Path log) throws IOException {
    return start(
        new ProcessBuilder(
            javaCommand(
                "-Xmx1g",
                ChildJvm.FORESIGHT_MAIN,
                "job",
                "--bootstrap",
                bootstrap,
                "--checkpoint-dir",
                checkpoints.toString(),
                "--set",
                "job.checkpoint.interval=500ms",
                "--set",
                "job.group.id=recovery-it",
                "--set",
                "encoder.threads=1",
                "--set",
                "encoder.threads.spin=false")),
        log);
  }

  private static List<String> javaCommand(String heap, String main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private final Map<Process, CompletableFuture<String>> ready = new ConcurrentHashMap<>();
  private final Map<Process, String> readyMarker = new ConcurrentHashMap<>();

  /** Starts {@code pb}, appending its output to {@code log} and watching it for ready lines. */
  private Process start(ProcessBuilder pb, Path log) throws IOException {
    Process p =
        pb.directory(new File(System.getProperty("user.dir"))).redirectErrorStream(true).start();
    processes.add(p);
    CompletableFuture<String> memoryReady = new CompletableFuture<>();
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    ready.put(p, memoryReady);
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter w =
                      new PrintWriter(
                          Files.newBufferedWriter(
                              log,
                              java.nio.file.StandardOpenOption.CREATE,
                              java.nio.file.StandardOpenOption.APPEND))) {
                String line;
                while ((line = r.readLine()) != null) {
                  w.println(line);
                  w.flush();
                  String marker = readyMarker.getOrDefault(p, EmbeddedStack.MEMORY_READY);
                  if (line.contains(marker)) {
                    memoryReady.complete(line);
                  }
                }
              } catch (IOException e) {
                memoryReady.completeExceptionally(e);
              }
              memoryReady.completeExceptionally(
                  new IllegalStateException("exited before it was ready; its log is " + log));
            },
            "log-" + log.getFileName());
    t.setDaemon(true);
    t.start();
    return p;
  }

  private void awaitLine(Process p, String marker, Path log) throws Exception {
    readyMarker.put(p, marker);
    // the marker may be set after the line went by: check the log as well
    long deadline = System.nanoTime() + STEP.toNanos();
    while (System.nanoTime() < deadline) {
      if (ready.get(p).isDone() || Files.exists(log) && Files.readString(log).contains(marker)) {
        if (!p.isAlive()) {
          throw new IllegalStateException("exited; its log is " + log);
        }
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("not ready within " + STEP + "; its log is " + log);
  }

  private String memoryUrlOf(Process memory) throws Exception {
    String line = ready.get(memory).get(STEP.toSeconds(), TimeUnit.SECONDS);
    int url = line.indexOf("http://");
    assertThat(url).as("the memory store's ready line %s", line).isNotNegative();
    return line.substring(url).split("\\s+")[0];
  }

  /** SIGKILL: no shutdown hook, no flush, no clean close. */
  private static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process exited").isTrue();
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
