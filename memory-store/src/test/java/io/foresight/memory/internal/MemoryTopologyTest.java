package io.foresight.memory.internal;

import static io.foresight.memory.TestLatents.MODEL_A;
import static io.foresight.memory.TestLatents.MODEL_B;
import static io.foresight.memory.TestLatents.SHA_A;
import static io.foresight.memory.TestLatents.encode;
import static io.foresight.memory.TestLatents.key;
import static io.foresight.memory.TestLatents.latent;
import static io.foresight.memory.TestLatents.latentBytes;
import static io.foresight.memory.TestLatents.state;
import static io.foresight.memory.TestLatents.time;
import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.memory.MemoryOptions;
import io.foresight.memory.StoredLatent;
import io.foresight.memory.api.StreamSummary;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.LatentState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryTopologyTest {
  @TempDir Path dir;

  private static DeadLetter dead(TestRecord<byte[], byte[]> r) {
    return AvroCodec.of(DeadLetter.class).decode(r.value());
  }

  @Test
  void shouldStoreLatentsInTheTimelineAndAnswerRangeAndLatest() {
    try (TopologyFixture f = new TopologyFixture(dir)) {
      for (long s = 0; s < 20; s++) {
        f.latents.pipeInput(key("r1"), latentBytes("r1", s));
      }
      f.latents.pipeInput(key("r2"), latentBytes("r2", 0));
      MemoryQueries q = f.queries();
      assertThat(q.streams()).extracting(StreamSummary::stream).containsExactly("r1", "r2");
      StreamSummary r1 = q.summary("r1").orElseThrow();
      assertThat(r1.count()).isEqualTo(20);
      assertThat(r1.firstTimeUs()).isEqualTo(time(0));
      assertThat(r1.lastTimeUs()).isEqualTo(time(19));
      assertThat(r1.models().get(0).lastLatent()).containsExactly(latent("r1", 19, 64));
      StoredLatent latest = q.latest("r1", null).orElseThrow().state();
      assertThat(latest.sequence()).isEqualTo(19);
      assertThat(latest.latent()).containsExactly(latent("r1", 19, 64));
      assertThat(latest.readings().get(0).values()).containsExactly(19.0, 2.5);
      assertThat(latest.model().sha256()).isEqualTo(SHA_A);

      MemoryQueries.Page<MemoryQueries.StateView> p1 =
          q.range("r1", null, time(5), time(15), 4, null);
      assertThat(p1.items()).extracting(v -> v.state().sequence()).containsExactly(5L, 6L, 7L, 8L);
      MemoryQueries.Page<MemoryQueries.StateView> p2 =
          q.range("r1", null, time(5), time(15), 4, p1.nextCursor());
      assertThat(p2.items())
          .extracting(v -> v.state().sequence())
          .containsExactly(9L, 10L, 11L, 12L);
      MemoryQueries.Page<MemoryQueries.StateView> p3 =
          q.range("r1", null, time(5), time(15), 4, p2.nextCursor());
      assertThat(p3.items()).extracting(v -> v.state().sequence()).containsExactly(13L, 14L);
      assertThat(p3.nextCursor()).isNull();
      assertThat(q.at("r1", time(7) + 500, null).orElseThrow().state().sequence()).isEqualTo(7);
      assertThat(f.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldStoreARedeliveredLatentOnce() {
    try (TopologyFixture f = new TopologyFixture(dir)) {
      for (int round = 0; round < 3; round++) {
        for (long s = 0; s < 5; s++) {
          f.latents.pipeInput(key("r1"), latentBytes("r1", s));
        }
      }
      assertThat(f.queries().summary("r1").orElseThrow().count()).isEqualTo(5);
      assertThat(f.queries().range("r1", null, Long.MIN_VALUE, Long.MAX_VALUE, 100, null).items())
          .hasSize(5);
      assertThat(f.memory.metrics().duplicates()).isEqualTo(10);
      assertThat(f.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldSendBadRecordsToTheDeadLetterTopicAndKeepGoing() {
    try (TopologyFixture f = new TopologyFixture(dir)) {
      f.latents.pipeInput(key("r1"), latentBytes("r1", 0));
      byte[] garbage = {1, 2, 3, 4, 5};
      f.latents.pipeInput(key("r1"), garbage);
      f.latents.pipeInput(key("r1"), encode(state("r1", 1, time(1), MODEL_A, new float[32])));
      float[] nan = latent("r1", 2, 64);
      nan[3] = Float.NaN;
      f.latents.pipeInput(key("r1"), encode(state("r1", 2, time(2), MODEL_A, nan)));
      f.latents.pipeInput(key("other"), latentBytes("r1", 3));
      f.latents.pipeInput(
          key("r1"),
          encode(
              state(
                  "r1",
                  4,
                  time(4),
                  new io.foresight.schemas.avro.ModelRef("m", "1", "nohash"),
                  latent("r1", 4, 64))));
      f.latents.pipeInput(
          key("r1"), encode(state("r1", 0, time(0) + 1, MODEL_A, latent("r1", 0, 64))));
      LatentState inconsistent = state("r1", 6, time(6), MODEL_A, latent("r1", 6, 64));
      inconsistent.getLatent().setShape(List.of(1, 65));
      f.latents.pipeInput(key("r1"), encode(inconsistent));
      f.latents.pipeInput(key("r1"), latentBytes("r1", 5));

      List<TestRecord<byte[], byte[]>> out = f.deadLetters.readRecordsToList();
      assertThat(out).hasSize(7);
      assertThat(out)
          .extracting(r -> dead(r).getErrorType())
          .containsExactly(
              "UNDECODABLE_TRUNCATED_HEADER",
              "WRONG_SIZE",
              "NOT_FINITE",
              "KEY_MISMATCH",
              "BAD_MODEL",
              "CONFLICTING_SEQUENCE",
              "WRONG_SIZE");
      DeadLetter first = dead(out.get(0));
      assertThat(first.getSourceTopic()).isEqualTo(Topics.LATENTS);
      assertThat(first.getOffset()).isEqualTo(1);
      assertThat(first.getStage()).isEqualTo("memory");
      assertThat(first.getValue().array()).containsExactly(garbage);
      assertThat(out.get(0).key()).containsExactly(key("r1"));
      assertThat(dead(out.get(1)).getError()).contains("32 values").contains("64-value latents");
      assertThat(dead(out.get(2)).getError()).contains("latent value 3 is NaN");
      assertThat(dead(out.get(3)).getError()).contains("the key must be the stream id");
      assertThat(dead(out.get(5)).getError()).contains("already has sequence 0");
      assertThat(f.queries().summary("r1").orElseThrow().count()).isEqualTo(2);
      assertThat(f.memory.metrics().deadLetters()).isEqualTo(7);
    }
  }

  @Test
  void shouldKeepModelsApart() {
    try (TopologyFixture f = new TopologyFixture(dir)) {
      f.latents.pipeInput(key("r1"), latentBytes("r1", 0));
      f.latents.pipeInput(key("r1"), encode(state("r1", 0, time(0), MODEL_B, new float[8])));
      f.latents.pipeInput(key("r1"), encode(state("r1", 1, time(1), MODEL_B, new float[8])));
      MemoryQueries q = f.queries();
      assertThat(q.summary("r1").orElseThrow().count()).isEqualTo(3);
      assertThat(q.models()).hasSize(2);
      assertThat(
              q.nearest(
                      SHA_A,
                      new VectorIndex.Query(latent("r1", 0, 64), 10, 0, false, null, null, 0))
                  .hits())
          .hasSize(1);
      assertThat(q.latest("r1", null).orElseThrow().state().model())
          .isEqualTo(new io.foresight.memory.api.ModelId("other", "2", TestLatentsShaB.SHA));
      assertThat(f.deadLetters.isEmpty()).isTrue();
    }
  }

  /** Holder to keep the import list short. */
  private static final class TestLatentsShaB {
    static final String SHA = io.foresight.memory.TestLatents.SHA_B;
  }

  @Test
  void shouldJoinTransitionsWithTheActionExecutedBetweenThem() {
    try (TopologyFixture f = new TopologyFixture(dir)) {
      for (long s = 0; s < 4; s++) {
        f.latents.pipeInput(key("r1"), latentBytes("r1", s));
      }
      f.actions.pipeInput(
          key("r1"), io.foresight.memory.TestLatents.action("r1", time(0) + 10, 0L, 1f, 0f));
      f.actions.pipeInput(
          key("r1"), io.foresight.memory.TestLatents.action("r1", time(1) + 10, null, 0f, 1f));
      MemoryQueries.Page<MemoryQueries.TransitionView> t =
          f.queries().transitions("r1", null, Long.MIN_VALUE, Long.MAX_VALUE, 10, null);
      assertThat(t.items()).hasSize(3);
      assertThat(t.items().get(0).from().sequence()).isEqualTo(0);
      assertThat(t.items().get(0).to().sequence()).isEqualTo(1);
      assertThat(t.items().get(0).action().values()).containsExactly(1f, 0f);
      assertThat(t.items().get(0).matchedBy()).isEqualTo("frame_sequence");
      assertThat(t.items().get(1).action().values()).containsExactly(0f, 1f);
      assertThat(t.items().get(1).matchedBy()).isEqualTo("time");
      assertThat(t.items().get(2).action()).isNull();
      MemoryQueries.Page<MemoryQueries.TransitionView> page =
          f.queries().transitions("r1", null, Long.MIN_VALUE, Long.MAX_VALUE, 2, null);
      assertThat(page.items()).hasSize(2);
      MemoryQueries.Page<MemoryQueries.TransitionView> rest =
          f.queries().transitions("r1", null, Long.MIN_VALUE, Long.MAX_VALUE, 2, page.nextCursor());
      assertThat(rest.items()).extracting(x -> x.from().sequence()).containsExactly(2L);
      assertThat(rest.nextCursor()).isNull();
    }
  }

  @Test
  void shouldAttachSurpriseFromPredictionsAndSurpriseEvents() {
    try (TopologyFixture f = new TopologyFixture(dir)) {
      f.latents.pipeInput(key("r1"), latentBytes("r1", 0));
      f.predictions.pipeInput(key("r1"), io.foresight.memory.TestLatents.prediction("r1", 0, 0.8));
      f.surprise.pipeInput(key("r1"), io.foresight.memory.TestLatents.surprise("r1", 0, 0.8));
      f.surprise.pipeInput(key("r1"), new byte[] {9});
      ValueCodec.Signals s = f.queries().latest("r1", null).orElseThrow().signals();
      assertThat(s.surprise()).isEqualTo(0.8);
      assertThat(s.surpriseNormalized()).isEqualTo(0.4);
      assertThat(s.eventScore()).isEqualTo(0.8);
      assertThat(s.eventThreshold()).isEqualTo(2.0);
      assertThat(dead(f.deadLetters.readRecord()).getSourceTopic()).isEqualTo(Topics.SURPRISE);
    }
  }

  @Test
  void shouldApplyCountRetentionInSlicesOnTheWallClock() {
    MemoryOptions o =
        MemoryOptions.builder()
            .set(MemoryOptions.RETENTION_MAX_COUNT, 10L)
            .set(MemoryOptions.RETENTION_SLICE, 7)
            .set(MemoryOptions.RETENTION_INTERVAL, Duration.ofSeconds(1))
            .build();
    try (TopologyFixture f = new TopologyFixture(dir, o)) {
      for (long s = 0; s < 30; s++) {
        f.latents.pipeInput(key("r1"), latentBytes("r1", s));
        f.predictions.pipeInput(key("r1"), io.foresight.memory.TestLatents.prediction("r1", s, 1));
      }
      MemoryQueries q = f.queries();
      assertThat(q.summary("r1").orElseThrow().count()).isEqualTo(30);
      f.driver.advanceWallClockTime(Duration.ofSeconds(1));
      assertThat(q.summary("r1").orElseThrow().count()).isEqualTo(23);
      f.driver.advanceWallClockTime(Duration.ofSeconds(1));
      assertThat(q.summary("r1").orElseThrow().count()).isEqualTo(16);
      f.driver.advanceWallClockTime(Duration.ofSeconds(1));
      f.driver.advanceWallClockTime(Duration.ofSeconds(1));
      StreamSummary s = q.summary("r1").orElseThrow();
      assertThat(s.count()).isEqualTo(10);
      assertThat(s.firstTimeUs()).isEqualTo(time(20));
      assertThat(q.range("r1", null, Long.MIN_VALUE, Long.MAX_VALUE, 100, null).items())
          .extracting(v -> v.state().sequence())
          .containsExactly(20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L);
      assertThat(
              q.nearest(
                      SHA_A,
                      new VectorIndex.Query(latent("r1", 3, 64), 100, 0, true, null, null, 0))
                  .hits())
          .hasSize(10);
      assertThat(f.store(MemoryTopology.SIGNALS).approximateNumEntries()).isLessThanOrEqualTo(30);
      assertThat(q.latest("r1", null).orElseThrow().signals().hasSurprise()).isTrue();
      assertThat(
              f.store(MemoryTopology.SIGNALS)
                  .get(org.apache.kafka.common.utils.Bytes.wrap(KeyLayout.signal("r1", 5))))
          .isNull();
      StreamSummary.ModelSummary m = s.models().get(0);
      double mean0 = 0;
      for (long i = 20; i < 30; i++) {
        mean0 += latent("r1", i, 64)[0];
      }
      assertThat(m.mean()[0]).isCloseTo(mean0 / 10, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(f.memory.metrics().retentionDeleted()).isEqualTo(20);
    }
  }

  @Test
  void shouldApplyAgeRetentionAgainstTheWallClock() {
    MemoryOptions o =
        MemoryOptions.builder().set(MemoryOptions.RETENTION_MAX_AGE, Duration.ofMillis(10)).build();
    try (TopologyFixture f = new TopologyFixture(dir, o)) {
      long now = TopologyFixture.START.toEpochMilli() * 1000;
      for (long s = 0; s < 10; s++) {
        long t = now - 20_000 + s * 2_000;
        f.latents.pipeInput(key("r1"), encode(state("r1", s, t, MODEL_A, latent("r1", s, 64))));
      }
      f.actions.pipeInput(
          key("r1"), io.foresight.memory.TestLatents.action("r1", now - 60_000_000, null, 1f));
      f.driver.advanceWallClockTime(Duration.ofSeconds(1));
      // cutoff = now + 1 s - 10 ms: every state is older
      assertThat(f.queries().summary("r1")).isEmpty();
      assertThat(f.queries().streams()).isEmpty();
      assertThat(f.store(MemoryTopology.ACTIONS).approximateNumEntries()).isZero();
    }
  }
}
