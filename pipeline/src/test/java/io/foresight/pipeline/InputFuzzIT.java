package io.foresight.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.DeadLetter;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.schemas.avro.SurpriseEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing every input of the job: thousands of mutated records (bit flips, truncation, wrong
 * fingerprints, huge and negative sizes, NaN and infinities, keys that are not the stream id,
 * decompression bombs, corrupt JPEG and PNG) on the four input topics, mixed with valid frames
 * (raw, JPEG, PNG), readings, actions and goals, through the whole job on a MiniCluster with the
 * shipped model. Seeded, so a failure reproduces.
 *
 * <p>Each record's outcome is decided by an oracle where one exists (a record the Avro codec cannot
 * decode, or one built broken on purpose, must be dead-lettered with its stage and a reason); a bit
 * flip that still decodes may go either way, but never both ways and never twice.
 */
class InputFuzzIT {
  private static final long SEED = 19;
  private static final int MUTANTS_PER_TOPIC = 500;
  private static final int VALID_STREAMS = 3;
  private static final int VALID_FRAMES_PER_STREAM = 40;

  /** Collected outputs by sink name (the MiniCluster runs in this JVM). */
  static final Map<String, List<Object>> OUT = new ConcurrentHashMap<>();

  private final SplittableRandom rnd = new SplittableRandom(SEED);
  private final Map<String, List<RawRecord>> inputs = new HashMap<>();
  private final Map<String, Long> nextOffset = new HashMap<>();

  /** What a record must produce. */
  enum Expect {
    /** A dead letter, exactly one. */
    DEAD,
    /** No dead letter (a frame: exactly one latent). */
    ACCEPTED,
    /** Either, but exactly one outcome. */
    EITHER
  }

  /**
   * A record and what it must produce.
   *
   * @param deadLetterId how its dead letter is found: {@code topic@offset}, or {@code topic#key}
   *     for a world-model rejection (it comes from an operator and carries no offset)
   */
  record Sent(String deadLetterId, Expect expect, String what, String latentId) {}

  private final List<Sent> sent = new ArrayList<>();

  @Test
  void shouldDeadLetterEveryBadRecordAndProcessEveryValidOneWithoutCrashing() throws Exception {
    buildInputs();
    OUT.clear();
    Map<String, String> o = new HashMap<>();
    o.put("encoder.threads", "1");
    o.put("encoder.threads.spin", "false");
    JobConfig cfg = JobConfig.load(null, Map.of(), o);
    StreamExecutionEnvironment env = JobRunner.environment(cfg, new Configuration());
    env.setParallelism(1);
    new ForesightJob(
            new ForesightJob.Sources(
                source(Topics.FRAMES),
                source(Topics.READINGS),
                source(Topics.ACTIONS),
                source(Topics.GOALS)),
            new ForesightJob.Sinks(
                new CollectSink<LatentState>("latents"),
                new CollectSink<Prediction>("predictions"),
                new CollectSink<SurpriseEvent>("surprise"),
                new CollectSink<Plan>("plans"),
                new CollectSink<DeadLetter>("dead")),
            cfg)
        .build(env);
    env.execute("fuzz");

    Map<String, List<DeadLetter>> dead = new HashMap<>();
    for (Object d : OUT.getOrDefault("dead", List.of())) {
      DeadLetter l = (DeadLetter) d;
      String id =
          l.getOffset() >= 0
              ? l.getSourceTopic() + "@" + l.getOffset()
              : l.getSourceTopic() + "#" + StandardCharsets.UTF_8.decode(l.getKey().duplicate());
      dead.computeIfAbsent(id, k -> new ArrayList<>()).add(l);
    }
    Map<String, Integer> latents = new HashMap<>();
    for (Object x : OUT.getOrDefault("latents", List.of())) {
      LatentState l = (LatentState) x;
      latents.merge(l.getStreamId() + "#" + l.getSequence(), 1, Integer::sum);
    }
    Set<String> predicted = new HashSet<>();
    for (Object x : OUT.getOrDefault("predictions", List.of())) {
      Prediction p = (Prediction) x;
      predicted.add(p.getStreamId() + "#" + p.getSequence());
    }

    List<String> wrong = new ArrayList<>();
    int deadExpected = 0;
    for (Sent s : sent) {
      List<DeadLetter> d = dead.getOrDefault(s.deadLetterId(), List.of());
      int outputs = s.latentId() == null ? 0 : latents.getOrDefault(s.latentId(), 0);
      if (d.size() > 1 || outputs > 1 || d.size() + outputs > 1) {
        wrong.add(s + ": " + d.size() + " dead letters and " + outputs + " latents");
        continue;
      }
      switch (s.expect()) {
        case DEAD -> {
          deadExpected++;
          if (d.size() != 1) {
            wrong.add(s + ": no dead letter");
          }
        }
        case ACCEPTED -> {
          if (!d.isEmpty()) {
            wrong.add(s + ": dead-lettered: " + d.get(0).getStage() + ": " + d.get(0).getError());
          } else if (s.latentId() != null && outputs != 1) {
            wrong.add(s + ": no latent");
          }
        }
        case EITHER -> {
          if (s.latentId() != null && d.size() + outputs != 1) {
            wrong.add(s + ": neither a dead letter nor a latent");
          }
        }
      }
      for (DeadLetter l : d) {
        if (l.getStage() == null || l.getStage().isBlank() || l.getError().isBlank()) {
          wrong.add(s + ": a dead letter without stage or reason: " + l);
        }
      }
    }
    assertThat(wrong).as("records with the wrong outcome (seed %d)", SEED).isEmpty();
    assertThat(deadExpected).as("records that must be dead-lettered").isGreaterThan(1000);
    for (int st = 0; st < VALID_STREAMS; st++) {
      for (int q = 0; q < VALID_FRAMES_PER_STREAM; q++) {
        assertThat(predicted)
            .as("a prediction for every valid frame")
            .contains("ok-" + st + "#" + q);
      }
    }
    System.gc();
    long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertThat(used).as("heap in use after the run").isLessThan(768L * 1024 * 1024);
  }

  // ---- the inputs ----

  private void buildInputs() throws IOException {
    byte[] rgb = new byte[64 * 64 * 3];
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int v = (x * 4) & 0xff;
        img.setRGB(x, y, (v << 16) | ((y * 4) << 8) | 0x40);
        int i = (y * 64 + x) * 3;
        rgb[i] = (byte) v;
        rgb[i + 1] = (byte) (y * 4);
        rgb[i + 2] = 0x40;
      }
    }
    byte[] jpeg = image(img, "jpg");
    byte[] png = image(img, "png");

    // valid traffic: frames of three streams in order (raw, JPEG, PNG), readings, actions, goals
    for (int q = 0; q < VALID_FRAMES_PER_STREAM; q++) {
      for (int st = 0; st < VALID_STREAMS; st++) {
        String stream = "ok-" + st;
        FrameEncoding enc =
            st == 0 ? FrameEncoding.RGB8 : st == 1 ? FrameEncoding.JPEG : FrameEncoding.PNG;
        byte[] data = st == 0 ? rgb : st == 1 ? jpeg : png;
        add(
            Topics.FRAMES,
            stream,
            encode(frame(stream, q, enc, 64, 64, data)),
            Expect.ACCEPTED,
            "valid " + enc,
            stream + "#" + q);
      }
      add(
          Topics.READINGS,
          "ok-readings",
          encode(reading("ok-readings", q, 0.5)),
          Expect.ACCEPTED,
          "valid reading",
          null);
      add(
          Topics.ACTIONS,
          "ok-0",
          encode(action("ok-0", List.of(0.3f, -0.2f))),
          Expect.ACCEPTED,
          "valid action",
          null);
    }
    add(
        Topics.GOALS,
        "ok-goals",
        encode(goal("ok-goals", Tensors.tensor(new float[] {1}, 1), 0.1f, false)),
        Expect.ACCEPTED,
        "valid goal cancel",
        null);

    // mutants of every topic
    List<byte[]> frameTemplates = new ArrayList<>();
    for (int i = 0; i < MUTANTS_PER_TOPIC; i++) {
      String stream = "fz-f" + i;
      FrameEncoding enc = FrameEncoding.values()[i % FrameEncoding.values().length];
      byte[] data =
          switch (enc) {
            case RGB8, BGR8 -> rgb;
            case GRAY8 -> Arrays.copyOf(rgb, 64 * 64);
            case JPEG -> jpeg;
            case PNG -> png;
          };
      mutateFrame(stream, i, enc, data, jpeg, png);
      frameTemplates.add(data);
    }
    for (int i = 0; i < MUTANTS_PER_TOPIC; i++) {
      String stream = "fz-r" + i;
      switch (i % 5) {
        case 0 ->
            add(
                Topics.READINGS,
                stream,
                encode(reading(stream, i, Double.NaN)),
                Expect.DEAD,
                "NaN reading",
                null);
        case 1 ->
            add(
                Topics.READINGS,
                stream,
                encode(
                    reading(
                        stream,
                        i,
                        i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)),
                Expect.DEAD,
                "infinite reading",
                null);
        case 2 ->
            add(
                Topics.READINGS,
                "not-" + stream,
                encode(reading(stream, i, 1)),
                Expect.DEAD,
                "reading keyed by another stream",
                null);
        default -> generic(Topics.READINGS, stream, encode(reading(stream, i, 1)), "reading");
      }
    }
    for (int i = 0; i < MUTANTS_PER_TOPIC; i++) {
      String stream = "fz-a" + i;
      switch (i % 5) {
        case 0 ->
            add(
                Topics.ACTIONS,
                stream,
                encode(action(stream, List.of(Float.NaN, 0f))),
                Expect.DEAD,
                "NaN action",
                null);
        case 1 ->
            add(
                Topics.ACTIONS,
                stream,
                encode(action(stream, List.of())),
                Expect.DEAD,
                "empty action",
                null);
        case 2 ->
            add(
                Topics.ACTIONS,
                stream,
                encode(action(stream, List.of(1f, 2f, 3f))),
                Expect.DEAD,
                "action of the wrong size (world model)",
                null);
        default ->
            generic(Topics.ACTIONS, stream, encode(action(stream, List.of(0.1f, 0.1f))), "action");
      }
    }
    for (int i = 0; i < MUTANTS_PER_TOPIC; i++) {
      String stream = "fz-g" + i;
      switch (i % 6) {
        case 0 ->
            add(
                Topics.GOALS,
                stream,
                encode(goal(stream, Tensors.tensor(new float[] {Float.NaN}, 1), 0.1f, true)),
                Expect.DEAD,
                "NaN goal latent",
                null);
        case 1 ->
            add(
                Topics.GOALS,
                stream,
                encode(goal(stream, Tensors.tensor(new float[] {1, 2}, 2), Float.NaN, true)),
                Expect.DEAD,
                "NaN tolerance",
                null);
        case 2 ->
            add(
                Topics.GOALS,
                stream,
                encode(goal(stream, Tensors.tensor(new float[] {1, 2, 3}, 3), 0.1f, true)),
                Expect.DEAD,
                "goal latent of the wrong size",
                null);
        case 3 ->
            add(
                Topics.GOALS,
                stream,
                encode(
                    goal(
                        stream, goalImage(FrameEncoding.PNG, 64, 64, bomb(png, true)), 0.1f, true)),
                Expect.DEAD,
                "PNG goal image bomb",
                null);
        case 4 ->
            add(
                Topics.GOALS,
                stream,
                encode(goal(stream, goalImage(FrameEncoding.JPEG, -64, 64, jpeg), 0.1f, true)),
                Expect.DEAD,
                "negative goal image size",
                null);
        default ->
            generic(
                Topics.GOALS,
                stream,
                encode(goal(stream, Tensors.tensor(new float[] {1}, 1), 0.1f, false)),
                "goal");
      }
    }
  }

  private void mutateFrame(
      String stream, int i, FrameEncoding enc, byte[] data, byte[] jpeg, byte[] png)
      throws IOException {
    String id = stream + "#" + i;
    switch (i % 10) {
      case 0 ->
          add(
              Topics.FRAMES,
              stream,
              encode(frame(stream, i, enc, -64, 64, data)),
              Expect.DEAD,
              "negative width",
              id);
      case 1 ->
          add(
              Topics.FRAMES,
              stream,
              encode(frame(stream, i, enc, 1 << 20, 1 << 20, data)),
              Expect.DEAD,
              "huge size",
              id);
      case 2 ->
          add(
              Topics.FRAMES,
              stream,
              encode(frame(stream, i, FrameEncoding.PNG, 64, 64, bomb(png, true))),
              Expect.DEAD,
              "PNG bomb (IHDR 16000x16000)",
              id);
      case 3 ->
          add(
              Topics.FRAMES,
              stream,
              encode(frame(stream, i, FrameEncoding.JPEG, 64, 64, bomb(jpeg, false))),
              Expect.DEAD,
              "JPEG bomb (SOF 16000x16000)",
              id);
      case 4 ->
          add(
              Topics.FRAMES,
              stream,
              encode(frame(stream, i, enc, 64, 64, Arrays.copyOf(data, data.length / 3))),
              Expect.DEAD,
              "short pixel data",
              id);
      case 5 -> {
        // corrupt compressed data: may still decode to some picture, or not
        byte[] d = data.clone();
        for (int k = 0; k < 8; k++) {
          int at = 20 + rnd.nextInt(Math.max(1, d.length - 20));
          d[at] ^= (byte) (1 << rnd.nextInt(8));
        }
        add(
            Topics.FRAMES,
            stream,
            encode(frame(stream, i, enc, 64, 64, d)),
            enc == FrameEncoding.JPEG || enc == FrameEncoding.PNG ? Expect.EITHER : Expect.ACCEPTED,
            "bit flips in the " + enc + " data",
            id);
      }
      default ->
          generic(Topics.FRAMES, stream, encode(frame(stream, i, enc, 64, 64, data)), "frame");
    }
  }

  /** Bit flips, truncation, a wrong fingerprint or a key that is not the stream id. */
  private void generic(String topic, String stream, byte[] valid, String what) {
    int kind = rnd.nextInt(4);
    byte[] v;
    String key = stream;
    Expect e;
    String desc;
    switch (kind) {
      case 0 -> {
        v = valid.clone();
        int flips = 1 + rnd.nextInt(8);
        for (int k = 0; k < flips; k++) {
          int at = rnd.nextInt(v.length);
          v[at] ^= (byte) (1 << rnd.nextInt(8));
        }
        e = oracle(topic, v, stream);
        desc = flips + " bit flips";
      }
      case 1 -> {
        v = Arrays.copyOf(valid, rnd.nextInt(valid.length));
        e = Expect.DEAD;
        desc = "truncated to " + v.length + " of " + valid.length + " bytes";
      }
      case 2 -> {
        v = valid.clone();
        v[2 + rnd.nextInt(8)] ^= (byte) (1 + rnd.nextInt(255));
        e = Expect.DEAD;
        desc = "wrong fingerprint";
      }
      default -> {
        v = valid;
        key = "other-" + stream;
        e = Expect.DEAD;
        desc = "key is not the stream id";
      }
    }
    String latentId = topic.equals(Topics.FRAMES) ? latentIdOf(v) : null;
    if (topic.equals(Topics.FRAMES) && e == Expect.ACCEPTED) {
      e = Expect.EITHER; // still decodes; the encoder may refuse the pixels
    }
    add(topic, key, v, e, what + ": " + desc, latentId);
  }

  /**
   * A bit-flipped record the codec cannot decode must be dead; one that decodes may go either way.
   */
  private static Expect oracle(String topic, byte[] v, String stream) {
    try {
      SpecificRecord r = codec(topic).decode(v);
      Object id = r.get(0);
      return id != null && id.toString().equals(stream) ? Expect.EITHER : Expect.DEAD;
    } catch (RuntimeException e) {
      return Expect.DEAD;
    }
  }

  private static String latentIdOf(byte[] v) {
    try {
      CameraFrame f = AvroCodec.of(CameraFrame.class).decode(v);
      return f.getStreamId() + "#" + f.getSequence();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static AvroCodec<? extends SpecificRecord> codec(String topic) {
    return switch (topic) {
      case Topics.FRAMES -> AvroCodec.of(CameraFrame.class);
      case Topics.READINGS -> AvroCodec.of(SensorReading.class);
      case Topics.ACTIONS -> AvroCodec.of(ActionCommand.class);
      default -> AvroCodec.of(Goal.class);
    };
  }

  private void add(String topic, String key, byte[] value, Expect e, String what, String latent) {
    long offset = nextOffset.merge(topic, 1L, Long::sum) - 1;
    inputs
        .computeIfAbsent(topic, t -> new ArrayList<>())
        .add(
            new RawRecord(
                topic,
                0,
                offset,
                1_000_000L + offset,
                key.getBytes(StandardCharsets.UTF_8),
                value));
    String deadLetterId = what.contains("(world model)") ? topic + "#" + key : topic + "@" + offset;
    sent.add(new Sent(deadLetterId, e, what, latent));
  }

  private ForesightJob.RawSource source(String topic) {
    List<RawRecord> records = List.copyOf(inputs.getOrDefault(topic, List.of()));
    return (env, name) ->
        env.fromData(records, TypeInformation.of(RawRecord.class))
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<RawRecord>forMonotonousTimestamps()
                    .withTimestampAssigner((r, ts) -> r.timestampMs()))
            .name(name);
  }

  // ---- records ----

  private static byte[] encode(CameraFrame f) {
    return AvroCodec.of(CameraFrame.class).encode(f);
  }

  private static byte[] encode(SensorReading r) {
    return AvroCodec.of(SensorReading.class).encode(r);
  }

  private static byte[] encode(ActionCommand a) {
    return AvroCodec.of(ActionCommand.class).encode(a);
  }

  private static byte[] encode(Goal g) {
    return AvroCodec.of(Goal.class).encode(g);
  }

  private static CameraFrame frame(
      String stream, long seq, FrameEncoding enc, int w, int h, byte[] data) {
    return CameraFrame.newBuilder()
        .setStreamId(stream)
        .setSequence(seq)
        .setCaptureTimeUs(1_000_000L + seq * 100_000)
        .setEncoding(enc)
        .setWidth(w)
        .setHeight(h)
        .setData(ByteBuffer.wrap(data))
        .build();
  }

  private static SensorReading reading(String stream, long seq, double v) {
    return SensorReading.newBuilder()
        .setStreamId(stream)
        .setSequence(seq)
        .setTimeUs(1_000_000L + seq * 100_000)
        .setKind("proprio")
        .setValues(List.of(v, 0.5))
        .build();
  }

  private static ActionCommand action(String stream, List<Float> values) {
    return ActionCommand.newBuilder()
        .setStreamId(stream)
        .setTimeUs(1_000_000L)
        .setValues(values)
        .setSource(ActionSource.HUMAN)
        .build();
  }

  private static Goal goal(String stream, Object target, float tolerance, boolean active) {
    return Goal.newBuilder()
        .setStreamId(stream)
        .setGoalId("g-" + stream)
        .setTimeUs(1_000_000L)
        .setTarget(target)
        .setTolerance(tolerance)
        .setActive(active)
        .build();
  }

  private static GoalImage goalImage(FrameEncoding enc, int w, int h, byte[] data) {
    return GoalImage.newBuilder()
        .setEncoding(enc)
        .setWidth(w)
        .setHeight(h)
        .setData(ByteBuffer.wrap(data))
        .build();
  }

  private static byte[] image(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }

  /**
   * A decompression bomb: the image's own header claims 16000 x 16000 pixels (PNG IHDR with its CRC
   * fixed, or JPEG SOF0) while the record says 64 x 64.
   */
  static byte[] bomb(byte[] image, boolean isPng) {
    byte[] b = image.clone();
    if (isPng) {
      // 8-byte signature, then the IHDR chunk: length(4) "IHDR"(4) width(4) height(4) ...
      ByteBuffer.wrap(b, 16, 8).order(ByteOrder.BIG_ENDIAN).putInt(16000).putInt(16000);
      CRC32 crc = new CRC32();
      crc.update(b, 12, 17);
      ByteBuffer.wrap(b, 29, 4).order(ByteOrder.BIG_ENDIAN).putInt((int) crc.getValue());
      return b;
    }
    for (int i = 2; i + 9 < b.length; i++) {
      if ((b[i] & 0xff) == 0xFF && ((b[i + 1] & 0xff) == 0xC0 || (b[i + 1] & 0xff) == 0xC2)) {
        // FF C0, length(2), precision(1), height(2), width(2)
        ByteBuffer.wrap(b, i + 5, 4)
            .order(ByteOrder.BIG_ENDIAN)
            .putShort((short) 16000)
            .putShort((short) 16000);
        return b;
      }
    }
    throw new IllegalStateException("no SOF marker in the JPEG");
  }

  /** A sink that keeps what it receives in {@link #OUT}, for a MiniCluster in this JVM. */
  static final class CollectSink<T> implements Sink<T>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;

    CollectSink(String name) {
      this.name = name;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      List<Object> list =
          OUT.computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>()));
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context ctx) {
          list.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
