package io.foresight.sim.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.WorldConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRecorderTest {
  @TempDir Path dir;

  private DatasetSummary record(Path out, long seed, double violations) {
    return DatasetRecorder.builder()
        .world(WorldConfig.builder().violationRate(violations).build())
        .episodes(6)
        .steps(12)
        .seed(seed)
        .out(out)
        .build()
        .record();
  }

  @Test
  void shouldWriteValidNpyHeadersWithTheDocumentedShapes() throws Exception {
    DatasetSummary s = record(dir, 1, 0);
    assertThat(s.frames()).isEqualTo(72);
    assertShape("frames.npy", Npy.Dtype.UINT8, 6, 12, 64, 64, 3);
    assertShape("actions.npy", Npy.Dtype.FLOAT32, 6, 12, 2);
    assertShape("positions.npy", Npy.Dtype.FLOAT32, 6, 12, 2);
    assertShape("doors.npy", Npy.Dtype.FLOAT32, 6, 2);
    assertShape("violations.npy", Npy.Dtype.INT8, 6, 12);
  }

  private void assertShape(String file, Npy.Dtype dtype, long... shape) throws Exception {
    Npy.Header h = Npy.readHeader(dir.resolve(file));
    assertThat(h.dtype()).as(file).isEqualTo(dtype);
    assertThat(h.shape()).as(file).containsExactly(shape);
    assertThat(Files.size(dir.resolve(file))).as(file).isEqualTo(h.dataOffset() + h.dataBytes());
  }

  @Test
  void shouldRecordTheSameBytesForTheSameSeed() throws Exception {
    record(dir.resolve("a"), 5, 0.05);
    record(dir.resolve("b"), 5, 0.05);
    record(dir.resolve("c"), 6, 0.05);
    for (String f : List.of("frames.npy", "actions.npy", "positions.npy", "violations.npy")) {
      assertThat(Files.readAllBytes(dir.resolve("a").resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(f)));
    }
    assertThat(Files.readAllBytes(dir.resolve("a/frames.npy")))
        .isNotEqualTo(Files.readAllBytes(dir.resolve("c/frames.npy")));
  }

  @Test
  void shouldReplayToTheRecordedPositionsWithActionTAfterFrameT() throws Exception {
    record(dir, 3, 0);
    float[] actions = floats(dir.resolve("actions.npy"));
    float[] positions = floats(dir.resolve("positions.npy"));
    float[] doors = floats(dir.resolve("doors.npy"));
    for (int e = 0; e < 6; e++) {
      TwoRoomsWorld w = new TwoRoomsWorld(WorldConfig.DEFAULT, DatasetRecorder.episodeSeed(3, e));
      assertThat(w.doorTop()).isEqualTo((int) doors[e * 2]);
      assertThat(w.doorBottom()).isEqualTo((int) doors[e * 2 + 1]);
      for (int t = 0; t < 12; t++) {
        int i = (e * 12 + t) * 2;
        assertThat(w.agentX()).isEqualTo(positions[i]);
        assertThat(w.agentY()).isEqualTo(positions[i + 1]);
        w.step(actions[i], actions[i + 1]);
      }
    }
  }

  @Test
  void shouldLabelViolationsInTheSurpriseSet() throws Exception {
    DatasetSummary s =
        DatasetRecorder.builder()
            .world(WorldConfig.builder().violationRate(0.2).build())
            .episodes(20)
            .steps(20)
            .seed(2)
            .out(dir)
            .build()
            .record();
    byte[] labels = Files.readAllBytes(dir.resolve("violations.npy"));
    int offset = Npy.readHeader(dir.resolve("violations.npy")).dataOffset();
    long nonZero = 0;
    for (int i = offset; i < labels.length; i++) {
      assertThat(labels[i]).isBetween((byte) 0, (byte) 3);
      if (labels[i] != 0) {
        nonZero++;
      }
    }
    assertThat(nonZero).isEqualTo(s.teleports() + s.vanishes() + s.throughWalls()).isPositive();
    assertThat(s.teleports()).isPositive();
    assertThat(s.vanishes()).isPositive();
    for (int e = 0; e < 20; e++) {
      assertThat(labels[offset + e * 20]).as("frame 0 is never a violation").isZero();
    }
  }

  @Test
  void shouldWriteAManifestWithShapesAndParameters() throws Exception {
    record(dir, 9, 0);
    JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertThat(m.get("format").asText()).isEqualTo(DatasetRecorder.FORMAT);
    assertThat(m.get("episodes").asInt()).isEqualTo(6);
    assertThat(m.get("steps").asInt()).isEqualTo(12);
    assertThat(m.get("seed").asLong()).isEqualTo(9);
    assertThat(m.get("width").asInt()).isEqualTo(64);
    assertThat(m.get("policy").asText()).isEqualTo("mixed");
    assertThat(m.at("/world/wall_left").asInt()).isEqualTo(30);
    assertThat(m.at("/world/max_step").asDouble()).isEqualTo(2.5);
    List<Integer> shape = new ArrayList<>();
    m.at("/files/frames/shape").forEach(n -> shape.add(n.asInt()));
    assertThat(shape).containsExactly(6, 12, 64, 64, 3);
    assertThat(m.at("/files/violations/dtype").asText()).isEqualTo("int8");
    assertThat(m.at("/stats/other_room_fraction").isNumber()).isTrue();
  }

  @Test
  void shouldBeReadableByNumpyWhenPythonIsThere() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    record(dir, 1, 0);
    String script =
        "import numpy as np, sys\n"
            + "d=sys.argv[1]\n"
            + "f=np.load(d+'/frames.npy'); a=np.load(d+'/actions.npy');"
            + " p=np.load(d+'/positions.npy'); v=np.load(d+'/violations.npy');"
            + " o=np.load(d+'/doors.npy')\n"
            + "assert f.shape==(6,12,64,64,3) and f.dtype==np.uint8\n"
            + "assert a.shape==(6,12,2) and a.dtype==np.float32\n"
            + "assert p.shape==(6,12,2) and v.dtype==np.int8 and o.shape==(6,2)\n"
            + "print('ok')\n";
    Process proc =
        new ProcessBuilder(python.toString(), "-c", script, dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(proc.getInputStream().readAllBytes());
    assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Assumptions.assumeFalse(out.contains("No module named 'numpy'"), "numpy is not installed");
    assertThat(out).contains("ok");
  }

  private static float[] floats(Path file) throws Exception {
    Npy.Header h = Npy.readHeader(file);
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b =
        ByteBuffer.wrap(all, h.dataOffset(), (int) h.dataBytes()).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(int) h.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }
}
