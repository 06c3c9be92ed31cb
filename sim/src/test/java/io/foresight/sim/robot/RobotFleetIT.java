package io.foresight.sim.robot;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.broker.junit.KafkaBrokerExtension;
import io.foresight.broker.junit.TopicReader;
import io.foresight.ingest.FramePublisher;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.pusht.PushTWorld;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RobotFleetIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void shouldExecuteTheFirstActionOfAPublishedPlanAndPublishTheActionCommand() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    try (RobotFleet fleet =
            RobotFleet.builder()
                .bootstrapServers(bootstrap)
                .streamIdPrefix("robot-it")
                .seed(5)
                .build();
        TopicReader<CameraFrame> frames =
            new TopicReader<>(bootstrap, Topics.FRAMES, CameraFrame.class);
        TopicReader<SensorReading> readings =
            new TopicReader<>(bootstrap, Topics.READINGS, SensorReading.class);
        TopicReader<Goal> goals = new TopicReader<>(bootstrap, Topics.GOALS, Goal.class);
        TopicReader<ActionCommand> actions =
            new TopicReader<>(bootstrap, Topics.ACTIONS, ActionCommand.class)) {
      fleet.open();
      fleet.tick();
      SimulatedRobot robot = fleet.robot("robot-it");

      List<CameraFrame> f =
          mine(
              frames.readUntil(l -> mine(l, CameraFrame::getStreamId).size() >= 2, WAIT),
              CameraFrame::getStreamId);
      assertThat(f).extracting(CameraFrame::getSequence).containsExactly(0L, 1L);
      assertThat(frames.keys()).contains("robot-it");
      List<SensorReading> r =
          mine(
              readings.readUntil(l -> mine(l, SensorReading::getStreamId).size() >= 2, WAIT),
              SensorReading::getStreamId);
      assertThat(r).extracting(SensorReading::getKind).containsExactly("proprio", "proprio");
      List<Goal> g =
          mine(
              goals.readUntil(l -> !mine(l, Goal::getStreamId).isEmpty(), WAIT), Goal::getStreamId);
      assertThat(g.get(0).getGoalId()).isEqualTo(robot.goalId());

      long seq = robot.sequence();
      float x0 = robot.world().agentX();
      Plan plan =
          SimulatedRobotTest.plan(
              robot, "plan-42", seq, new float[] {0.8f, 0f}, new float[] {-1f, -1f});
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", bootstrap),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        p.send(
                new ProducerRecord<>(
                    Topics.PLANS,
                    "robot-it".getBytes(StandardCharsets.UTF_8),
                    AvroCodec.of(Plan.class).encode(plan)))
            .get();
      }
      assertThat(fleet.pollPlans(WAIT)).isEqualTo(1);
      fleet.tick();

      List<ActionCommand> executed =
          mine(
              actions.readUntil(
                  l -> l.stream().anyMatch(a -> "plan-42".equals(a.getPlanId())), WAIT),
              ActionCommand::getStreamId);
      ActionCommand a =
          executed.stream().filter(x -> "plan-42".equals(x.getPlanId())).findFirst().orElseThrow();
      assertThat(a.getStreamId()).isEqualTo("robot-it");
      assertThat(a.getSource()).isEqualTo(ActionSource.PLANNER);
      assertThat(a.getFrameSequence()).isEqualTo(seq);
      assertThat(a.getValues()).containsExactly(0.8f, 0f);
      assertThat(robot.world().agentX()).isNotEqualTo(x0);
      assertThat(executed.get(0).getSource())
          .as("the first tick had no plan")
          .isEqualTo(ActionSource.POLICY);
      assertThat(fleet.stats().plannedSteps()).isEqualTo(1);
      assertThat(fleet.stats().plansConsumed()).isEqualTo(1);
    }
  }

  private static <T> List<T> mine(List<T> all, Function<T, String> stream) {
    return mine(all, stream, "robot-it");
  }

  private static <T> List<T> mine(List<T> all, Function<T, String> stream, String id) {
    return all.stream().filter(x -> id.equals(stream.apply(x))).toList();
  }

  @Test
  void shouldPublishPushTFramesReadingsAndBlockGoals() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    String id = "pusht-it";
    try (RobotFleet fleet =
            RobotFleet.builder()
                .bootstrapServers(bootstrap)
                .world(PushTConfig.DEFAULT)
                .streamIdPrefix(id)
                .seed(9)
                .build();
        TopicReader<CameraFrame> frames =
            new TopicReader<>(bootstrap, Topics.FRAMES, CameraFrame.class);
        TopicReader<SensorReading> readings =
            new TopicReader<>(bootstrap, Topics.READINGS, SensorReading.class);
        TopicReader<Goal> goals = new TopicReader<>(bootstrap, Topics.GOALS, Goal.class)) {
      fleet.open();
      fleet.tick();
      fleet.tick();
      List<CameraFrame> f =
          mine(
              frames.readUntil(l -> mine(l, CameraFrame::getStreamId, id).size() >= 3, WAIT),
              CameraFrame::getStreamId,
              id);
      assertThat(f).extracting(CameraFrame::getSequence).containsExactly(0L, 1L, 2L);
      assertThat(f.get(2).getMetadata()).containsKey(PushTWorld.BLOCK_KEY);
      assertThat(f.get(2).getData().remaining()).isEqualTo(64 * 64 * 3);
      List<SensorReading> r =
          mine(
              readings.readUntil(l -> mine(l, SensorReading::getStreamId, id).size() >= 3, WAIT),
              SensorReading::getStreamId,
              id);
      assertThat(r.get(2).getNames()).containsExactly("x", "y", "vx", "vy");
      List<Goal> g =
          mine(
              goals.readUntil(l -> !mine(l, Goal::getStreamId, id).isEmpty(), WAIT),
              Goal::getStreamId,
              id);
      assertThat(g.get(0).getGoalId()).isEqualTo(fleet.robot(id).goalId());
      assertThat(((GoalImage) g.get(0).getTarget()).getData().remaining()).isEqualTo(64 * 64 * 3);
      assertThat(g.get(0).getTolerance()).isEqualTo(4f);
    }
  }

  @Test
  void shouldRunSeveralRobotsInTheBackground() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    try (FramePublisher publisher = FramePublisher.builder().bootstrapServers(bootstrap).build();
        RobotFleet fleet =
            RobotFleet.builder()
                .bootstrapServers(bootstrap)
                .publisher(publisher)
                .robots(3)
                .streamIdPrefix("bg")
                .fps(50)
                .build()) {
      fleet.start(Duration.ofSeconds(1));
      fleet.join(Duration.ofSeconds(20));
      FleetStats s = fleet.stats();
      assertThat(s.robots())
          .extracting(RobotStats::streamId)
          .containsExactly("bg-0", "bg-1", "bg-2");
      assertThat(s.ticks()).isGreaterThan(10);
      assertThat(s.steps()).isEqualTo(3 * s.ticks());
      publisher.flush();
      assertThat(publisher.stats().failed()).isZero();
      assertThat(publisher.stats().acked()).isEqualTo(publisher.stats().sent());
    }
  }
}
