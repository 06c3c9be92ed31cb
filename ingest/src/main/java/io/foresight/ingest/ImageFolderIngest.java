package io.foresight.ingest;

import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Publishes the PNG and JPEG files of a folder, in name order, as camera frames of one stream. The
 * file bytes are sent as they are (not re-encoded); each file is decoded once first, so that a
 * corrupt or truncated image is reported (file name and reason) and counted instead of sent.
 *
 * <pre>{@code
 * IngestReport r = ImageFolderIngest.builder().dir(Path.of("frames")).streamId("cam-1")
 *     .publisher(publisher).build().run();
 * }</pre>
 */
public final class ImageFolderIngest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private final Path dir;
  private final String streamId;
  private final double fps;
  private final long firstSequence;
  private final ProducerSettings settings;

  private ImageFolderIngest(Builder b) {
    this.dir = b.dir;
    this.streamId = b.streamId;
    this.fps = b.fps;
    this.firstSequence = b.firstSequence;
    this.settings = b.settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The image files of a folder in the order they are sent, and the other files it holds. */
  static List<Path> listImages(Path dir, List<Path> others) {
    if (!Files.isDirectory(dir)) {
      throw new IngestException(dir + " is not a directory; give a folder of PNG/JPEG files");
    }
    List<Path> images = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(p -> !Files.isDirectory(p))
          .sorted()
          .forEach(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) {
                  images.add(p);
                } else {
                  others.add(p);
                }
              });
    } catch (IOException e) {
      throw new IngestException("Error listing " + dir + ": " + e.getMessage(), e);
    }
    return images;
  }

  /**
   * The format, width and height of image bytes, after decoding them completely.
   *
   * @throws IngestException saying what is wrong with the image
   */
  static ImageInfo inspect(byte[] bytes) {
    FrameEncoding encoding;
    if (startsWith(bytes, PNG_MAGIC)) {
      encoding = FrameEncoding.PNG;
    } else if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xFF
        && (bytes[1] & 0xff) == 0xD8
        && (bytes[2] & 0xff) == 0xFF) {
      encoding = FrameEncoding.JPEG;
    } else {
      StringBuilder head = new StringBuilder();
      for (int i = 0; i < Math.min(8, bytes.length); i++) {
        head.append(String.format("%02X ", bytes[i] & 0xff));
      }
      throw new IngestException(
          "neither PNG nor JPEG: "
              + (bytes.length == 0
                  ? "the file is empty"
                  : "it starts with " + head.toString().trim()));
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IngestException("no image reader accepts this " + encoding + " data");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      try {
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        reader.read(0);
        if (!warnings.isEmpty()) {
          throw new IngestException("corrupt " + encoding + ": " + String.join("; ", warnings));
        }
        return new ImageInfo(encoding, width, height);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IngestException ie) {
        throw ie;
      }
      throw new IngestException(
          "corrupt " + encoding + " (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Format and size of an image. */
  record ImageInfo(FrameEncoding encoding, int width, int height) {}

  /** Sends every image; unreadable files are reported and counted, never silently skipped. */
  public IngestReport run() {
    ProducerRun report = settings.start(dir.toString(), fps, "frames");
    List<Path> others = new ArrayList<>();
    List<Path> images = listImages(dir, others);
    for (Path p : others) {
      report.ignored(p.getFileName() + " is not a .png/.jpg/.jpeg file");
    }
    if (!others.isEmpty() && settings.log() != null) {
      settings
          .log()
          .accept("ignoring " + others.size() + " files without a .png/.jpg/.jpeg name in " + dir);
    }
    long sequence = firstSequence;
    for (Path file : images) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        report.skipped("cannot read " + file + ": " + e);
        continue;
      }
      ImageInfo info;
      try {
        info = inspect(bytes);
      } catch (IngestException e) {
        report.skipped(file + ": " + e.getMessage());
        continue;
      }
      if (!report.awaitNext()) {
        break;
      }
      CameraFrame frame =
          CameraFrame.newBuilder()
              .setStreamId(streamId)
              .setSequence(sequence)
              .setCaptureTimeUs(System.currentTimeMillis() * 1000)
              .setEncoding(info.encoding())
              .setWidth(info.width())
              .setHeight(info.height())
              .setData(ByteBuffer.wrap(bytes))
              .setFrameId(file.getFileName().toString())
              .setMetadata(Map.of("source.file", file.getFileName().toString()))
              .build();
      try {
        settings.publisher().send(frame);
      } catch (FrameTooLargeException e) {
        report.skipped(file + ": " + e.getMessage());
        continue;
      }
      sequence++;
      report.sent(bytes.length);
    }
    return report.finish();
  }

  /** Builds an {@link ImageFolderIngest}; dir, stream id and publisher are required. */
  public static final class Builder extends ProducerSettings.Builder<Builder> {
    private Path dir;
    private String streamId;
    private double fps = 0;
    private long firstSequence = 0;
    private ProducerSettings settings;

    private Builder() {}

    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    public Builder streamId(String streamId) {
      this.streamId = streamId;
      return this;
    }

    /** Frames per second; 0 (default) = as fast as possible. */
    public Builder fps(double fps) {
      this.fps = fps;
      return this;
    }

    public Builder firstSequence(long firstSequence) {
      this.firstSequence = firstSequence;
      return this;
    }

    public ImageFolderIngest build() {
      Objects.requireNonNull(dir, "dir");
      settings = settings();
      ProducerSettings.requireStreamId(streamId);
      ProducerSettings.requireFps(fps);
      return new ImageFolderIngest(this);
    }
  }
}
