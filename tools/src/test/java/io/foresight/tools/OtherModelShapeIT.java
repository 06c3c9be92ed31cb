package io.foresight.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.planner.ToyModel;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.sim.robot.GoalSpec;
import io.foresight.sim.robot.RobotFleet;
import io.foresight.tools.demo.EmbeddedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with a model of another shape than the shipped one (48x48 grey frames, 16-d latents, 3-d
 * actions with bounds of their own), from configuration only: every output has the model's shapes
 * and names the model it came from.
 */
class OtherModelShapeIT {
  @TempDir Path dir;

  @Test
  void shouldServeAModelOfAnotherShapeFromConfigurationAlone() throws Exception {
    Path model = ToyModel.gray48Dir();
    ModelCard card = ModelCard.load(model);
    String encoderSha256 = ModelCard.sha256(card.file("encoder"));
    try (EmbeddedStack stack = new EmbeddedStack(dir)) {
      stack.startBroker().startMemory(List.of());
      stack.startJob(
          Map.of(
              "encoder.model.dir", model.toString(),
              "planner.model.dir", model.toString(),
              "encoder.device", "cpu",
              "planner.device", "cpu",
              "job.checkpoint.interval", "500ms"));
      stack.awaitJobReady(Duration.ofSeconds(180));
      String bootstrap = stack.bootstrapServers();
      try (RobotFleet fleet =
          RobotFleet.builder()
              .bootstrapServers(bootstrap)
              .robots(2)
              .streamIdPrefix("gray48")
              .fps(10)
              .seed(3)
              .goal(GoalSpec.RANDOM)
              .build()) {
        fleet.open();
        fleet.run(Duration.ofSeconds(12));
      }

      List<ConsumerRecord<byte[], byte[]>> latents =
          TopicReader.readUntil(
              bootstrap, Topics.LATENTS, l -> l.size() >= 100, Duration.ofSeconds(60));
      assertThat(latents).hasSizeGreaterThanOrEqualTo(100);
      for (ConsumerRecord<byte[], byte[]> r : latents) {
        LatentState l = AvroCodec.of(LatentState.class).decode(r.value());
        assertThat(l.getLatent().getShape()).as("latent shape").containsExactly(16);
        assertThat(l.getModel().getName().toString()).isEqualTo("toy-gray48-world-model");
        assertThat(l.getModel().getSha256().toString()).isEqualToIgnoringCase(encoderSha256);
      }
      List<ConsumerRecord<byte[], byte[]>> predictions =
          TopicReader.readUntil(
              bootstrap, Topics.PREDICTIONS, l -> l.size() >= 100, Duration.ofSeconds(60));
      assertThat(predictions).hasSizeGreaterThanOrEqualTo(100);
      for (ConsumerRecord<byte[], byte[]> r : predictions) {
        Prediction p = AvroCodec.of(Prediction.class).decode(r.value());
        assertThat(p.getPredicted().getShape())
            .as("one 16-d row per horizon")
            .containsExactly(p.getHorizons().size(), 16);
        assertThat(p.getModel().getName().toString()).isEqualTo("toy-gray48-world-model");
      }
      List<ConsumerRecord<byte[], byte[]>> plans =
          TopicReader.readUntil(
              bootstrap, Topics.PLANS, l -> l.size() >= 10, Duration.ofSeconds(60));
      assertThat(plans).hasSizeGreaterThanOrEqualTo(10);
      for (ConsumerRecord<byte[], byte[]> r : plans) {
        Plan p = AvroCodec.of(Plan.class).decode(r.value());
        assertThat(p.getActions()).isNotEmpty();
        for (List<Float> step : p.getActions()) {
          assertThat(step).as("3-d actions").hasSize(3);
          assertThat(step.get(0)).isBetween(-2f, 2f);
          assertThat(step.get(1)).isBetween(-1f, 1f);
          assertThat(step.get(2)).isBetween(0f, 1f);
        }
      }
    }
  }
}
