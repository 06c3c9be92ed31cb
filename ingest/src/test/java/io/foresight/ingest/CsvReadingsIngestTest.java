package io.foresight.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.schemas.avro.SensorReading;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReadingsIngestTest {
  @TempDir Path dir;

  @Test
  void shouldSendReadingsWithHeaderNamesAndReportBadLinesByNumber() throws Exception {
    Path csv = dir.resolve("r.csv");
    Files.writeString(
        csv,
        "time,kind,x,y\n"
            + "# a comment\n"
            + "1764334800.5,proprio,1.5,2\n"
            + "\n"
            + "2026-11-28T13:00:00.250Z,proprio,3,4\n"
            + "1764334801,proprio,five,6\n"
            + "1764334802,proprio,7\n"
            + "later,proprio,1,2\n");
    CollectingSink sink = new CollectingSink();
    IngestReport r =
        CsvReadingsIngest.builder().file(csv).streamId("s1").publisher(sink).build().run();
    assertThat(sink.readings).hasSize(2);
    SensorReading first = sink.readings.get(0);
    assertThat(first.getTimeUs()).isEqualTo(1_764_334_800_500_000L);
    assertThat(first.getKind()).isEqualTo("proprio");
    assertThat(first.getValues()).containsExactly(1.5, 2.0);
    assertThat(first.getNames()).containsExactly("x", "y");
    assertThat(sink.readings.get(1).getTimeUs())
        .isEqualTo(java.time.Instant.parse("2026-11-28T13:00:00.250Z").toEpochMilli() * 1000);
    assertThat(sink.readings.get(1).getSequence()).isEqualTo(1);
    assertThat(r.skipped()).isEqualTo(3);
    assertThat(r.problems().get(0)).contains("r.csv:6").contains("'five' is not a number");
    assertThat(r.problems().get(1)).contains("r.csv:7").contains("1 values but the header names 2");
    assertThat(r.problems().get(2)).contains("r.csv:8").contains("'later'");
  }

  @Test
  void shouldReadMillisecondTimesWithoutAHeader() throws Exception {
    Path csv = dir.resolve("ms.csv");
    Files.writeString(csv, "1000,imu,0.1,0.2,0.3\n2000,imu,0.4,0.5,0.6\n");
    CollectingSink sink = new CollectingSink();
    IngestReport r =
        CsvReadingsIngest.builder()
            .file(csv)
            .streamId("s1")
            .timeUnit(CsvReadingsIngest.TimeUnit.MS)
            .publisher(sink)
            .build()
            .run();
    assertThat(r.clean()).isTrue();
    assertThat(sink.readings)
        .extracting(SensorReading::getTimeUs)
        .containsExactly(1_000_000L, 2_000_000L);
    assertThat(sink.readings.get(0).getNames()).isNull();
  }
}
