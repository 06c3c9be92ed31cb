package io.foresight.tools.models;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Topics;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelDeployment;
import io.foresight.tools.internal.KafkaClients;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The model deployments on the control topic ({@code foresight.control}) and the models the job's
 * outputs name: what {@code foresight models deploy} publishes and {@code models list} shows.
 *
 * <pre>{@code
 * ModelDeployment d = Deployments.of(Path.of("models/two-rooms"));
 * long offset = Deployments.publish("localhost:9092", d);
 * List<ModelDeployment> all = Deployments.read("localhost:9092");
 * }</pre>
 */
public final class Deployments {
  private Deployments() {}

  /**
   * A deployment of the model in {@code dir} (its absolute path, so that every task manager that
   * sees the same file system finds it), with a new id, requested now.
   */
  public static ModelDeployment of(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    ModelCard card = ModelCard.load(abs);
    String predictor =
        card.files().containsKey("predictor") ? card.fileInfo("predictor").sha256() : null;
    return ModelDeployment.newBuilder()
        .setDeploymentId(UUID.randomUUID().toString())
        .setModelDir(abs.toString())
        .setModelName(card.name())
        .setModelVersion(card.version())
        .setEncoderSha256(card.fileInfo("encoder").sha256().toLowerCase(java.util.Locale.ROOT))
        .setPredictorSha256(predictor == null ? null : predictor.toLowerCase(java.util.Locale.ROOT))
        .setRequestedAtUs(System.currentTimeMillis() * 1000L)
        .setRequestedBy(System.getProperty("user.name", "?") + "@" + host())
        .build();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  /**
   * Publishes a deployment on the control topic (acks=all, idempotent) and waits for the broker.
   *
   * @return the record's offset
   * @throws IllegalStateException if the broker does not take it, with the broker's reason
   */
  public static long publish(String bootstrap, ModelDeployment d) {
    byte[] value = AvroCodec.of(ModelDeployment.class).encode(d);
    byte[] key = d.getDeploymentId().toString().getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.bytesProducer(bootstrap)) {
      RecordMetadata m =
          p.send(new ProducerRecord<>(Topics.CONTROL, key, value)).get(60, TimeUnit.SECONDS);
      return m.offset();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not publish the deployment on "
              + Topics.CONTROL
              + " at "
              + bootstrap
              + ": "
              + e.getCause().getMessage()
              + ". Create the topics with `foresight topics create --bootstrap "
              + bootstrap
              + "`.",
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrap + " did not take the deployment within 60 s; is it up?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing the deployment", e);
    }
  }

  /**
   * Every deployment on the control topic, oldest first; records that do not decode are skipped.
   */
  public static List<ModelDeployment> read(String bootstrap) {
    AvroCodec<ModelDeployment> codec = AvroCodec.of(ModelDeployment.class);
    List<ModelDeployment> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaClients.fromBeginning(bootstrap, List.of(Topics.CONTROL))) {
      for (ConsumerRecord<byte[], byte[]> r : readToEnd(c)) {
        try {
          out.add(codec.decode(r.value()));
        } catch (WireFormatException e) {
          // Not a deployment (a stray record): the list shows deployments only.
        }
      }
    }
    return out;
  }

  /**
   * The model each stream's newest latent names, counted by model: the last {@code tail} records of
   * each partition of {@code foresight.latents} (read_committed).
   *
   * @return streams per model ("name version sha256"), sorted by model
   */
  public static Map<String, Integer> running(String bootstrap, int tail) {
    AvroCodec<LatentState> codec = AvroCodec.of(LatentState.class);
    Map<String, String> byStream = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaClients.assigned(bootstrap, List.of(Topics.LATENTS), Map.of())) {
      seekToTail(c, tail);
      for (ConsumerRecord<byte[], byte[]> r : readToEnd(c)) {
        try {
          LatentState l = codec.decode(r.value());
          byStream.put(
              l.getStreamId().toString(),
              l.getModel().getName()
                  + " "
                  + l.getModel().getVersion()
                  + " "
                  + l.getModel().getSha256());
        } catch (WireFormatException e) {
          // Only the job writes this topic; anything else is not a latent of a model.
        }
      }
    }
    Map<String, Integer> out = new TreeMap<>();
    byStream.values().forEach(m -> out.merge(m, 1, Integer::sum));
    return out;
  }

  /** Moves each assigned partition to its last {@code tail} records (or its beginning). */
  private static void seekToTail(KafkaConsumer<byte[], byte[]> c, int tail) {
    Map<TopicPartition, Long> begin = c.beginningOffsets(c.assignment());
    Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
    for (TopicPartition tp : c.assignment()) {
      c.seek(tp, Math.max(begin.get(tp), end.get(tp) - tail));
    }
  }

  /**
   * The refusals of deployments by the job's subtasks: dead letters whose source is the control
   * topic, from the last {@code tail} records of each partition of {@code foresight.deadletter}.
   *
   * @return "stage: reason" lines by deployment id, oldest first
   */
  public static Map<String, List<String>> refusals(String bootstrap, int tail) {
    AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    Map<String, List<String>> out = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaClients.assigned(bootstrap, List.of(Topics.DEADLETTER), Map.of())) {
      seekToTail(c, tail);
      for (ConsumerRecord<byte[], byte[]> r : readToEnd(c)) {
        try {
          DeadLetter d = codec.decode(r.value());
          if (Topics.CONTROL.equals(d.getSourceTopic().toString()) && d.getKey() != null) {
            String id = StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString();
            out.computeIfAbsent(id, k -> new ArrayList<>()).add(d.getStage() + ": " + d.getError());
          }
        } catch (WireFormatException e) {
          // Only the job writes this topic; anything else is not one of its dead letters.
        }
      }
    }
    return out;
  }

  /** Polls until every assigned partition is read up to the end offsets taken at the start. */
  private static List<ConsumerRecord<byte[], byte[]>> readToEnd(KafkaConsumer<byte[], byte[]> c) {
    Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done(c, end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not read " + c.assignment() + " to its end within 60 s; is Kafka up?");
      }
      c.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }

  private static boolean done(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    // read_committed: polling moves the position past transaction markers up to the end offset.
    for (TopicPartition tp : c.assignment()) {
      if (c.position(tp) < end.get(tp)) {
        return false;
      }
    }
    return true;
  }
}
