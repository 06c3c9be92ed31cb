package io.foresight.memory.internal;

import static io.foresight.memory.TestLatents.key;
import static io.foresight.memory.TestLatents.latent;
import static io.foresight.memory.TestLatents.latentBytes;
import static io.foresight.memory.TestLatents.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.memory.api.LandmarkExport;
import io.foresight.memory.api.LandmarkQuery;
import io.foresight.memory.api.MemoryApiException;
import io.foresight.memory.api.MemoryClient;
import io.foresight.memory.api.NearestRequest;
import io.foresight.memory.api.Neighbors;
import io.foresight.memory.api.RangeQuery;
import io.foresight.memory.api.ReferenceQuery;
import io.foresight.memory.api.StreamList;
import io.foresight.memory.api.StreamSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real servers over their own RocksDB stores, each owning some streams: asked anything, the
 * first forwards to the owner or gathers from both, through the typed client (MultiInstanceIT does
 * the same with Kafka Streams deciding the ownership).
 */
class MemoryApiScatterTest {
  @TempDir Path dir;
  private final String[] urls = new String[2];
  private TopologyFixture a;
  private TopologyFixture b;
  private HttpApi apiA;
  private HttpApi apiB;
  private MemoryClient client;

  private HttpApi.Cluster cluster(int self, Set<String> own) {
    return new HttpApi.Cluster() {
      @Override
      public String ownerUrl(String stream) {
        return own.contains(stream) ? null : urls[1 - self];
      }

      @Override
      public List<String> otherUrls() {
        return List.of(urls[1 - self]);
      }

      @Override
      public String state() {
        return "RUNNING";
      }

      @Override
      public boolean healthy() {
        return true;
      }

      @Override
      public List<HttpApi.ThreadMetric> threadMetrics() {
        return List.of(new HttpApi.ThreadMetric("process-rate", "t" + self, 1.5));
      }
    };
  }

  @BeforeEach
  void start() {
    a = new TopologyFixture(dir.resolve("a"));
    b = new TopologyFixture(dir.resolve("b"));
    apiA = new HttpApi(a.queries(), cluster(0, Set.of("a1", "a2")), "127.0.0.1", 0, 2).start();
    apiB = new HttpApi(b.queries(), cluster(1, Set.of("b1")), "127.0.0.1", 0, 2).start();
    urls[0] = "http://127.0.0.1:" + apiA.port();
    urls[1] = "http://127.0.0.1:" + apiB.port();
    for (long s = 0; s < 20; s++) {
      a.latents.pipeInput(key("a1"), latentBytes("a1", s));
      a.latents.pipeInput(key("a2"), latentBytes("a2", s));
      b.latents.pipeInput(key("b1"), latentBytes("b1", s));
    }
    client = MemoryClient.of(urls[0]);
  }

  @AfterEach
  void stop() {
    apiA.close();
    apiB.close();
    a.close();
    b.close();
  }

  @Test
  void shouldMergeTheListingsOfEveryInstance() {
    assertThat(client.streams().streams())
        .extracting(StreamSummary::stream)
        .containsExactly("a1", "a2", "b1");
    assertThat(client.streams().partial()).isFalse();
    assertThat(client.models().models().get(0).count()).isEqualTo(60);
    assertThat(client.local().streams().streams()).hasSize(2);
    assertThat(client.metrics())
        .contains("foresight_memory_kafka_streams{name=\"process-rate\",thread=\"t0\"} 1.5");
  }

  @Test
  void shouldForwardAQueryAboutOneStreamToItsOwner() {
    assertThat(client.latest("b1").sequence()).isEqualTo(19);
    assertThat(client.at("b1", time(4), null, false).sequence()).isEqualTo(4);
    assertThat(client.stream("b1").models().get(0).mean()).hasSize(64);
    assertThat(client.rangeAll("b1", RangeQuery.all().withLimit(6))).hasSize(20);
    assertThat(client.transitions("b1", RangeQuery.all().withLimit(3)).items()).hasSize(3);
    assertThatThrownBy(() -> client.latest("nowhere"))
        .isInstanceOfSatisfying(
            MemoryApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("no stream 'nowhere' in this memory");
    assertThatThrownBy(() -> client.local().latest("b1")).hasMessageContaining("404");
  }

  @Test
  void shouldSearchAndMapEveryInstance() {
    Neighbors byLatent = client.nearest(NearestRequest.of(latent("b1", 7, 64)).withK(2));
    assertThat(byLatent.neighbors().get(0).stream()).isEqualTo("b1");
    assertThat(byLatent.neighbors().get(0).sequence()).isEqualTo(7);

    Neighbors others =
        client.nearest(
            ReferenceQuery.of("b1")
                .withTime(time(7))
                .withK(5)
                .withScope(ReferenceQuery.Scope.OTHERS));
    assertThat(others.reference().sequence()).isEqualTo(7);
    assertThat(others.neighbors())
        .hasSize(5)
        .extracting(Neighbors.Neighbor::stream)
        .doesNotContain("b1");

    LandmarkExport lm = client.landmarks(LandmarkQuery.defaults().withK(5).withLatents(false));
    assertThat(lm.landmarks().stream().mapToLong(LandmarkExport.Landmark::members).sum())
        .isEqualTo(60);
    assertThat(lm.sampled()).isEqualTo(60);
  }

  @Test
  void shouldMarkAnAnswerPartialWhenAnInstanceIsGone() {
    apiB.close();
    StreamList streams = client.streams();
    assertThat(streams.streams()).extracting(StreamSummary::stream).containsExactly("a1", "a2");
    assertThat(streams.partial()).isTrue();
    assertThat(streams.errors()).singleElement().asString().startsWith(urls[1] + ": ");
    assertThatThrownBy(() -> client.latest("b1"))
        .isInstanceOfSatisfying(
            MemoryApiException.class, e -> assertThat(e.status()).isEqualTo(502))
        .hasMessageContaining("the instance owning stream 'b1' (" + urls[1] + ") did not answer");
  }
}
