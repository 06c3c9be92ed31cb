package io.foresight.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Keeps docs/wire-format.md true: its fingerprint table and its Python example. */
class WireFormatDocTest {
  private static final Path ROOT = findRoot();

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/wire-format.md"))) {
      dir = dir.getParent();
    }
    return dir;
  }

  private static String doc() throws IOException {
    assertThat(ROOT).as("project root with docs/wire-format.md").isNotNull();
    return Files.readString(ROOT.resolve("docs/wire-format.md"));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldDocumentTheFingerprintAndHeaderOfEveryRecord() throws IOException {
    String doc = doc();
    for (SpecificRecord r : Examples.all()) {
      AvroCodec codec = AvroCodec.of(r.getClass());
      String row =
          String.format(
              "| %s | `%s` | `%016X` | `%s` |",
              r.getSchema().getName(),
              Examples.topicOf(r),
              codec.fingerprint(),
              HexFormat.ofDelimiter(" ").formatHex(AvroCodec.header(codec.schema())));
      assertThat(doc).as("row for %s", r.getSchema().getName()).contains(row);
    }
  }

  @Test
  void shouldDecodeWhatThePythonExampleWrites() throws Exception {
    Matcher m = Pattern.compile("```python\\n(.*?)```", Pattern.DOTALL).matcher(doc());
    assertThat(m.find()).as("a python block in docs/wire-format.md").isTrue();
    File python = new File("/usr/bin/python3");
    assumeTrue(python.canExecute(), "/usr/bin/python3 is needed to run the documented example");
    Process probe = new ProcessBuilder(python.getPath(), "-c", "import avro").start();
    assumeTrue(
        probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "the python avro package is needed (apt-get install python3-avro; .ci/run installs it)");

    Path script = Files.createTempFile("wire-format-example", ".py");
    Files.writeString(script, m.group(1));
    Process p =
        new ProcessBuilder(python.getPath(), script.toString())
            .directory(ROOT.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    Files.delete(script);

    CameraFrame frame = AvroCodec.of(CameraFrame.class).decode(out);
    assertThat(frame.getStreamId()).isEqualTo("cam-1");
    assertThat(frame.getEncoding()).isEqualTo(FrameEncoding.RGB8);
    assertThat(frame.getWidth()).isEqualTo(2);
    assertThat(frame.getData().remaining()).isEqualTo(6);
    assertThat(frame.getMetadata()).containsEntry("source", "python");
  }
}
