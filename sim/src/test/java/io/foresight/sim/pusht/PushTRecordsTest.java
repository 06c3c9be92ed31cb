package io.foresight.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.ingest.CollectingSink;
import io.foresight.ingest.IngestException;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.PlannerStats;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.sim.SimRecords;
import io.foresight.sim.SimulatedCameras;
import io.foresight.sim.dataset.DatasetRecorder;
import io.foresight.sim.dataset.DatasetSummary;
import io.foresight.sim.dataset.Npy;
import io.foresight.sim.robot.GoalSpec;
import io.foresight.sim.robot.SimulatedRobot;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Push-T world through the world-agnostic runners: cameras, robots, dataset recording. */
class PushTRecordsTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-12-01T12:00:00Z"));

  @TempDir Path dir;

  @Test
  void shouldPublishFramesWithTheBlockPoseAndProprioceptionFromSimulatedCameras() {
    CollectingSink sink = new CollectingSink();
    SimulatedCameras.builder()
        .world(PushTConfig.DEFAULT)
        .streams(2)
        .fps(0)
        .frames(4)
        .publisher(sink)
        .build()
        .run();
    assertThat(sink.frames).hasSize(8);
    assertThat(sink.readings).hasSize(8);
    assertThat(sink.actions).hasSize(6);
    CameraFrame f = sink.frames.get(0);
    assertThat(f.getData().remaining()).isEqualTo(64 * 64 * 3);
    assertThat(f.getMetadata()).containsKeys(SimRecords.AGENT_KEY, PushTWorld.BLOCK_KEY);
    assertThat(f.getMetadata().get(PushTWorld.BLOCK_KEY).split(",")).hasSize(3);
    assertThat(sink.readings.get(0).getNames()).containsExactly("x", "y", "vx", "vy");
  }

  @Test
  void shouldRefuseATwoRoomsPolicyForPushT() {
    assertThatThrownBy(
            () ->
                SimulatedCameras.builder()
                    .world(PushTConfig.DEFAULT)
                    .policy("door")
                    .publisher(new CollectingSink())
                    .build())
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("use mixed, push or random");
  }

  @Test
  void shouldLabelViolationsInFrameMetadata() {
    PushTWorld w = new PushTWorld(PushTConfig.DEFAULT.toBuilder().violationRate(1.0).build(), 4);
    w.step(0, 0);
    CameraFrame f = SimRecords.frame("s", 1, 0, w, new byte[w.frameBytes()]);
    assertThat(f.getMetadata().get(SimRecords.VIOLATION_KEY))
        .isEqualTo(w.currentViolation().kind().name());
  }

  @Test
  void shouldRunARobotThatPublishesFramesReadingsAndABlockGoal() {
    SimulatedRobot r =
        SimulatedRobot.builder()
            .world(PushTConfig.DEFAULT)
            .streamId("p1")
            .seed(3)
            .goal(GoalSpec.RANDOM)
            .clock(CLOCK)
            .build();
    List<Object> first = r.start();
    Goal g = (Goal) first.get(0);
    assertThat(g.getGoalId()).isEqualTo("p1/goal-0");
    assertThat(((GoalImage) g.getTarget()).getData().remaining()).isEqualTo(64 * 64 * 3);
    assertThat(first.get(1)).isInstanceOf(CameraFrame.class);
    SensorReading p = (SensorReading) first.get(2);
    assertThat(p.getValues().get(0)).isCloseTo(r.world().agentX(), within(1e-4));
    // A plan's first action is executed in the Push-T world just as in Two-Rooms.
    float x0 = r.world().agentX();
    Plan plan =
        Plan.newBuilder()
            .setStreamId("p1")
            .setPlanId("plan-1")
            .setGoalId(r.goalId())
            .setTimeUs(0)
            .setBasedOnSequence(0)
            .setActions(List.of(List.of(0.4f, 0f)))
            .setExpectedCost(1.0)
            .setStats(new PlannerStats("cem", 300, 3, 4.2, false, 0L, 0.0))
            .build();
    assertThat(r.offer(plan)).isTrue();
    SimulatedRobot.StepResult s = r.step();
    assertThat(s.planned()).isTrue();
    assertThat(s.frame().getSequence()).isEqualTo(1);
    assertThat(r.world().agentX() - x0).isCloseTo(1.0f, within(0.05f));
    assertThat(r.stats().goals().get(0).startDistance())
        .isCloseTo(((PushTWorld) r.world()).block().distanceTo(goal(r)), within(0.5f));
  }

  private static BlockPose goal(SimulatedRobot r) {
    return new BlockPose(r.goalPose().x(), r.goalPose().y(), r.goalPose().angle());
  }

  @Test
  void shouldCountAGoalReachedWhenTheBlockIsThere() {
    PushTWorld probe = new PushTWorld(PushTConfig.DEFAULT, 8);
    BlockPose b = probe.block();
    SimulatedRobot r =
        SimulatedRobot.builder()
            .world(PushTConfig.DEFAULT)
            .streamId("p2")
            .seed(8)
            .goal(GoalSpec.at(b.x() + 0.5f, b.y(), b.angle()))
            .clock(CLOCK)
            .build();
    r.start();
    SimulatedRobot.StepResult s = r.step();
    assertThat(s.reached()).isNotNull();
    assertThatThrownBy(
            () ->
                SimulatedRobot.builder()
                    .world(PushTConfig.DEFAULT)
                    .streamId("p3")
                    .goal(GoalSpec.at(3, 3, 0))
                    .build())
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("puts the block into a wall");
  }

  @Test
  void shouldRecordAPushTDatasetWithBlockPosesGoalsAndContacts() throws Exception {
    DatasetSummary s =
        DatasetRecorder.builder()
            .world(PushTConfig.DEFAULT.toBuilder().violationRate(0.05).build())
            .episodes(4)
            .steps(30)
            .seed(2)
            .policy("push")
            .out(dir)
            .build()
            .record();
    assertThat(s.frames()).isEqualTo(120);
    assertThat(Npy.readHeader(dir.resolve("block.npy")).shape()).containsExactly(4, 30, 3);
    assertThat(Npy.readHeader(dir.resolve("goals.npy")).shape()).containsExactly(4, 3);
    assertThat(Npy.readHeader(dir.resolve("contacts.npy")).shape()).containsExactly(4, 30);
    assertThat(Npy.readHeader(dir.resolve("violations.npy")).shape()).containsExactly(4, 30);
    assertThat(s.violationLabels())
        .containsOnlyKeys("block_teleport", "block_spin", "block_through_agent");
    JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertThat(m.get("format").asText()).isEqualTo(DatasetRecorder.PUSH_T_FORMAT);
    assertThat(m.get("world").asText()).isEqualTo("pusht");
    // Scripted pushes touch the block.
    assertThat(m.get("stats").get("contact_fraction").asDouble()).isGreaterThan(0.05);
  }
}
