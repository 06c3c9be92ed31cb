package io.foresight.memory.cli;

import io.foresight.memory.internal.WalkLatents;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.AlignedReading;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight memory feed}: a steady load for the memory store through Kafka, as the closed
 * loop makes it. Per frame of each simulated robot it publishes one {@code LatentState}, one {@code
 * Prediction} (a {@code --horizon} x {@code --dim} tensor with surprise), one {@code
 * ActionCommand}, and with probability {@code --surprise-rate} a {@code SurpriseEvent}; frames of
 * the robots are spread evenly in time. Used to measure the memory JVM's CPU per latent (see
 * docs/benchmarks.md, "CPU per latent through Kafka").
 *
 * <pre>{@code
 * foresight memory feed --bootstrap 127.0.0.1:9092 --robots 64 --fps 10 --seconds 120
 * }</pre>
 */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes a steady closed-loop load for the memory store: per robot and frame a latent, a"
          + " prediction, an action and now and then a surprise event.",
      "Prints one line per 10 s and a summary; records are keyed by stream id as in the loop."
    })
public final class MemoryFeedCommand implements Callable<Integer> {
  @Option(
      names = "--bootstrap",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(
      names = "--robots",
      defaultValue = "64",
      description = "Streams (default ${DEFAULT-VALUE}).")
  int robots;

  @Option(
      names = "--fps",
      defaultValue = "10",
      description = "Frames per second of each stream (default ${DEFAULT-VALUE}).")
  double fps;

  @Option(
      names = "--seconds",
      defaultValue = "60",
      description = "How long to publish; 0 = until stopped (default ${DEFAULT-VALUE}).")
  long seconds;

  @Option(
      names = "--dim",
      defaultValue = "32",
      description = "Floats per latent (default ${DEFAULT-VALUE}, as two-rooms-jepa).")
  int dim;

  @Option(
      names = "--horizon",
      defaultValue = "5",
      description = "Predicted steps per Prediction (default ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--surprise-rate",
      defaultValue = "0.01",
      description = "Share of frames that also get a SurpriseEvent (default ${DEFAULT-VALUE}).")
  double surpriseRate;

  @Option(
      names = "--stream-prefix",
      defaultValue = "bench-robot-",
      description = "Stream ids are this plus 0..robots-1 (default ${DEFAULT-VALUE}).")
  String prefix;

  @Option(
      names = "--linger-ms",
      defaultValue = "5",
      description = "Producer linger.ms (default ${DEFAULT-VALUE}).")
  int lingerMs;

  static final ModelRef MODEL =
      new ModelRef(
          "bench-feed", "1", "feedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeed");

  @Override
  public Integer call() throws Exception {
    if (robots < 1 || fps <= 0 || dim < 1 || horizon < 1 || seconds < 0) {
      System.err.println("--robots, --fps, --dim, --horizon must be positive, --seconds >= 0");
      return 2;
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    AvroCodec<LatentState> latents = AvroCodec.of(LatentState.class);
    AvroCodec<Prediction> predictions = AvroCodec.of(Prediction.class);
    AvroCodec<ActionCommand> actions = AvroCodec.of(ActionCommand.class);
    AvroCodec<SurpriseEvent> surprises = AvroCodec.of(SurpriseEvent.class);
    Random random = new Random(7);
    WalkLatents[] walks = new WalkLatents[robots];
    for (int r = 0; r < robots; r++) {
      walks[r] = new WalkLatents(dim, random);
    }
    long periodNs = (long) (1e9 / (robots * fps));
    long start = System.nanoTime();
    long end = seconds == 0 ? Long.MAX_VALUE : start + TimeUnit.SECONDS.toNanos(seconds);
    long baseUs = System.currentTimeMillis() * 1000L;
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> error = new AtomicReference<>();
    long frames = 0;
    long sent = 0;
    long nextReport = start + TimeUnit.SECONDS.toNanos(10);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      while (error.get() == null) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        long due = (now - start) / periodNs + 1;
        for (; frames < due; frames++) {
          int r = (int) (frames % robots);
          long seq = frames / robots;
          String stream = prefix + r;
          byte[] key = stream.getBytes(StandardCharsets.UTF_8);
          long timeUs = baseUs + (frames * periodNs) / 1000;
          float[] z = walks[r].next(random);
          List<AlignedReading> readings =
              List.of(
                  new AlignedReading(
                      "proprio", timeUs - 500, List.of(random.nextDouble(), random.nextDouble())));
          List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(4);
          out.add(
              new ProducerRecord<>(
                  Topics.LATENTS,
                  key,
                  latents.encode(
                      new LatentState(
                          stream, seq, timeUs, MODEL, Tensors.tensor(z, 1, dim), readings))));
          float[] future = new float[horizon * dim];
          List<Integer> horizons = new ArrayList<>(horizon);
          for (int h = 0; h < horizon; h++) {
            System.arraycopy(z, 0, future, h * dim, dim);
            horizons.add(h + 1);
          }
          double surprise = Math.abs(random.nextGaussian());
          out.add(
              new ProducerRecord<>(
                  Topics.PREDICTIONS,
                  key,
                  predictions.encode(
                      new Prediction(
                          stream,
                          seq,
                          timeUs,
                          MODEL,
                          horizons,
                          Tensors.tensor(future, horizon, dim),
                          surprise,
                          surprise / 2))));
          out.add(
              new ProducerRecord<>(
                  Topics.ACTIONS,
                  key,
                  actions.encode(
                      new ActionCommand(
                          stream,
                          timeUs + 1000,
                          List.of((float) random.nextGaussian(), (float) random.nextGaussian()),
                          ActionSource.PLANNER,
                          stream + "/plan/" + seq,
                          seq))));
          if (random.nextDouble() < surpriseRate) {
            out.add(
                new ProducerRecord<>(
                    Topics.SURPRISE,
                    key,
                    surprises.encode(
                        new SurpriseEvent(
                            stream, seq, timeUs, MODEL, surprise, 3 + surprise, 3.0))));
          }
          for (ProducerRecord<byte[], byte[]> rec : out) {
            producer.send(
                rec,
                (md, e) -> {
                  if (e != null) {
                    error.compareAndSet(null, e);
                  } else {
                    acked.incrementAndGet();
                  }
                });
            sent++;
          }
        }
        if (now >= nextReport) {
          System.out.printf(
              Locale.ROOT,
              "feed t=%ds latents=%d records=%d acked=%d%n",
              TimeUnit.NANOSECONDS.toSeconds(now - start),
              frames,
              sent,
              acked.get());
          nextReport += TimeUnit.SECONDS.toNanos(10);
        }
        LockSupport.parkNanos(Math.min(periodNs, TimeUnit.MILLISECONDS.toNanos(5)));
      }
      producer.flush();
    }
    if (error.get() != null) {
      System.err.println("feed failed: " + error.get());
      return 1;
    }
    double s = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "feed done latents=%d records=%d acked=%d seconds=%.1f latents/s=%.1f%n",
        frames,
        sent,
        acked.get(),
        s,
        frames / s);
    return 0;
  }
}
