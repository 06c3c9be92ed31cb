package io.foresight.memory.internal;

import static io.foresight.memory.TestLatents.MODEL_B;
import static io.foresight.memory.TestLatents.SHA_A;
import static io.foresight.memory.TestLatents.encode;
import static io.foresight.memory.TestLatents.key;
import static io.foresight.memory.TestLatents.latent;
import static io.foresight.memory.TestLatents.latentBytes;
import static io.foresight.memory.TestLatents.state;
import static io.foresight.memory.TestLatents.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.memory.TestLatents;
import io.foresight.memory.api.MemoryApiException;
import io.foresight.memory.api.MemoryClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {
  private static final ObjectMapper M = new ObjectMapper();
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
      f.latents.pipeInput(key("robot 1/a"), latentBytes("robot 1/a", s));
      f.latents.pipeInput(key("r2"), latentBytes("r2", s));
    }
    f.actions.pipeInput(key("r2"), TestLatents.action("r2", time(3) + 1, 3L, 0.5f, -0.5f));
  }

  @AfterEach
  void stop() {
    api.close();
    f.close();
  }

  private JsonNode get(String path) throws Exception {
    return M.readTree(client.get(path));
  }

  @Test
  void shouldListStreamsAndAnswerHealth() throws Exception {
    JsonNode streams = get("/streams");
    assertThat(streams.path("streams")).hasSize(2);
    assertThat(streams.path("streams").get(0).path("stream").asText()).isEqualTo("r2");
    assertThat(streams.path("streams").get(1).path("count").asLong()).isEqualTo(30);
    assertThat(get("/health").path("status").asText()).isEqualTo("UP");
    JsonNode models = get("/models");
    assertThat(models.path("models").get(0).path("dim").asInt()).isEqualTo(64);
    assertThat(models.path("models").get(0).path("count").asLong()).isEqualTo(60);
  }

  @Test
  void shouldAnswerLatestAndSummaryForAStreamIdThatNeedsEscaping() throws Exception {
    String id = MemoryClient.encode("robot 1/a");
    JsonNode latest = get("/streams/" + id + "/latest");
    assertThat(latest.path("sequence").asLong()).isEqualTo(29);
    assertThat(latest.path("latent")).hasSize(64);
    assertThat((float) latest.path("latent").get(0).asDouble())
        .isEqualTo(latent("robot 1/a", 29, 64)[0]);
    assertThat(latest.path("model").path("sha256").asText()).isEqualTo(SHA_A);
    assertThat(latest.path("readings").get(0).path("kind").asText()).isEqualTo("proprio");
    JsonNode summary = get("/streams/" + id);
    assertThat(summary.path("models").get(0).path("mean")).hasSize(64);
    assertThat(get("/streams/" + id + "/at?time=" + (time(4) + 1)).path("sequence").asLong())
        .isEqualTo(4);
  }

  @Test
  void shouldPageThroughATimeRange() throws Exception {
    JsonNode p1 =
        get("/streams/r2/range?from=" + time(10) + "&to=" + time(20) + "&limit=6&latents=false");
    assertThat(p1.path("items")).hasSize(6);
    assertThat(p1.path("items").get(0).has("latent")).isFalse();
    String cursor = p1.path("nextCursor").asText();
    JsonNode p2 =
        get("/streams/r2/range?from=" + time(10) + "&to=" + time(20) + "&limit=6&cursor=" + cursor);
    assertThat(p2.path("items")).hasSize(4);
    assertThat(p2.path("items").get(0).path("sequence").asLong()).isEqualTo(16);
    assertThat(p2.path("nextCursor").isNull()).isTrue();
  }

  @Test
  void shouldFindNearestStatesForALatentAndForAReference() throws Exception {
    StringBuilder body = new StringBuilder("{\"k\": 3, \"latent\": [");
    float[] v = latent("r2", 17, 64);
    for (int i = 0; i < v.length; i++) {
      body.append(i == 0 ? "" : ",").append(v[i]);
    }
    body.append("]}");
    JsonNode n = M.readTree(client.post("/nearest", body.toString()));
    assertThat(n.path("neighbors")).hasSize(3);
    assertThat(n.path("neighbors").get(0).path("stream").asText()).isEqualTo("r2");
    assertThat(n.path("neighbors").get(0).path("sequence").asLong()).isEqualTo(17);
    assertThat(n.path("neighbors").get(0).path("distance").asDouble()).isLessThan(1e-3);
    assertThat(n.path("approximate").asBoolean()).isFalse();

    JsonNode r = get("/nearest?stream=r2&time=" + time(17) + "&k=2");
    assertThat(r.path("reference").path("sequence").asLong()).isEqualTo(17);
    assertThat(r.path("neighbors")).hasSize(2);
    assertThat(r.path("neighbors").findValuesAsText("sequence")).doesNotContain("17");
    JsonNode others = get("/nearest?stream=r2&k=5&scope=others");
    assertThat(others.path("neighbors").findValuesAsText("stream")).containsOnly("robot 1/a");
    JsonNode same = get("/nearest?stream=r2&k=5&scope=same");
    assertThat(same.path("neighbors").findValuesAsText("stream")).containsOnly("r2");
  }

  @Test
  void shouldExportTransitionsAndLandmarks() throws Exception {
    JsonNode t = get("/streams/r2/transitions?limit=5");
    assertThat(t.path("items")).hasSize(5);
    assertThat(t.path("items").get(3).path("action").path("values").get(0).asDouble())
        .isEqualTo(0.5);
    assertThat(t.path("items").get(3).path("action").path("matchedBy").asText())
        .isEqualTo("frame_sequence");
    assertThat(t.path("items").get(0).path("action").isNull()).isTrue();
    JsonNode lm = get("/landmarks?k=4");
    assertThat(lm.path("landmarks")).hasSize(4);
    long members = 0;
    for (JsonNode l : lm.path("landmarks")) {
      members += l.path("members").asLong();
      assertThat(l.path("readings")).hasSize(1);
    }
    assertThat(members).isEqualTo(60);
    assertThat(lm.path("edges").size()).isPositive();
  }

  @Test
  void shouldExposePrometheusMetrics() throws Exception {
    client.get("/streams");
    String text = client.get("/metrics");
    assertThat(text).contains("foresight_memory_latents_stored_total 60");
    assertThat(text)
        .contains("foresight_memory_http_requests_total{endpoint=\"streams\",status=\"200\"} 1");
    assertThat(text).contains("foresight_memory_index_latents{model=\"" + SHA_A + "\"} 60");
  }

  @Test
  void shouldAnswerBadRequestsWith4xxAndAReason() {
    assertThat(client.status("/streams/nope/latest")).isEqualTo(404);
    assertThat(client.status("/nope")).isEqualTo(404);
    assertThat(client.status("/streams/r2/range?limit=0")).isEqualTo(400);
    assertThat(client.status("/streams/r2/range?from=yesterday")).isEqualTo(400);
    assertThat(client.status("/streams/r2/range?cursor=AAAA")).isEqualTo(400);
    assertThat(client.status("/streams/r2/latest?model=xyz")).isEqualTo(400);
    assertThat(client.status("/nearest")).isEqualTo(400);
    assertThatThrownBy(() -> client.post("/nearest", "{\"latent\": [1, 2]}"))
        .isInstanceOf(MemoryApiException.class)
        .hasMessageContaining("400")
        .hasMessageContaining("64-value latents");
    assertThatThrownBy(() -> client.post("/nearest", "not json"))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> client.post("/nearest", "{\"latent\": [1, \"x\"]}"))
        .hasMessageContaining("must hold numbers only");
    assertThatThrownBy(() -> client.post("/streams", "{}")).hasMessageContaining("405");
  }

  @Test
  void shouldPrintAnswersThroughTheQueryCommand() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      String url = "http://127.0.0.1:" + api.port();
      code =
          io.foresight.memory.cli.MemoryMain.commandLine()
              .execute(
                  "query",
                  "--url",
                  url,
                  "--compact",
                  "range",
                  "r2",
                  "--limit",
                  "7",
                  "--all",
                  "--no-latents");
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    JsonNode n =
        io.foresight.memory.ItSupport.json(out.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(n.path("items")).hasSize(30);
  }

  @Test
  void shouldAskWhichModelWhenSeveralAreStored() {
    f.latents.pipeInput(key("r3"), encode(state("r3", 0, time(0), MODEL_B, new float[8])));
    assertThatThrownBy(() -> client.post("/nearest", "{\"latent\": [0,0,0,0,0,0,0,0]}"))
        .hasMessageContaining("say which with model=");
    String json =
        client.post(
            "/nearest",
            "{\"model\": \"" + MODEL_B.getSha256() + "\", \"latent\": [0,0,0,0,0,0,0,0]}");
    assertThat(json).contains("\"stream\":\"r3\"");
  }
}
