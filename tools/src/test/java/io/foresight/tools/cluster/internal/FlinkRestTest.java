package io.foresight.tools.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.foresight.tools.cluster.ClusterException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlinkRestTest {
  private HttpServer server;

  private String serve(int unavailable, int status, String body) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          boolean leaderless = calls.incrementAndGet() <= unavailable;
          byte[] b =
              (leaderless
                      ? "{\"errors\":[\"Service temporarily unavailable due to an ongoing leader"
                          + " election. Please refresh.\"]}"
                      : body)
                  .getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(leaderless ? 503 : status, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void shouldWaitOutTheLeaderElectionOfAJobManagerThatHasJustStarted() throws Exception {
    String url =
        serve(
            3,
            200,
            "{\"jobs\":[{\"jid\":\"j1\",\"name\":\"foresight\",\"state\":\"RUNNING\","
                + "\"start-time\":5}]}");

    assertThat(new FlinkRest(url).jobs())
        .containsExactly(new FlinkRest.Job("j1", "foresight", "RUNNING", 5));
  }

  @Test
  void shouldReportAnyOtherErrorAtOnce() throws Exception {
    String url = serve(0, 500, "{\"errors\":[\"boom\"]}");

    assertThatThrownBy(() -> new FlinkRest(url).jobs())
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("answered 500 to /jobs/overview")
        .hasMessageContaining("boom");
  }
}
