package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The world model's batched predictions ({@code planner.predict.batch}, {@code
 * planner.predict.linger}): latents of several streams predicted in one rollout give the records
 * one-at-a-time predictions give, and no prediction waits past its linger, a full batch, its
 * stream's next input, a checkpoint barrier, a watermark or the end of the input.
 */
class WorldModelPredictionBatchTest {
  private static final int BATCH = 4;
  private static final long LINGER_MS = 10;

  private final List<KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction>>
      opened = new ArrayList<>();
  private WorldModel reference;
  private ModelRef model;

  @BeforeEach
  void open() {
    reference = WorldModel.builder(ModelCard.load(ToyModel.dir())).maxBatch(4).build();
    model = reference.card().modelRef();
  }

  @AfterEach
  void close() throws Exception {
    for (var h : opened) {
      h.close();
    }
    reference.close();
  }

  private static PlannerOptions options(Duration linger) {
    return PlannerOptions.builder()
        .set(PlannerOptions.MODEL_DIR, Optional.of(ToyModel.dir()))
        .set(PlannerOptions.PREDICT_HORIZON, 3)
        .set(PlannerOptions.PREDICT_BATCH, BATCH)
        .set(PlannerOptions.PREDICT_LINGER, linger)
        .set(PlannerOptions.SURPRISE_WARMUP, 3L)
        .set(PlannerOptions.THREADS, 1)
        .set(PlannerOptions.PLAN_THREADS, 1)
        .build();
  }

  private KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> harness(
      Duration linger, OperatorSubtaskState restore) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new WorldModelOperator(options(linger)),
            (WorldModelInput in) -> in.streamId,
            Types.STRING);
    opened.add(h);
    if (restore != null) {
      h.initializeState(restore);
    }
    h.open();
    return h;
  }

  private KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> batched()
      throws Exception {
    return harness(Duration.ofMillis(LINGER_MS), null);
  }

  private WorldModelInput latent(String stream, long seq, float[] z) {
    return WorldModelInput.latent(stream, seq, seq * 100_000L, z, model);
  }

  private static List<String> keys(
      KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> h) {
    return h.extractOutputValues().stream()
        .map(p -> p.getStreamId() + "#" + p.getSequence())
        .toList();
  }

  private static List<SurpriseEvent> surprises(
      KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> h) {
    var out = h.getSideOutput(WorldModelOperator.SURPRISE);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void shouldGiveTheRecordsOfOneAtATimeOverARandomInterleavingOfStreams() throws Exception {
    var once = harness(Duration.ZERO, null);
    var batched = batched();
    Random rnd = new Random(11);
    long[] next = new long[6];
    long now = 0;
    int latents = 0;
    for (int i = 0; i < 400; i++) {
      String stream = "s" + rnd.nextInt(next.length);
      int s = stream.charAt(1) - '0';
      WorldModelInput in;
      if (rnd.nextInt(4) == 0 && next[s] > 0) {
        in = WorldModelInput.action(stream, next[s] - 1, 1, new float[] {rnd.nextFloat(), -0.5f});
      } else {
        // Now and then a latent far off the stream's course, so that some are surprising.
        float[] z =
            rnd.nextInt(10) == 0
                ? ToyModel.randomLatent(rnd)
                : ToyModel.randomLatent(new Random(s));
        in = latent(stream, next[s]++, z);
        latents++;
      }
      now += rnd.nextInt(5);
      for (var h : List.of(once, batched)) {
        h.setProcessingTime(now);
        h.processElement(in, i);
      }
    }
    batched.setProcessingTime(now + LINGER_MS);

    Comparator<Prediction> order =
        Comparator.comparing(Prediction::getStreamId).thenComparing(Prediction::getSequence);
    List<Prediction> expected = once.extractOutputValues().stream().sorted(order).toList();
    List<Prediction> got = batched.extractOutputValues().stream().sorted(order).toList();
    assertThat(got).hasSize(latents).hasSameSizeAs(expected);
    for (int i = 0; i < got.size(); i++) {
      Prediction e = expected.get(i);
      Prediction g = got.get(i);
      assertThat(g.getStreamId() + "#" + g.getSequence())
          .isEqualTo(e.getStreamId() + "#" + e.getSequence());
      float[] ev = Tensors.values(e.getPredicted());
      float[] gv = Tensors.values(g.getPredicted());
      for (int j = 0; j < ev.length; j++) {
        assertThat(gv[j]).isCloseTo(ev[j], within(1e-5f));
      }
      if (e.getSurprise() == null) {
        assertThat(g.getSurprise()).isNull();
      } else {
        assertThat(g.getSurprise()).isCloseTo(e.getSurprise(), within(1e-4));
      }
    }
    assertThat(surprises(once)).isNotEmpty();
    assertThat(surprises(batched).stream().map(e -> e.getStreamId() + "#" + e.getSequence()))
        .containsExactlyElementsOf(
            surprises(once).stream().map(e -> e.getStreamId() + "#" + e.getSequence()).toList());
  }

  @Test
  void shouldHoldPredictionsUntilTheLingerIsOverOrTheBatchIsFull() throws Exception {
    var h = batched();
    Random rnd = new Random(12);
    h.setProcessingTime(100);
    h.processElement(latent("a", 0, ToyModel.randomLatent(rnd)), 0);
    h.setProcessingTime(105);
    h.processElement(latent("b", 0, ToyModel.randomLatent(rnd)), 1);
    assertThat(keys(h)).isEmpty();

    h.setProcessingTime(100 + LINGER_MS - 1);
    assertThat(keys(h)).isEmpty();
    h.setProcessingTime(100 + LINGER_MS);
    assertThat(keys(h)).containsExactly("a#0", "b#0");

    for (int i = 0; i < BATCH; i++) {
      h.processElement(latent("c" + i, 0, ToyModel.randomLatent(rnd)), 2 + i);
    }
    assertThat(keys(h)).hasSize(2 + BATCH).endsWith("c0#0", "c1#0", "c2#0", "c3#0");
  }

  @Test
  void shouldRunTheBatchBeforeAStreamWithAWaitingPredictionTakesItsNextInput() throws Exception {
    float[] z0 = ToyModel.randomLatent(new Random(13));
    float[] a = {0.7f, -0.4f};
    float[] z1 = new float[8];
    reference.step(z0, a, 1, z1);
    var h = batched();

    h.processElement(latent("cam", 0, z0), 0);
    h.processElement(latent("other", 0, z0), 1);
    h.processElement(WorldModelInput.action("cam", 0, 1, a), 2);
    assertThat(keys(h)).containsExactly("cam#0", "other#0");

    // The action's step, not the prediction that waited, is what the next frame is scored against.
    h.processElement(latent("cam", 1, z1), 3);
    h.setProcessingTime(LINGER_MS);
    Prediction second = h.extractOutputValues().get(2);
    assertThat(second.getSequence()).isEqualTo(1L);
    assertThat(second.getSurprise()).isCloseTo(0.0, within(1e-4));
  }

  @Test
  void shouldEmitTheWaitingPredictionsBeforeTheCheckpointBarrierAndKeepThemInTheSnapshot()
      throws Exception {
    float[] z0 = ToyModel.randomLatent(new Random(14));
    float[] z1 = reference.predict(z0, new float[3][2])[0];
    var h = batched();
    h.processElement(latent("cam", 0, z0), 0);

    h.prepareSnapshotPreBarrier(1);
    assertThat(keys(h)).containsExactly("cam#0");
    OperatorSubtaskState state = h.snapshot(1, 1);

    var restored = harness(Duration.ofMillis(LINGER_MS), state);
    restored.processElement(latent("cam", 1, z1), 1);
    restored.endInput();
    Prediction p = restored.extractOutputValues().get(0);
    assertThat(p.getSequence()).isEqualTo(1L);
    assertThat(p.getSurprise()).as("scored against the snapshot's prediction").isNotNull();
    assertThat(p.getSurprise()).isCloseTo(0.0, within(1e-4));
  }

  @Test
  void shouldEmitTheWaitingPredictionsBeforeAWatermark() throws Exception {
    var h = batched();
    h.processElement(latent("cam", 0, ToyModel.randomLatent(new Random(15))), 7);
    h.processWatermark(new Watermark(8));

    List<Object> out = new ArrayList<>(h.getOutput());
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isInstanceOf(StreamRecord.class);
    assertThat(((StreamRecord<?>) out.get(0)).getTimestamp()).isEqualTo(7L);
    assertThat(out.get(1)).isEqualTo(new Watermark(8));
  }
}
