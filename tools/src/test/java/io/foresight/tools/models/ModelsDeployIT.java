package io.foresight.tools.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.planner.ToyModel;
import io.foresight.runtime.ModelVariants;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Examples;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelDeployment;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.tools.internal.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code foresight models deploy} and {@code models list} on a real embedded broker. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelsDeployIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(2);

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = new CommandLine(new ModelsCommand()).execute(args);
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  @Order(1)
  void shouldRefuseAModelWithAWrongHashAndPublishNothing() throws Exception {
    Path bad = ModelVariants.copy(ToyModel.dir(), dir.resolve("bad"));
    Files.write(bad.resolve("encoder.onnx"), new byte[] {7}, StandardOpenOption.APPEND);
    Run r = run("deploy", bad.toString(), "--bootstrap", KAFKA.bootstrapServers());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).contains("FAIL  file hashes").contains("encoder.onnx");
    assertThat(r.err()).contains("refused").contains("nothing was published");
    assertThat(Deployments.read(KAFKA.bootstrapServers())).isEmpty();
  }

  @Test
  @Order(2)
  void shouldPublishAValidModelAndListItWithWhatRuns() throws Exception {
    Path a = ToyModel.dir();
    Path b = ModelVariants.redocumented(a, dir.resolve("b"), "2-redoc", "toy, re-exported");
    Run r = run("deploy", b.toString(), "--bootstrap", KAFKA.bootstrapServers(), "--wait", "0s");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("deployed toy-world-model 2-redoc").doesNotContain("switched");

    List<ModelDeployment> all = Deployments.read(KAFKA.bootstrapServers());
    assertThat(all).hasSize(1);
    ModelDeployment d = all.get(0);
    ModelCard card = ModelCard.load(b);
    assertThat(d.getModelDir().toString()).isEqualTo(b.toAbsolutePath().normalize().toString());
    assertThat(d.getModelVersion().toString()).isEqualTo("2-redoc");
    assertThat(d.getEncoderSha256().toString())
        .isEqualTo(ModelCard.sha256(card.file("encoder")))
        .isNotEqualTo(ModelCard.sha256(ModelCard.load(a).file("encoder")));
    assertThat(d.getPredictorSha256().toString())
        .isEqualTo(ModelCard.sha256(card.file("predictor")));

    // three streams on A, then one of them on B: what runs is counted by each stream's newest
    // latent
    AvroCodec<LatentState> codec = AvroCodec.of(LatentState.class);
    ModelRef refA = ModelCard.load(a).modelRef();
    ModelRef refB = card.modelRef();
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.bytesProducer(KAFKA.bootstrapServers())) {
      for (String s : List.of("s1", "s2", "s3")) {
        p.send(latent(codec, s, 1, refA));
      }
      p.send(latent(codec, "s2", 2, refB));
      p.flush();
    }
    Map<String, Integer> running = Deployments.running(KAFKA.bootstrapServers(), 100);
    assertThat(running)
        .containsEntry("toy-world-model 1 " + refA.getSha256(), 2)
        .containsEntry("toy-world-model 2-redoc " + refB.getSha256(), 1)
        .hasSize(2);

    // a subtask that refused the deployment, as the job writes it
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.bytesProducer(KAFKA.bootstrapServers())) {
      DeadLetter dead =
          DeadLetter.newBuilder(Examples.deadLetter())
              .setSourceTopic(Topics.CONTROL)
              .setKey(
                  java.nio.ByteBuffer.wrap(
                      d.getDeploymentId().toString().getBytes(StandardCharsets.UTF_8)))
              .setStage("deploy (encoder subtask 1)")
              .setError("model directory /x does not exist on this task manager")
              .build();
      p.send(
          new ProducerRecord<>(
              Topics.DEADLETTER, new byte[0], AvroCodec.of(DeadLetter.class).encode(dead)));
      p.flush();
    }
    Run list = run("list", "--bootstrap", KAFKA.bootstrapServers());
    assertThat(list.exit()).isZero();
    assertThat(list.out())
        .contains("deployments (1):")
        .contains(d.getDeploymentId().toString())
        .contains(
            "refused by deploy (encoder subtask 1): model directory /x does not exist on this task"
                + " manager")
        .contains("2 stream(s)  toy-world-model 1 " + refA.getSha256())
        .contains("1 stream(s)  toy-world-model 2-redoc " + refB.getSha256());
  }

  /**
   * Runs {@code then} with the id of the next deployment that appears on the control topic (as the
   * job would see it), on a thread of its own, while the command runs.
   */
  private static Thread onNextDeployment(java.util.function.Consumer<ModelDeployment> then) {
    int before = Deployments.read(KAFKA.bootstrapServers()).size();
    Thread t =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + 60_000_000_000L;
              while (System.nanoTime() < deadline) {
                List<ModelDeployment> all = Deployments.read(KAFKA.bootstrapServers());
                if (all.size() > before) {
                  then.accept(all.get(all.size() - 1));
                  return;
                }
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "job-stand-in");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void send(ProducerRecord<byte[], byte[]> record) {
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.bytesProducer(KAFKA.bootstrapServers())) {
      p.send(record);
      p.flush();
    }
  }

  @Test
  @Order(3)
  void shouldWaitForTheFirstLatentOfTheNewModelAndExitZero() throws Exception {
    Path c = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("c"), "3-redoc", "toy, again");
    ModelRef refC = ModelCard.load(c).modelRef();
    Thread job =
        onNextDeployment(d -> send(latent(AvroCodec.of(LatentState.class), "s9", 7, refC)));
    Run r = run("deploy", c.toString(), "--bootstrap", KAFKA.bootstrapServers(), "--wait", "60s");
    job.join();
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("switched: latents of the new model appear on foresight.latents")
        .contains("first from stream s9");
  }

  @Test
  @Order(4)
  void shouldReportARefusalOfItsDeploymentAndExitThree() throws Exception {
    Path c = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("c"), "4-redoc", "toy, again");
    String reason =
        "checkpoint 12 was aborted and none has completed since; fix checkpointing, then deploy"
            + " again";
    Thread job =
        onNextDeployment(
            d -> {
              DeadLetter dead =
                  DeadLetter.newBuilder(Examples.deadLetter())
                      .setSourceTopic(Topics.CONTROL)
                      .setKey(
                          java.nio.ByteBuffer.wrap(
                              d.getDeploymentId().toString().getBytes(StandardCharsets.UTF_8)))
                      .setStage("deploy (world model subtask 0)")
                      .setError(reason)
                      .build();
              send(
                  new ProducerRecord<>(
                      Topics.DEADLETTER, new byte[0], AvroCodec.of(DeadLetter.class).encode(dead)));
            });
    Run r = run("deploy", c.toString(), "--bootstrap", KAFKA.bootstrapServers(), "--wait", "60s");
    job.join();
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
    assertThat(r.err())
        .contains("was refused by the job")
        .contains("deploy (world model subtask 0): " + reason)
        .contains("deploy again");
  }

  @Test
  @Order(5)
  void shouldTimeOutWithAClearMessageWhenNothingHappens() throws Exception {
    Path c = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("c"), "5-redoc", "toy, again");
    Run r = run("deploy", c.toString(), "--bootstrap", KAFKA.bootstrapServers(), "--wait", "1s");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ModelsCommand.Deploy.TIMED_OUT);
    assertThat(r.err()).contains("timed out").contains("Is the job running");
  }

  private static ProducerRecord<byte[], byte[]> latent(
      AvroCodec<LatentState> codec, String stream, long seq, ModelRef model) {
    LatentState l =
        LatentState.newBuilder(Examples.latentState())
            .setStreamId(stream)
            .setSequence(seq)
            .setModel(model)
            .build();
    return new ProducerRecord<>(
        Topics.LATENTS, stream.getBytes(StandardCharsets.UTF_8), codec.encode(l));
  }
}
