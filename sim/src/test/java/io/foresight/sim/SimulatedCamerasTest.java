package io.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.ingest.CollectingSink;
import io.foresight.ingest.IngestReport;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import org.junit.jupiter.api.Test;

class SimulatedCamerasTest {
  @Test
  void shouldPublishFramesProprioceptionAndActionsPerStream() {
    CollectingSink sink = new CollectingSink();
    IngestReport r =
        SimulatedCameras.builder().streams(2).fps(0).frames(5).publisher(sink).build().run();
    assertThat(sink.frames).hasSize(10);
    assertThat(sink.readings).hasSize(10);
    assertThat(sink.actions).hasSize(8);
    assertThat(sink.frames).extracting(CameraFrame::getStreamId).containsOnly("sim-0", "sim-1");
    assertThat(sink.frames.get(0).getData().remaining()).isEqualTo(64 * 64 * 3);
    assertThat(sink.actions.get(0).getSource()).isEqualTo(ActionSource.POLICY);
    assertThat(sink.actions.get(0).getFrameSequence()).isEqualTo(0L);
    assertThat(sink.readings.get(0).getKind()).isEqualTo("proprio");
    assertThat(r.records()).isEqualTo(28);
  }
}
