package io.foresight.tools.dataset.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.sim.dataset.Npy;
import io.foresight.sim.dataset.NpyWriter;
import io.foresight.tools.dataset.ExportManifest;
import io.foresight.tools.internal.KafkaClients;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns the frames, executed actions and readings of some streams on Kafka into the dataset format
 * the model recipe reads: episodes of {@code steps} consecutive frames, each with the action
 * executed after it and the reading of the same sequence.
 *
 * <p>Actions and readings are small: they are read first and indexed by (stream, frame sequence).
 * Frames are then read once, in order per stream (a stream's records live in one partition), and
 * each stream's current gap-free run is cut into episodes as it grows, so memory holds at most one
 * episode per stream; the frames go to a temporary file that becomes {@code frames.npy}.
 */
public final class TopicExport {
  /** What to export. */
  public record Request(
      String bootstrap,
      Pattern streams,
      Long fromMs,
      Long toMs,
      Path out,
      int steps,
      String readingKind) {}

  private static final AvroCodec<CameraFrame> FRAMES = AvroCodec.of(CameraFrame.class);
  private static final AvroCodec<ActionCommand> ACTIONS = AvroCodec.of(ActionCommand.class);
  private static final AvroCodec<SensorReading> READINGS = AvroCodec.of(SensorReading.class);

  private final Request req;
  private final PrintStream progress;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Map<String, Map<Long, float[]>> actions = new HashMap<>();
  private final Map<String, Map<Long, float[]>> readings = new HashMap<>();
  private int actionDim = -1;
  private int readingDim = -1;
  private List<String> readingNames;

  // frames
  private int height = -1;
  private int width;
  private int channels;
  private final Map<String, Run> runs = new HashMap<>();
  private final Map<String, Long> perStream = new TreeMap<>();
  private final List<float[]> episodeActions = new ArrayList<>();
  private final List<float[]> episodeReadings = new ArrayList<>();
  private boolean allReadings = true;
  private long firstUs = Long.MAX_VALUE;
  private long lastUs = Long.MIN_VALUE;
  private OutputStream frameData;
  private Path frameTemp;

  /** One stream's current gap-free run, not yet a whole episode. */
  private static final class Run {
    long next = -1;
    final List<byte[]> frames = new ArrayList<>();
    final List<float[]> actions = new ArrayList<>();
    final List<float[]> readings = new ArrayList<>();
    final List<Long> times = new ArrayList<>();

    void clear() {
      frames.clear();
      actions.clear();
      readings.clear();
      times.clear();
    }
  }

  public TopicExport(Request req, PrintStream progress) {
    this.req = req;
    this.progress = progress;
    for (String k :
        List.of(
            "frames_read",
            "frames_written",
            "gaps",
            "frames_without_action",
            "frames_other_size",
            "frames_undecodable",
            "frames_out_of_order",
            "frames_in_short_segments",
            "actions_read",
            "actions_without_frame_sequence",
            "actions_other_size",
            "actions_repeated",
            "readings_read")) {
      counts.put(k, 0L);
    }
  }

  /** Runs the export and returns its manifest (also written as {@code manifest.json}). */
  public ExportManifest run() throws IOException {
    if (req.steps() < 2) {
      throw new DatasetExportException(
          "--steps must be at least 2 (a transition needs two frames), got " + req.steps());
    }
    Files.createDirectories(req.out());
    read(Topics.ACTIONS, "actions", this::action);
    read(Topics.READINGS, "readings", this::reading);
    if (actions.isEmpty()) {
      throw new DatasetExportException(
          "no executed actions with a frame sequence for streams matching '"
              + req.streams()
              + "' on "
              + Topics.ACTIONS
              + " (read "
              + counts.get("actions_read")
              + ", without frame_sequence "
              + counts.get("actions_without_frame_sequence")
              + "): a world model cannot be trained without actions. Publish each executed action"
              + " with the sequence of the frame it followed (ActionCommand.frame_sequence).");
    }
    frameTemp = Files.createTempFile(req.out(), "frames", ".raw");
    try (OutputStream data =
        new java.io.BufferedOutputStream(Files.newOutputStream(frameTemp), 1 << 20)) {
      frameData = data;
      read(Topics.FRAMES, "frames", this::frame);
    }
    runs.values().forEach(r -> add("frames_in_short_segments", r.frames.size()));
    long episodes = episodeActions.size() / req.steps();
    if (episodes == 0) {
      Files.deleteIfExists(frameTemp);
      throw new DatasetExportException(
          "no episode of "
              + req.steps()
              + " consecutive frames with actions for streams matching '"
              + req.streams()
              + "': "
              + counts
              + ". Lower --steps, widen --streams or the time range, or check that the producers"
              + " publish actions with frame_sequence.");
    }
    writeArrays(episodes);
    ExportManifest manifest = manifest(episodes);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(req.out().resolve("manifest.json").toFile(), manifest);
    return manifest;
  }

  // ------------------------------------------------------------------------------- reading

  private void read(String topic, String what, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    Map<String, Object> p =
        Map.of(
            "fetch.max.bytes", 64 * 1024 * 1024,
            "receive.buffer.bytes", 4 * 1024 * 1024,
            "max.poll.records", 2000);
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaClients.assigned(req.bootstrap(), List.of(topic), p)) {
      List<TopicPartition> tps = new ArrayList<>(c.assignment());
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      Map<TopicPartition, Long> start = c.beginningOffsets(tps);
      if (req.fromMs() != null) {
        // records are timestamped with their capture time; a little earlier is harmless
        Map<TopicPartition, Long> query = new HashMap<>();
        tps.forEach(tp -> query.put(tp, Math.max(0, req.fromMs() - 60_000)));
        for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
            c.offsetsForTimes(query).entrySet()) {
          start.put(e.getKey(), e.getValue() == null ? end.get(e.getKey()) : e.getValue().offset());
        }
      }
      start.forEach(c::seek);
      long total = 0;
      for (TopicPartition tp : tps) {
        total += end.get(tp) - start.get(tp);
      }
      long done = 0;
      long lastPrint = System.nanoTime();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          done++;
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            each.accept(r);
          }
        }
        if (System.nanoTime() - lastPrint > 2_000_000_000L) {
          lastPrint = System.nanoTime();
          progress.printf(
              "%s: %,d / %,d records (%.0f%%), %,d episodes so far%n",
              what,
              done,
              total,
              100.0 * done / Math.max(1, total),
              episodeActions.size() / req.steps());
        }
      }
      progress.printf("%s: %,d records read%n", what, done);
    }
  }

  private boolean wanted(String stream, long timeUs) {
    if (!req.streams().matcher(stream).matches()) {
      return false;
    }
    long ms = timeUs / 1000;
    return (req.fromMs() == null || ms >= req.fromMs()) && (req.toMs() == null || ms < req.toMs());
  }

  private void action(ConsumerRecord<byte[], byte[]> r) {
    ActionCommand a;
    try {
      a = ACTIONS.decode(r.value());
    } catch (RuntimeException bad) {
      return; // not an action (the job dead-letters those)
    }
    String stream = a.getStreamId().toString();
    if (!req.streams().matcher(stream).matches()) {
      return;
    }
    add("actions_read", 1);
    if (a.getFrameSequence() == null) {
      add("actions_without_frame_sequence", 1);
      return;
    }
    float[] v = new float[a.getValues().size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.getValues().get(i);
    }
    if (actionDim < 0) {
      actionDim = v.length;
    }
    if (v.length != actionDim || v.length == 0) {
      add("actions_other_size", 1);
      return;
    }
    if (actions.computeIfAbsent(stream, s -> new HashMap<>()).put(a.getFrameSequence(), v)
        != null) {
      add("actions_repeated", 1);
    }
  }

  private void reading(ConsumerRecord<byte[], byte[]> r) {
    SensorReading s;
    try {
      s = READINGS.decode(r.value());
    } catch (RuntimeException bad) {
      return;
    }
    String stream = s.getStreamId().toString();
    if (!req.streams().matcher(stream).matches()
        || !s.getKind().toString().equals(req.readingKind())) {
      return;
    }
    add("readings_read", 1);
    if (readingDim < 0) {
      readingDim = s.getValues().size();
      if (s.getNames() != null) {
        readingNames = s.getNames().stream().map(CharSequence::toString).toList();
      }
    }
    if (s.getValues().size() != readingDim) {
      return;
    }
    float[] v = new float[readingDim];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.getValues().get(i).floatValue();
    }
    readings.computeIfAbsent(stream, k -> new HashMap<>()).put(s.getSequence(), v);
  }

  private void frame(ConsumerRecord<byte[], byte[]> r) {
    CameraFrame f;
    try {
      f = FRAMES.decode(r.value());
    } catch (RuntimeException bad) {
      return;
    }
    String stream = f.getStreamId().toString();
    if (!wanted(stream, f.getCaptureTimeUs())) {
      return;
    }
    add("frames_read", 1);
    Run run = runs.computeIfAbsent(stream, s -> new Run());
    long seq = f.getSequence();
    if (run.next >= 0 && seq < run.next) {
      add("frames_out_of_order", 1);
      return;
    }
    if (run.next >= 0 && seq > run.next) {
      add("gaps", 1);
      add("frames_in_short_segments", run.frames.size());
      run.clear();
    }
    run.next = seq + 1;
    byte[] pixels = pixels(f);
    if (pixels == null) {
      endRun(run);
      return;
    }
    float[] action = actions.getOrDefault(stream, Map.of()).get(seq);
    if (action == null) {
      add("frames_without_action", 1);
      endRun(run);
      return;
    }
    run.frames.add(pixels);
    run.actions.add(action);
    run.readings.add(readings.getOrDefault(stream, Map.of()).get(seq));
    run.times.add(f.getCaptureTimeUs());
    if (run.frames.size() == req.steps()) {
      writeEpisode(stream, run);
    }
  }

  private void endRun(Run run) {
    add("frames_in_short_segments", run.frames.size());
    run.clear();
  }

  /** The frame's pixels as uint8 rows of H x W x C, or null (counted) when unusable. */
  private byte[] pixels(CameraFrame f) {
    int w = f.getWidth();
    int h = f.getHeight();
    int c;
    byte[] out;
    ByteBuffer data = f.getData().duplicate();
    FrameEncoding enc = f.getEncoding();
    if (enc == FrameEncoding.RGB8 || enc == FrameEncoding.GRAY8) {
      c = enc == FrameEncoding.RGB8 ? 3 : 1;
      if (data.remaining() != w * h * c) {
        add("frames_undecodable", 1);
        return null;
      }
      out = new byte[data.remaining()];
      data.get(out);
    } else {
      BufferedImage img;
      try {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        img = ImageIO.read(new ByteArrayInputStream(bytes));
      } catch (IOException e) {
        img = null;
      }
      if (img == null) {
        add("frames_undecodable", 1);
        return null;
      }
      w = img.getWidth();
      h = img.getHeight();
      c = 3;
      out = new byte[w * h * 3];
      int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
      for (int i = 0; i < rgb.length; i++) {
        out[3 * i] = (byte) (rgb[i] >> 16);
        out[3 * i + 1] = (byte) (rgb[i] >> 8);
        out[3 * i + 2] = (byte) rgb[i];
      }
    }
    if (height < 0) {
      height = h;
      width = w;
      channels = c;
    }
    if (h != height || w != width || c != channels) {
      add("frames_other_size", 1);
      return null;
    }
    return out;
  }

  private void writeEpisode(String stream, Run run) {
    try {
      for (byte[] px : run.frames) {
        frameData.write(px);
      }
    } catch (IOException e) {
      throw new DatasetExportException("Error writing " + frameTemp + ": " + e.getMessage(), e);
    }
    episodeActions.addAll(run.actions);
    for (float[] r : run.readings) {
      allReadings &= r != null;
      episodeReadings.add(r);
    }
    firstUs = Math.min(firstUs, run.times.get(0));
    lastUs = Math.max(lastUs, run.times.get(run.times.size() - 1));
    perStream.merge(stream, 1L, Long::sum);
    add("frames_written", run.frames.size());
    run.clear();
  }

  // ------------------------------------------------------------------------------- writing

  private void writeArrays(long episodes) throws IOException {
    int t = req.steps();
    Path frames = req.out().resolve("frames.npy");
    try (FileChannel out =
            FileChannel.open(
                frames,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        FileChannel in = FileChannel.open(frameTemp, StandardOpenOption.READ)) {
      out.write(ByteBuffer.wrap(Npy.header(Npy.Dtype.UINT8, episodes, t, height, width, channels)));
      long size = in.size();
      for (long pos = 0; pos < size; ) {
        pos += in.transferTo(pos, size - pos, out);
      }
    } finally {
      Files.deleteIfExists(frameTemp);
    }
    try (NpyWriter a =
        new NpyWriter(
            req.out().resolve("actions.npy"), Npy.Dtype.FLOAT32, episodes, t, actionDim)) {
      for (float[] v : episodeActions) {
        for (float x : v) {
          a.write(x);
        }
      }
    }
    Files.deleteIfExists(req.out().resolve("readings.npy"));
    if (allReadings && readingDim > 0) {
      try (NpyWriter r =
          new NpyWriter(
              req.out().resolve("readings.npy"), Npy.Dtype.FLOAT32, episodes, t, readingDim)) {
        for (float[] v : episodeReadings) {
          for (float x : v) {
            r.write(x);
          }
        }
      }
    }
  }

  private ExportManifest manifest(long episodes) {
    Map<String, Integer> frame = new LinkedHashMap<>();
    frame.put("height", height);
    frame.put("width", width);
    frame.put("channels", channels);
    boolean withReadings = allReadings && readingDim > 0;
    Map<String, String> layout = new LinkedHashMap<>();
    layout.put("frames.npy", "uint8 [E,T,H,W,C]: frame t of each episode, rows of RGB (or grey)");
    layout.put(
        "actions.npy",
        "float32 [E,T,A]: the action executed after frame t (the last one produces no frame here)");
    if (withReadings) {
      layout.put(
          "readings.npy",
          "float32 [E,T,K]: the '" + req.readingKind() + "' reading of frame t's sequence");
    }
    return new ExportManifest(
        "topics",
        req.bootstrap(),
        req.streams().pattern(),
        req.fromMs(),
        req.toMs(),
        episodes,
        req.steps(),
        frame,
        actionDim,
        withReadings ? req.readingKind() : null,
        withReadings ? readingNames : null,
        perStream,
        List.of(firstUs, lastUs),
        counts,
        layout);
  }

  private void add(String key, long n) {
    counts.merge(key, n, Long::sum);
  }
}
