package io.foresight.tools.demo;

import io.foresight.broker.EmbeddedKafkaBroker;
import io.foresight.broker.TopicAdmin;
import io.foresight.pipeline.ForesightJob;
import io.foresight.pipeline.JobConfig;
import io.foresight.pipeline.JobOptions;
import io.foresight.pipeline.JobRunner;
import io.foresight.pipeline.PipelineException;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.tools.internal.ChildJvm;
import io.foresight.tools.internal.KafkaClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Foresight on one machine: an embedded Kafka broker with the topics, the memory store in its own
 * JVM, and the job on a local Flink MiniCluster. Used by {@code foresight demo} and the end-to-end
 * tests. Closing it stops everything, job first.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  /** The line the memory store prints once it serves queries. */
  public static final String MEMORY_READY = "foresight-memory ready";

  private final Path dir;
  private EmbeddedKafkaBroker broker;
  private Process memory;

  /** How long the memory store may take to stop after SIGTERM before it is killed. */
  private static final Duration MEMORY_STOP_GRACE = Duration.ofSeconds(30);

  /** Stops the memory store when this JVM is stopped (SIGTERM, Ctrl-C) before {@link #close}. */
  private Thread memoryStop;

  private String memoryUrl;
  private JobClient job;
  private final List<String> memoryLog = java.util.Collections.synchronizedList(new ArrayList<>());

  public EmbeddedStack(Path dir) {
    this.dir = dir;
  }

  /** Starts the broker and creates the topics. */
  public EmbeddedStack startBroker() {
    broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).build().start();
    TopicAdmin.createTopics(broker.bootstrapServers(), 1);
    return this;
  }

  /**
   * The memory store's CPU priority in the embedded stack, as a niceness: {@code
   * FORESIGHT_MEMORY_NICE}, default {@value #DEFAULT_MEMORY_NICE}; 0 = the same as the job.
   */
  static final String MEMORY_NICE_VARIABLE = "FORESIGHT_MEMORY_NICE";

  /**
   * The memory store is off the control path (it reads the latents topic and may fall behind for a
   * while), and in the embedded stack it shares the cores with the broker, the job and the robots:
   * at lower priority its index builder, ingest and JIT yield the cores to frames and plans. At 128
   * robots on two cores this took the frame -> plan p99 from 323-457 ms to 97 ms
   * (docs/benchmarks.md, session 10).
   */
  static final int DEFAULT_MEMORY_NICE = 10;

  static int memoryNice() {
    String v = System.getenv(MEMORY_NICE_VARIABLE);
    if (v == null || v.isBlank()) {
      return DEFAULT_MEMORY_NICE;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new PipelineException(
          MEMORY_NICE_VARIABLE + " must be a niceness from 0 to 19, got '" + v + "'");
    }
  }

  /**
   * Starts the memory store as a child JVM (at the niceness of {@code FORESIGHT_MEMORY_NICE}) and
   * waits until it is ready.
   */
  public EmbeddedStack startMemory(List<String> extraArgs) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "serve",
            "--bootstrap",
            bootstrapServers(),
            "--state-dir",
            dir.resolve("memory").toString(),
            "--http-port",
            "0"));
    args.addAll(extraArgs);
    try {
      memory =
          ChildJvm.niced(ChildJvm.memoryStore(args), memoryNice())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new PipelineException("cannot start the memory store: " + e.getMessage(), e);
    }
    Process child = memory;
    memoryStop = new Thread(() -> ChildJvm.stop(child, MEMORY_STOP_GRACE), "memory-store-stop");
    Runtime.getRuntime().addShutdownHook(memoryStop);
    CompletableFuture<String> ready = new CompletableFuture<>();
    Path log = dir.resolve("memory-store.log");
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(memory.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = r.readLine()) != null) {
                  w.println(line);
                  w.flush();
                  memoryLog.add(line);
                  int at = line.indexOf(MEMORY_READY);
                  if (at >= 0) {
                    int url = line.indexOf("http://");
                    ready.complete(url >= 0 ? line.substring(url).split("\\s+")[0] : "");
                  }
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(
                  new PipelineException(
                      "the memory store exited before it was ready; its log is in " + log));
            },
            "memory-store-log");
    reader.setDaemon(true);
    reader.start();
    try {
      memoryUrl = ready.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new PipelineException(
          "the memory store did not become ready: "
              + e.getMessage()
              + "; last lines: "
              + tail(memoryLog, 10),
          e);
    }
    LOG.info("Memory store ready at {}", memoryUrl);
    return this;
  }

  /** Starts the job on a local MiniCluster with these option overrides. */
  public EmbeddedStack startJob(Map<String, String> overrides) {
    return startJob(overrides, new Configuration());
  }

  /**
   * Starts the job on a local MiniCluster with these option overrides and Flink settings (e.g. the
   * REST port of its web dashboard).
   */
  public EmbeddedStack startJob(Map<String, String> overrides, Configuration flink) {
    Map<String, String> o = new HashMap<>(overrides);
    o.put(JobOptions.BOOTSTRAP.key(), bootstrapServers());
    o.putIfAbsent(JobOptions.CHECKPOINT_DIR.key(), dir.resolve("checkpoints").toString());
    o.putIfAbsent(JobOptions.CHECKPOINT_INTERVAL.key(), "1s");
    // One machine runs everything here: ONNX Runtime threads that spin while idle would take the
    // cores the rest of the stack needs.
    o.putIfAbsent("encoder.threads", "1");
    o.putIfAbsent("encoder.threads.spin", "false");
    JobConfig cfg = JobConfig.load(null, Map.of(), o);
    StreamExecutionEnvironment env = JobRunner.environment(cfg, flink);
    new ForesightJob(ForesightJob.kafkaSources(cfg), ForesightJob.kafkaSinks(cfg), cfg).build(env);
    try {
      job = env.executeAsync("foresight");
    } catch (Exception e) {
      throw new PipelineException("the job did not start: " + e.getMessage(), e);
    }
    return this;
  }

  /**
   * Waits until the job turns a frame into a latent: publishes a blank frame on the stream {@code
   * warmup} and reads the latents topic (read_committed) until its latent is there.
   *
   * @throws PipelineException if that takes longer than {@code timeout}
   */
  public void awaitJobReady(Duration timeout) {
    byte[] key = WARMUP_STREAM.getBytes(StandardCharsets.UTF_8);
    CameraFrame blank =
        CameraFrame.newBuilder()
            .setStreamId(WARMUP_STREAM)
            .setSequence(0)
            .setCaptureTimeUs(System.currentTimeMillis() * 1000)
            .setEncoding(FrameEncoding.RGB8)
            .setWidth(64)
            .setHeight(64)
            .setData(ByteBuffer.wrap(new byte[64 * 64 * 3]))
            .build();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.bytesProducer(bootstrapServers())) {
      producer.send(
          new ProducerRecord<>(Topics.FRAMES, key, AvroCodec.of(CameraFrame.class).encode(blank)));
      producer.flush();
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.fromBeginning(bootstrapServers(), List.of(Topics.LATENTS))) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (Arrays.equals(r.key(), key)) {
            return;
          }
        }
      }
    }
    throw new PipelineException(
        "the job produced no latent within " + timeout.toSeconds() + " s of its start");
  }

  /** The stream id of the frame {@link #awaitJobReady} sends. */
  public static final String WARMUP_STREAM = "warmup";

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The memory store's HTTP address, e.g. {@code http://127.0.0.1:41234}. */
  public String memoryUrl() {
    return memoryUrl;
  }

  public JobClient job() {
    return job;
  }

  /** The memory store's process id, or -1 before {@link #startMemory}. */
  public long memoryPid() {
    return memory == null ? -1 : memory.pid();
  }

  /**
   * The process id of the JVM that holds the broker and the job (this one: the stack runs them
   * in-process).
   */
  public long stackPid() {
    return ProcessHandle.current().pid();
  }

  public Path dir() {
    return dir;
  }

  /** Stops the job, the memory store and the broker, in that order. */
  @Override
  public void close() {
    if (job != null) {
      try {
        job.cancel().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Error cancelling the job: {}", e.toString());
      }
      job = null;
    }
    if (memory != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(memoryStop);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs (or ran) already; stopping twice is harmless
      }
      ChildJvm.stop(memory, MEMORY_STOP_GRACE);
      memory = null;
    }
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  private static String tail(List<String> lines, int n) {
    synchronized (lines) {
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
  }
}
