package io.foresight.ingest;

import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.KafkaLimits;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.ActionCommand;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes camera frames, sensor readings, executed actions and goals to Foresight's Kafka topics
 * from a Java program: Avro single-object encoding, key = stream id, an idempotent producer with
 * {@code acks=all}, size limits matching the topics, and compression where it pays.
 *
 * <p>Frames are checked before sending: data larger than {@link Topics#MAX_FRAME_BYTES} raises
 * {@link FrameTooLargeException}, and raw frames whose data does not match width x height x
 * channels raise {@link IngestException}. Sending is asynchronous; failures are counted in {@link
 * #stats()} and surface in the futures of the {@code sendAsync} methods. Thread-safe.
 *
 * <p>With {@link Compression#AUTO}, raw frames and small records go through an lz4 producer and
 * JPEG/PNG frames through an uncompressed one: records of one stream and one kind stay in order.
 *
 * <pre>{@code
 * try (FramePublisher publisher = FramePublisher.builder().bootstrapServers("localhost:9092").build()) {
 *   publisher.send(frame);
 *   publisher.flush();
 * }
 * }</pre>
 */
public final class FramePublisher implements RecordSink, AutoCloseable {
  private static final AvroCodec<CameraFrame> FRAMES = AvroCodec.of(CameraFrame.class);
  private static final AvroCodec<SensorReading> READINGS = AvroCodec.of(SensorReading.class);
  private static final AvroCodec<ActionCommand> ACTIONS = AvroCodec.of(ActionCommand.class);
  private static final AvroCodec<Goal> GOALS = AvroCodec.of(Goal.class);

  private final Map<String, Object> baseConfig;
  private final Compression compression;
  private final String bootstrapServers;
  private final Object lock = new Object();
  private KafkaProducer<byte[], byte[]> packed;
  private KafkaProducer<byte[], byte[]> plain;
  private volatile boolean closed;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  private FramePublisher(Builder b) {
    this.compression = b.compression;
    this.bootstrapServers = b.bootstrapServers;
    Map<String, Object> c = new HashMap<>(KafkaLimits.producer());
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, b.lingerMs);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, b.clientId);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.putAll(b.extra);
    this.baseConfig = Map.copyOf(c);
  }

  /** A builder; the bootstrap servers are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A publisher configured from the module's options. */
  public static FramePublisher create(IngestOptions options) {
    return builder()
        .bootstrapServers(options.bootstrapServers())
        .compression(options.compression())
        .lingerMs(options.lingerMs())
        .clientId(options.clientId())
        .build();
  }

  /**
   * Checks a frame against Foresight's limits without sending it.
   *
   * @throws FrameTooLargeException if the data exceeds {@link Topics#MAX_FRAME_BYTES}
   * @throws IngestException if a raw frame's data does not match its size, or a field is missing
   */
  public static void validate(CameraFrame frame) {
    Objects.requireNonNull(frame, "frame");
    if (frame.getStreamId() == null || frame.getStreamId().isEmpty()) {
      throw new IngestException("frame has no stream_id; every record is keyed by its stream id");
    }
    if (frame.getData() == null || frame.getEncoding() == null) {
      throw new IngestException(
          "frame " + frame.getSequence() + " of stream " + frame.getStreamId() + " has no data");
    }
    int size = frame.getData().remaining();
    if (size > Topics.MAX_FRAME_BYTES) {
      throw new FrameTooLargeException(
          String.format(
              "frame %d of stream %s has %,d bytes of %s data, above Topics.MAX_FRAME_BYTES ="
                  + " %,d bytes (8 MiB): downscale it or send it as JPEG",
              frame.getSequence(),
              frame.getStreamId(),
              size,
              frame.getEncoding(),
              Topics.MAX_FRAME_BYTES),
          size,
          Topics.MAX_FRAME_BYTES);
    }
    int channels = channels(frame.getEncoding());
    if (frame.getWidth() <= 0 || frame.getHeight() <= 0) {
      throw new IngestException(
          "frame "
              + frame.getSequence()
              + " of stream "
              + frame.getStreamId()
              + " has size "
              + frame.getWidth()
              + "x"
              + frame.getHeight()
              + "; width and height must be > 0");
    }
    if (channels > 0) {
      long expected = (long) frame.getWidth() * frame.getHeight() * channels;
      if (expected != size) {
        throw new IngestException(
            String.format(
                "raw %s frame %d of stream %s is %dx%d, which needs %d bytes, but has %d",
                frame.getEncoding(),
                frame.getSequence(),
                frame.getStreamId(),
                frame.getWidth(),
                frame.getHeight(),
                expected,
                size));
      }
    }
  }

  /** Bytes per pixel of a raw encoding, 0 for compressed encodings. */
  public static int channels(FrameEncoding encoding) {
    return switch (encoding) {
      case RGB8, BGR8 -> 3;
      case GRAY8 -> 1;
      case JPEG, PNG -> 0;
    };
  }

  /**
   * Validates and sends a frame to {@link Topics#FRAMES}.
   *
   * @throws FrameTooLargeException if the frame exceeds the limits (nothing is sent)
   */
  @Override
  public void send(CameraFrame frame) {
    sendAsync(frame);
  }

  /** Like {@link #send(CameraFrame)}, returning the future of the Kafka send. */
  public Future<RecordMetadata> sendAsync(CameraFrame frame) {
    validate(frame);
    byte[] value = FRAMES.encode(frame);
    checkRecord(value, "frame " + frame.getSequence() + " of stream " + frame.getStreamId());
    boolean compressed =
        frame.getEncoding() == FrameEncoding.JPEG || frame.getEncoding() == FrameEncoding.PNG;
    return send(Topics.FRAMES, frame.getStreamId(), value, compressed);
  }

  /** Sends a sensor reading to {@link Topics#READINGS}. */
  @Override
  public void send(SensorReading reading) {
    sendAsync(reading);
  }

  /** Like {@link #send(SensorReading)}, returning the future of the Kafka send. */
  public Future<RecordMetadata> sendAsync(SensorReading reading) {
    requireStream(reading.getStreamId(), "reading");
    return send(Topics.READINGS, reading.getStreamId(), READINGS.encode(reading), false);
  }

  /** Sends an action a robot executed to {@link Topics#ACTIONS}. */
  @Override
  public void send(ActionCommand action) {
    sendAsync(action);
  }

  /** Like {@link #send(ActionCommand)}, returning the future of the Kafka send. */
  public Future<RecordMetadata> sendAsync(ActionCommand action) {
    requireStream(action.getStreamId(), "action");
    return send(Topics.ACTIONS, action.getStreamId(), ACTIONS.encode(action), false);
  }

  /** Sends a goal to {@link Topics#GOALS}; a goal image is checked like a frame. */
  @Override
  public void send(Goal goal) {
    sendAsync(goal);
  }

  /** Like {@link #send(Goal)}, returning the future of the Kafka send. */
  public Future<RecordMetadata> sendAsync(Goal goal) {
    requireStream(goal.getStreamId(), "goal");
    boolean compressed = false;
    if (goal.getTarget() instanceof GoalImage image) {
      int size = image.getData().remaining();
      if (size > Topics.MAX_FRAME_BYTES) {
        throw new FrameTooLargeException(
            String.format(
                "goal image of goal %s (stream %s) has %,d bytes, above Topics.MAX_FRAME_BYTES ="
                    + " %,d bytes",
                goal.getGoalId(), goal.getStreamId(), size, Topics.MAX_FRAME_BYTES),
            size,
            Topics.MAX_FRAME_BYTES);
      }
      compressed =
          image.getEncoding() == FrameEncoding.JPEG || image.getEncoding() == FrameEncoding.PNG;
    }
    byte[] value = GOALS.encode(goal);
    checkRecord(value, "goal " + goal.getGoalId() + " of stream " + goal.getStreamId());
    return send(Topics.GOALS, goal.getStreamId(), value, compressed);
  }

  private static void requireStream(String streamId, String what) {
    if (streamId == null || streamId.isEmpty()) {
      throw new IngestException(what + " has no stream_id; every record is keyed by its stream id");
    }
  }

  private static void checkRecord(byte[] value, String what) {
    if (value.length > Topics.MAX_RECORD_BYTES) {
      throw new FrameTooLargeException(
          String.format(
              "%s encodes to %,d bytes, above Topics.MAX_RECORD_BYTES = %,d bytes (large"
                  + " metadata?)",
              what, value.length, Topics.MAX_RECORD_BYTES),
          value.length,
          Topics.MAX_RECORD_BYTES);
    }
  }

  private Future<RecordMetadata> send(
      String topic, String streamId, byte[] value, boolean alreadyCompressed) {
    KafkaProducer<byte[], byte[]> producer = producer(alreadyCompressed);
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, streamId.getBytes(StandardCharsets.UTF_8), value);
    sent.incrementAndGet();
    bytes.addAndGet(value.length);
    try {
      return producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              acked.incrementAndGet();
            } else {
              failed.incrementAndGet();
              firstError.compareAndSet(
                  null,
                  "sending to "
                      + topic
                      + " (stream "
                      + streamId
                      + ") at "
                      + bootstrapServers
                      + " failed: "
                      + error);
            }
          });
    } catch (KafkaException e) {
      failed.incrementAndGet();
      firstError.compareAndSet(null, e.toString());
      throw new IngestException(
          "Error sending to "
              + topic
              + " (stream "
              + streamId
              + ") at "
              + bootstrapServers
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private KafkaProducer<byte[], byte[]> producer(boolean alreadyCompressed) {
    synchronized (lock) {
      if (closed) {
        throw new IngestException("the publisher is closed");
      }
      Compression c =
          compression != Compression.AUTO
              ? compression
              : (alreadyCompressed ? Compression.NONE : Compression.LZ4);
      boolean usePlain = compression == Compression.AUTO && alreadyCompressed;
      if (usePlain) {
        if (plain == null) {
          plain = open(c, "-plain");
        }
        return plain;
      }
      if (packed == null) {
        packed = open(c, "");
      }
      return packed;
    }
  }

  private KafkaProducer<byte[], byte[]> open(Compression c, String suffix) {
    Map<String, Object> config = new HashMap<>(baseConfig);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, c.kafkaName());
    config.put(
        ProducerConfig.CLIENT_ID_CONFIG, baseConfig.get(ProducerConfig.CLIENT_ID_CONFIG) + suffix);
    try {
      return new KafkaProducer<>(config);
    } catch (KafkaException e) {
      throw new IngestException(
          "Error creating a Kafka producer for " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  /** Blocks until every record sent so far is acknowledged or failed. */
  @Override
  public void flush() {
    KafkaProducer<byte[], byte[]> a;
    KafkaProducer<byte[], byte[]> b;
    synchronized (lock) {
      a = packed;
      b = plain;
    }
    if (a != null) {
      a.flush();
    }
    if (b != null) {
      b.flush();
    }
  }

  /** A snapshot of the counters. */
  @Override
  public PublisherStats stats() {
    return new PublisherStats(sent.get(), acked.get(), failed.get(), bytes.get(), firstError.get());
  }

  /** Flushes and closes the producers (waiting up to 30 s). */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (packed != null) {
        packed.close(Duration.ofSeconds(30));
      }
      if (plain != null) {
        plain.close(Duration.ofSeconds(30));
      }
    }
  }

  /** Builds a {@link FramePublisher}. */
  public static final class Builder {
    private String bootstrapServers;
    private Compression compression = Compression.AUTO;
    private int lingerMs = 5;
    private String clientId = "foresight-ingest";
    private final Map<String, Object> extra = new HashMap<>();

    private Builder() {}

    /** Kafka brokers, {@code host:port[,host:port]}. Required. */
    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    public Builder lingerMs(int lingerMs) {
      this.lingerMs = lingerMs;
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /**
     * Any other producer setting (security, timeouts). Settings Foresight relies on (idempotence,
     * acks, serializers) cannot be overridden.
     */
    public Builder property(String key, Object value) {
      if (key.equals(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)
          || key.equals(ProducerConfig.ACKS_CONFIG)
          || key.equals(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)
          || key.equals(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
        throw new IngestException(
            key + " is fixed by FramePublisher (idempotent, acks=all, byte[] serializers)");
      }
      extra.put(key, value);
      return this;
    }

    /** Checks the settings; producers are opened on first send. */
    public FramePublisher build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IngestException(
            "bootstrapServers is required: the Kafka brokers as host:port[,host:port]");
      }
      if (lingerMs < 0) {
        throw new IngestException("lingerMs must be >= 0, got " + lingerMs);
      }
      return new FramePublisher(this);
    }
  }
}
