package io.foresight.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final Router.Handler NONE = c -> new Router.Reply(204, "text/plain", new byte[0]);

  private final Router router =
      new Router()
          .get("/streams", "streams", NONE)
          .get("/streams/{stream}", "stream", NONE)
          .get("/streams/{stream}/latest", "stream_latest", NONE)
          .get("/nearest", "nearest", NONE)
          .post("/nearest", "nearest", NONE);

  private static Router.Call call(String query) {
    return new Router.Call(
        "GET", "/x", Map.of(), Router.queryParams(URI.create("/x?" + query)), new byte[0], false);
  }

  private static int status(Runnable r) {
    try {
      r.run();
      return 200;
    } catch (HttpApi.ApiException e) {
      return e.status();
    }
  }

  @Test
  void shouldMatchTemplatesAndDecodePathVariablesOnce() {
    Router.Match m = router.match("GET", "/streams/robot%201%2Fa%2B/latest");
    assertThat(m.route().name()).isEqualTo("stream_latest");
    assertThat(m.vars()).containsEntry("stream", "robot 1/a+");
    assertThat(router.match("GET", "/streams/").route().name()).isEqualTo("streams");
    assertThat(router.match("POST", "/nearest").route().method()).isEqualTo("POST");
  }

  @Test
  void shouldAnswerAnUnknownPathWith404() {
    assertThatThrownBy(() -> router.match("GET", "/nope"))
        .isInstanceOfSatisfying(
            HttpApi.ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessage("no such endpoint: /nope; see GET / for the list");
    assertThat(status(() -> router.match("GET", "/streams/a/b/c"))).isEqualTo(404);
  }

  @Test
  void shouldAnswerAWrongMethodWith405AndSayWhichAreAllowed() {
    assertThatThrownBy(() -> router.match("POST", "/streams"))
        .isInstanceOfSatisfying(
            HttpApi.ApiException.class, e -> assertThat(e.status()).isEqualTo(405))
        .hasMessage("POST is not allowed on /streams; use GET");
    assertThatThrownBy(() -> router.match("DELETE", "/nearest"))
        .hasMessage("DELETE is not allowed on /nearest; use GET or POST");
  }

  @Test
  void shouldRefuseABadPercentEscapeWith400() {
    assertThatThrownBy(() -> router.match("GET", "/streams/a%zz"))
        .isInstanceOfSatisfying(
            HttpApi.ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("bad percent escape in 'a%zz'");
    assertThat(status(() -> router.match("GET", "/streams/a%2"))).isEqualTo(400);
  }

  @Test
  void shouldDecodeTypedQueryParameters() {
    Router.Call c = call("limit=7&from=-5&latents=0&cursor=&scope=Others&name=a%20b+c");
    assertThat(c.intValue("limit", 100, 1, 10)).isEqualTo(7);
    assertThat(c.longValue("from", 0)).isEqualTo(-5);
    assertThat(c.longValue("to", Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(c.bool("latents", true)).isFalse();
    assertThat(c.string("cursor")).isNull();
    assertThat(c.string("name")).isEqualTo("a b+c");
    assertThat(
            c.choice(
                "scope",
                io.foresight.memory.api.ReferenceQuery.Scope.class,
                io.foresight.memory.api.ReferenceQuery.Scope.ALL,
                "all, same or others"))
        .isEqualTo(io.foresight.memory.api.ReferenceQuery.Scope.OTHERS);
  }

  @Test
  void shouldAnswerBadParametersWith400AndSayWhatIsWrong() {
    Router.Call c = call("limit=0&k=x&from=yesterday&exact=maybe&scope=everywhere");
    assertThatThrownBy(() -> c.intValue("limit", 100, 1, 10000))
        .hasMessage("limit must be in [1, 10000], got 0");
    assertThatThrownBy(() -> c.intValue("k", 10, 1, 1000))
        .hasMessage("k must be an integer, got 'x'");
    assertThatThrownBy(() -> c.longValue("from", 0))
        .hasMessage("from must be an integer, got 'yesterday'");
    assertThatThrownBy(() -> c.bool("exact", false))
        .hasMessage("exact must be true or false, got 'maybe'");
    assertThatThrownBy(() -> c.requiredLong("time", "microseconds"))
        .hasMessage("time= is required (microseconds)");
    assertThatThrownBy(
            () ->
                c.choice(
                    "scope",
                    io.foresight.memory.api.ReferenceQuery.Scope.class,
                    io.foresight.memory.api.ReferenceQuery.Scope.ALL,
                    "all, same or others"))
        .hasMessage("scope must be all, same or others, got 'everywhere'");
    for (Runnable r :
        new Runnable[] {
          () -> c.intValue("limit", 100, 1, 10000),
          () -> c.longValue("from", 0),
          () -> c.requiredLong("time", "us")
        }) {
      assertThat(status(r)).isEqualTo(400);
    }
  }

  @Test
  void shouldReadABodyAsARecordOrAnswer400() {
    Router.Call bad =
        new Router.Call(
            "POST",
            "/nearest",
            Map.of(),
            Map.of(),
            "{\"latent\": [1, 1e40]}".getBytes(StandardCharsets.UTF_8),
            false);
    assertThatThrownBy(() -> HttpApi.body(bad, io.foresight.memory.api.NearestRequest.class))
        .isInstanceOfSatisfying(
            HttpApi.ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("latent[1] is not a finite float32");
    Router.Call empty = new Router.Call("POST", "/nearest", Map.of(), Map.of(), new byte[0], false);
    assertThatThrownBy(() -> HttpApi.body(empty, io.foresight.memory.api.NearestRequest.class))
        .hasMessageContaining("the request body is empty");
  }
}
