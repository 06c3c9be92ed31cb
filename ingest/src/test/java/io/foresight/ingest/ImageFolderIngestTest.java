package io.foresight.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderIngestTest {
  @TempDir Path dir;

  @Test
  void shouldRecognisePngAndJpegWithTheirSize() {
    assertThat(ImageFolderIngest.inspect(TestImages.encode("png", 20, 10, 1)))
        .isEqualTo(new ImageFolderIngest.ImageInfo(FrameEncoding.PNG, 20, 10));
    assertThat(ImageFolderIngest.inspect(TestImages.encode("jpg", 16, 24, 1)))
        .isEqualTo(new ImageFolderIngest.ImageInfo(FrameEncoding.JPEG, 16, 24));
  }

  @Test
  void shouldSayWhatIsWrongWithBytesThatAreNotAnImage() {
    assertThatThrownBy(() -> ImageFolderIngest.inspect("hello".getBytes()))
        .hasMessageContaining("neither PNG nor JPEG")
        .hasMessageContaining("68 65 6C 6C 6F");
    assertThatThrownBy(() -> ImageFolderIngest.inspect(new byte[0])).hasMessageContaining("empty");
  }

  @Test
  void shouldDetectATruncatedPng() {
    byte[] png = TestImages.encode("png", 64, 64, 2);
    byte[] cut = Arrays.copyOf(png, png.length / 2);
    assertThatThrownBy(() -> ImageFolderIngest.inspect(cut)).hasMessageContaining("corrupt PNG");
  }

  @Test
  void shouldSendImagesInNameOrderAsTheyAreAndCountCorruptFiles() throws Exception {
    byte[] a = TestImages.encode("png", 8, 8, 1);
    byte[] b = TestImages.encode("jpg", 8, 8, 2);
    byte[] c = TestImages.encode("png", 8, 8, 3);
    Files.write(dir.resolve("frame-002.jpg"), b);
    Files.write(dir.resolve("frame-001.png"), a);
    Files.write(dir.resolve("frame-003.png"), c);
    Files.write(dir.resolve("frame-002b.png"), "not really a png".getBytes());
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    CollectingSink sink = new CollectingSink();
    IngestReport r =
        ImageFolderIngest.builder().dir(dir).streamId("cam-9").publisher(sink).build().run();
    assertThat(sink.frames)
        .extracting(CameraFrame::getFrameId)
        .containsExactly("frame-001.png", "frame-002.jpg", "frame-003.png");
    assertThat(sink.frames).extracting(CameraFrame::getSequence).containsExactly(0L, 1L, 2L);
    assertThat(bytes(sink.frames.get(0).getData())).isEqualTo(a);
    assertThat(bytes(sink.frames.get(1).getData())).isEqualTo(b);
    assertThat(sink.frames.get(1).getEncoding()).isEqualTo(FrameEncoding.JPEG);
    assertThat(r.records()).isEqualTo(3);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(r.problems())
        .singleElement()
        .asString()
        .contains("frame-002b.png")
        .contains("neither PNG nor JPEG");
    assertThat(r.ignored()).isEqualTo(1);
    assertThat(r.clean()).isFalse();
  }

  @Test
  void shouldRefuseAPathThatIsNotAFolder() {
    assertThatThrownBy(
            () ->
                ImageFolderIngest.builder()
                    .dir(dir.resolve("missing"))
                    .streamId("x")
                    .publisher(new CollectingSink())
                    .build()
                    .run())
        .hasMessageContaining("is not a directory");
  }

  static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
