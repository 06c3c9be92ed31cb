package io.foresight.memory.internal;

import static io.foresight.memory.TestLatents.SHA_A;
import static io.foresight.memory.TestLatents.key;
import static io.foresight.memory.TestLatents.latent;
import static io.foresight.memory.TestLatents.latentBytes;
import static io.foresight.memory.TestLatents.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresight.memory.TestLatents;
import io.foresight.memory.api.ApiIndex;
import io.foresight.memory.api.Health;
import io.foresight.memory.api.InstanceCalls;
import io.foresight.memory.api.LandmarkExport;
import io.foresight.memory.api.LandmarkQuery;
import io.foresight.memory.api.MemoryApiException;
import io.foresight.memory.api.MemoryClient;
import io.foresight.memory.api.MemoryJson;
import io.foresight.memory.api.ModelList;
import io.foresight.memory.api.NearestRequest;
import io.foresight.memory.api.Neighbors;
import io.foresight.memory.api.RangeQuery;
import io.foresight.memory.api.ReferenceQuery;
import io.foresight.memory.api.State;
import io.foresight.memory.api.StatePage;
import io.foresight.memory.api.StreamList;
import io.foresight.memory.api.StreamSummary;
import io.foresight.memory.api.TransitionPage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP contract end to end: the real server over real RocksDB stores, every endpoint called
 * through the typed {@link MemoryClient}, and the JSON field names pinned as docs/memory-api.md
 * documents them.
 */
class MemoryApiContractTest {
  private static final String ROBOT = "robot 1/a";
  @TempDir Path dir;
  private TopologyFixture f;
  private HttpApi api;
  private MemoryClient client;

  @BeforeEach
  void start() {
    f = new TopologyFixture(dir);
    api = new HttpApi(f.queries(), HttpApi.Cluster.single(), "127.0.0.1", 0, 2).start();
    client = MemoryClient.of("http://127.0.0.1:" + api.port());
    for (long s = 0; s < 30; s++) {
      f.latents.pipeInput(key(ROBOT), latentBytes(ROBOT, s));
      f.latents.pipeInput(key("r2"), latentBytes("r2", s));
    }
    f.actions.pipeInput(key("r2"), TestLatents.action("r2", time(3) + 1, 3L, 0.5f, -0.5f));
    f.predictions.pipeInput(key("r2"), TestLatents.prediction("r2", 29, 0.8));
    f.surprise.pipeInput(key("r2"), TestLatents.surprise("r2", 29, 0.8));
  }

  @AfterEach
  void stop() {
    api.close();
    f.close();
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private JsonNode raw(String path) throws Exception {
    return MemoryJson.mapper().readTree(client.get(path));
  }

  @Test
  void shouldListTheEndpointsAndAnswerHealth() {
    ApiIndex index = client.index();
    assertThat(index.service()).isEqualTo("foresight-memory");
    assertThat(index.endpoints())
        .contains("GET /health", "GET /landmarks?model=&k=&stream=&sample=&latents=");
    Health health = client.health();
    assertThat(health.up()).isTrue();
    assertThat(health.state()).isEqualTo("RUNNING");
    assertThat(health.latentsStored()).isEqualTo(60);
  }

  @Test
  void shouldListModelsAndStreamsWithoutStatistics() throws Exception {
    ModelList models = client.models();
    assertThat(models.models()).hasSize(1);
    assertThat(models.models().get(0).model().sha256()).isEqualTo(SHA_A);
    assertThat(models.models().get(0).dim()).isEqualTo(64);
    assertThat(models.models().get(0).count()).isEqualTo(60);
    assertThat(models.partial()).isFalse();

    StreamList streams = client.streams();
    assertThat(streams.streams()).extracting(StreamSummary::stream).containsExactly("r2", ROBOT);
    assertThat(streams.streams().get(1).models().get(0).mean()).isNull();
    JsonNode json = raw("/streams");
    assertThat(fieldNames(json)).containsExactly("streams");
    assertThat(fieldNames(json.path("streams").get(0)))
        .containsExactly("stream", "count", "firstTimeUs", "lastTimeUs", "models");
    assertThat(fieldNames(json.path("streams").get(0).path("models").get(0)))
        .containsExactly("model", "shape", "count", "firstTimeUs", "lastTimeUs", "lastSequence");
  }

  @Test
  void shouldSummariseOneStreamWithItsRunningStatistics() {
    StreamSummary s = client.stream(ROBOT);
    assertThat(s.count()).isEqualTo(30);
    StreamSummary.ModelSummary m = s.models().get(0);
    assertThat(m.lastSequence()).isEqualTo(29);
    assertThat(m.lastLatent()).containsExactly(latent(ROBOT, 29, 64));
    assertThat(m.mean()).hasSize(64);
    assertThat(m.variance()).hasSize(64);
  }

  @Test
  void shouldAnswerLatestAndAtAsStates() throws Exception {
    State latest = client.latest(ROBOT);
    assertThat(latest.sequence()).isEqualTo(29);
    assertThat(latest.latent()).containsExactly(latent(ROBOT, 29, 64));
    assertThat(latest.model().sha256()).isEqualTo(SHA_A);
    assertThat(latest.readings())
        .singleElement()
        .satisfies(r -> assertThat(r.kind()).isEqualTo("proprio"));
    assertThat(client.latest(ROBOT, SHA_A, false).latent()).isNull();
    assertThat(client.at(ROBOT, time(4) + 1, null, true).sequence()).isEqualTo(4);

    State r2 = client.latest("r2");
    assertThat(r2.surprise()).isEqualTo(0.8);
    assertThat(r2.surpriseEvent().score()).isEqualTo(0.8);
    assertThat(fieldNames(raw("/streams/r2/latest")))
        .containsExactly(
            "stream",
            "sequence",
            "timeUs",
            "model",
            "shape",
            "latent",
            "readings",
            "surprise",
            "surpriseNormalized",
            "surpriseEvent");
    assertThat(fieldNames(raw("/streams/r2/latest?latents=false").path("model")))
        .containsExactly("name", "version", "sha256");
  }

  @Test
  void shouldPageThroughARangeAndFollowTheCursors() {
    RangeQuery q = RangeQuery.all().withFrom(time(10)).withTo(time(20)).withLimit(6);
    StatePage first = client.range("r2", q.withLatents(false));
    assertThat(first.items()).hasSize(6);
    assertThat(first.items().get(0).latent()).isNull();
    assertThat(first.nextCursor()).isNotNull();
    StatePage second = client.range("r2", q.withCursor(first.nextCursor()));
    assertThat(second.items()).extracting(State::sequence).containsExactly(16L, 17L, 18L, 19L);
    assertThat(second.nextCursor()).isNull();
    assertThat(client.rangeAll("r2", RangeQuery.all().withLimit(7))).hasSize(30);
  }

  @Test
  void shouldExportTransitionsWithTheirActions() throws Exception {
    TransitionPage t = client.transitions("r2", RangeQuery.all().withLimit(5));
    assertThat(t.items()).hasSize(5);
    assertThat(t.items().get(0).action()).isNull();
    assertThat(t.items().get(3).action().values()).containsExactly(0.5f, -0.5f);
    assertThat(t.items().get(3).action().matchedBy()).isEqualTo("frame_sequence");
    assertThat(t.items().get(3).action().frameSequence()).isEqualTo(3L);
    assertThat(t.items().get(3).from().latent()).isNull();
    assertThat(t.items().get(3).distance()).isPositive();
    JsonNode json = raw("/streams/r2/transitions?limit=5");
    assertThat(fieldNames(json)).containsExactly("stream", "items", "nextCursor");
    assertThat(fieldNames(json.path("items").get(0)))
        .containsExactly("from", "to", "distance", "action");
    assertThat(json.path("items").get(0).path("action").isNull()).isTrue();
  }

  @Test
  void shouldFindNearestStatesByLatentAndByReference() {
    Neighbors byLatent = client.nearest(NearestRequest.of(latent("r2", 17, 64)).withK(3));
    assertThat(byLatent.reference()).isNull();
    assertThat(byLatent.model()).isEqualTo(SHA_A);
    assertThat(byLatent.neighbors()).hasSize(3);
    assertThat(byLatent.neighbors().get(0).stream()).isEqualTo("r2");
    assertThat(byLatent.neighbors().get(0).sequence()).isEqualTo(17);
    assertThat(byLatent.neighbors().get(0).distance()).isLessThan(1e-3f);

    Neighbors others =
        client.nearest(
            ReferenceQuery.of("r2")
                .withTime(time(17))
                .withK(5)
                .withScope(ReferenceQuery.Scope.OTHERS));
    assertThat(others.reference().sequence()).isEqualTo(17);
    assertThat(others.neighbors()).extracting(Neighbors.Neighbor::stream).containsOnly(ROBOT);
    Neighbors same =
        client.nearest(ReferenceQuery.of("r2").withK(5).withScope(ReferenceQuery.Scope.SAME));
    assertThat(same.neighbors()).extracting(Neighbors.Neighbor::stream).containsOnly("r2");
    assertThat(same.neighbors()).extracting(Neighbors.Neighbor::sequence).doesNotContain(29L);
  }

  @Test
  void shouldExportLandmarksAndAnswerTheInstanceCalls() {
    LandmarkExport lm = client.landmarks(LandmarkQuery.defaults().withK(4));
    assertThat(lm.model()).isEqualTo(SHA_A);
    assertThat(lm.stream()).isNull();
    assertThat(lm.sampled()).isEqualTo(60);
    assertThat(lm.landmarks()).hasSize(4);
    assertThat(lm.landmarks().stream().mapToLong(LandmarkExport.Landmark::members).sum())
        .isEqualTo(60);
    assertThat(lm.landmarks()).allSatisfy(l -> assertThat(l.readings()).hasSize(1));
    assertThat(lm.landmarks()).allSatisfy(l -> assertThat(l.latent()).hasSize(64));
    assertThat(lm.edges()).isNotEmpty();
    assertThat(client.landmarks(LandmarkQuery.defaults().withK(2).withLatents(false)).landmarks())
        .allSatisfy(l -> assertThat(l.latent()).isNull());

    InstanceCalls.Samples samples =
        client.local().sample(new InstanceCalls.SampleRequest(SHA_A, "r2", 10));
    assertThat(samples.samples())
        .hasSize(10)
        .allSatisfy(s -> assertThat(s.stream()).isEqualTo("r2"));
    float[][] marks = {latent("r2", 0, 64), latent("r2", 29, 64)};
    InstanceCalls.EdgeCounts edges =
        client.local().edges(new InstanceCalls.EdgesRequest(SHA_A, "r2", marks));
    assertThat(edges.members()[0] + edges.members()[1]).isEqualTo(30);
    assertThat(edges.edges())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.from() + e.to()).isEqualTo(1));
  }

  @Test
  void shouldExposeTheDocumentedMetricNames() {
    client.streams();
    String text = client.metrics();
    assertThat(text)
        .contains(
            "foresight_memory_latents_stored_total 60",
            "foresight_memory_duplicates_total 0",
            "foresight_memory_actions_stored_total 1",
            "foresight_memory_retention_deleted_total 0",
            "foresight_memory_index_inserted_total",
            "foresight_memory_index_snapshots_total",
            "foresight_memory_index_compactions_total",
            "foresight_memory_index_latents{model=\"" + SHA_A + "\"} 60",
            "foresight_memory_index_pending{model=\"" + SHA_A + "\"} 0",
            "foresight_memory_streams 2",
            "foresight_memory_up 1",
            "foresight_memory_http_requests_total{endpoint=\"streams\",status=\"200\"} 1",
            "foresight_memory_http_request_seconds_total{endpoint=\"streams\"}",
            "# TYPE foresight_memory_latents_stored_total counter");
  }

  @Test
  void shouldThrowWithTheUrlTheStatusAndTheServersReason() {
    assertThatThrownBy(() -> client.latest("nope"))
        .isInstanceOfSatisfying(
            MemoryApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.error()).isEqualTo("no stream 'nope' in this memory");
              assertThat(e.url()).endsWith("/streams/nope/latest?latents=true");
            })
        .hasMessageContaining("GET http://127.0.0.1:" + api.port() + "/streams/nope/latest")
        .hasMessageContaining("answered 404: no stream 'nope' in this memory");
    assertThatThrownBy(() -> client.range("r2", RangeQuery.all().withLimit(0)))
        .hasMessageContaining("answered 400: limit must be in [1, 10000], got 0");
    assertThatThrownBy(() -> MemoryClient.of("http://127.0.0.1:1").streams())
        .isInstanceOfSatisfying(
            MemoryApiException.class,
            e -> assertThat(e.status()).isEqualTo(MemoryApiException.NO_ANSWER))
        .hasMessageContaining("does not answer");
  }
}
