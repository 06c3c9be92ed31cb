package io.foresight.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerRunTest {

  @Test
  void shouldCountSentAndSkippedRecordsIntoTheReport() {
    List<String> log = new ArrayList<>();
    ProducerRun run =
        new ProducerSettings(new CollectingSink(), log::add, 0).start("in.csv", 0, "readings");
    assertThat(run.awaitNext()).isTrue();
    run.sent(16);
    run.sent(8);
    run.skipped("in.csv:3: bad");
    run.ignored("notes.txt is not a CSV file");
    IngestReport r = run.finish();
    assertThat(r.source()).isEqualTo("in.csv");
    assertThat(r.records()).isEqualTo(2);
    assertThat(r.bytes()).isEqualTo(24);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(r.problems()).containsExactly("in.csv:3: bad");
    assertThat(r.ignored()).isEqualTo(1);
    assertThat(log).containsExactly("in.csv:3: bad");
  }

  @Test
  void shouldStopWithANoteWhenInterrupted() {
    ProducerRun run =
        new ProducerSettings(new CollectingSink(), null, 0).start("stdin", 0, "frames");
    run.sent(10);
    Thread.currentThread().interrupt();
    try {
      assertThat(run.awaitNext()).isFalse();
    } finally {
      Thread.interrupted();
    }
    assertThat(run.finish().notes()).containsExactly("interrupted after 1 frames");
  }

  @Test
  void shouldRefuseABlankStreamIdAndANegativeOrInfiniteFps() {
    assertThatThrownBy(() -> ProducerSettings.requireStreamId(" "))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("--stream-id");
    assertThatThrownBy(() -> ProducerSettings.requireFps(-1))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("fps must be >= 0");
    assertThatThrownBy(() -> ProducerSettings.requireFps(Double.POSITIVE_INFINITY))
        .isInstanceOf(IngestException.class);
  }

  @Test
  void shouldRequireAPublisher() {
    assertThatThrownBy(() -> ImageFolderIngest.builder().dir(Path.of(".")).streamId("cam").build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("publisher");
  }
}
