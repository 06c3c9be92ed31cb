package io.foresight.memory.internal;

import io.foresight.memory.MemoryException;
import io.foresight.memory.api.ModelId;
import io.foresight.memory.api.Reading;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.ContractException;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.WireFormatException;
import io.foresight.schemas.avro.AlignedReading;
import io.foresight.schemas.avro.LatentState;
import io.foresight.schemas.avro.ModelRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stores one {@code LatentState} record: decodes and validates it, drops an exact redelivery,
 * writes it to the timeline (the one RocksDB write per latent) and updates the partition's index
 * and statistics in memory. Refused records raise {@link Rejected}.
 */
final class LatentIngestor {
  /** What happened to a record. */
  enum Outcome {
    STORED,
    DUPLICATE
  }

  private static final AvroCodec<LatentState> CODEC = AvroCodec.of(LatentState.class);

  private final PartitionMemory partition;
  private final KeyValueStore<Bytes, byte[]> timeline;
  private final Map<String, Integer> expectedDims;
  private final MemoryMetrics metrics;
  private final Map<String, KnownModel> models = new java.util.HashMap<>();

  private record KnownModel(ModelId model, byte[] sha) {}

  LatentIngestor(
      PartitionMemory partition,
      KeyValueStore<Bytes, byte[]> timeline,
      Map<String, Integer> expectedDims,
      MemoryMetrics metrics) {
    this.partition = partition;
    this.timeline = timeline;
    this.expectedDims = expectedDims;
    this.metrics = metrics;
  }

  Outcome ingest(byte[] key, byte[] value) {
    LatentState ls;
    try {
      ls = CODEC.decode(value);
    } catch (WireFormatException e) {
      throw new Rejected("UNDECODABLE_" + e.kind(), "not a LatentState: " + e.getMessage(), e);
    }
    String stream = ls.getStreamId();
    checkStream(stream, key, "LatentState");
    ModelRef ref = ls.getModel();
    KnownModel known = models.get(ref.getSha256());
    if (known == null
        || !known.model.name().equals(ref.getName())
        || !known.model.version().equals(ref.getVersion())) {
      try {
        ModelId m = new ModelId(ref.getName(), ref.getVersion(), ref.getSha256());
        known = new KnownModel(m, KeyLayout.sha(m.sha256()));
      } catch (IllegalArgumentException | MemoryException e) {
        throw new Rejected("BAD_MODEL", e.getMessage());
      }
      if (models.size() > 1000) {
        models.clear();
      }
      models.put(ref.getSha256(), known);
    }
    ModelId model = known.model;
    byte[] sha = known.sha;
    int[] shape = Tensors.shape(ls.getLatent());
    ByteBuffer data = ls.getLatent().getData();
    long count;
    try {
      count = Tensors.elementCount(shape);
    } catch (ContractException e) {
      throw new Rejected("WRONG_SIZE", "latent tensor is inconsistent: " + e.getMessage());
    }
    if (count * Float.BYTES != data.remaining()) {
      throw new Rejected(
          "WRONG_SIZE",
          "latent tensor of shape "
              + Arrays.toString(shape)
              + " needs "
              + count * Float.BYTES
              + " bytes of float32 but has "
              + data.remaining());
    }
    float[] latent = new float[(int) count];
    ValueCodec.floatsLE(data, latent);
    if (latent.length == 0) {
      throw new Rejected(
          "WRONG_SIZE", "latent tensor of shape " + Arrays.toString(shape) + " holds no values");
    }
    Integer expected = expectedDims.get(model.sha256());
    VectorIndex index = partition.index(model.sha256());
    if (expected == null && index != null) {
      expected = index.dim();
    }
    if (expected != null && expected != latent.length) {
      throw new Rejected(
          "WRONG_SIZE",
          "latent of "
              + latent.length
              + " values (shape "
              + Arrays.toString(shape)
              + ") but model "
              + model.name()
              + " "
              + model.version()
              + " ("
              + model.sha256()
              + ") has "
              + expected
              + "-value latents");
    }
    for (int i = 0; i < latent.length; i++) {
      if (!Float.isFinite(latent[i])) {
        throw new Rejected(
            "NOT_FINITE", "latent value " + i + " is " + latent[i] + "; latents must be finite");
      }
    }
    long seq = ls.getSequence();
    long time = ls.getTimeUs();
    if (index == null) {
      index = partition.indexFor(model, latent.length);
    }
    long stored = index.addIfAbsent(stream, seq, time, latent);
    if (stored != VectorIndex.ADDED) {
      if (stored == time) {
        metrics.duplicates.increment();
        return Outcome.DUPLICATE;
      }
      throw new Rejected(
          "CONFLICTING_SEQUENCE",
          "stream '"
              + stream
              + "' already has sequence "
              + seq
              + " of this model stored at time_us "
              + stored
              + ", this record says "
              + time
              + ". The memory keeps the first; a stream that restarts must continue its"
              + " sequence numbers or use a new stream id");
    }
    List<Reading> readings = readings(ls.getReadings());
    byte[] k = KeyLayout.timeline(stream, sha, time, seq);
    byte[] v =
        ValueCodec.encodeLatent(model.name(), model.version(), shape, latent, data, readings);
    timeline.put(Bytes.wrap(k), v);
    partition.stats(stream).onAdd(model, shape, seq, time, latent);
    metrics.latentsStored.increment();
    return Outcome.STORED;
  }

  private static List<Reading> readings(List<AlignedReading> in) {
    if (in == null || in.isEmpty()) {
      return List.of();
    }
    List<Reading> out = new ArrayList<>(in.size());
    for (AlignedReading r : in) {
      double[] v = new double[r.getValues().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.getValues().get(i);
      }
      out.add(new Reading(r.getKind(), r.getTimeUs(), v));
    }
    return out;
  }

  /** Refuses an empty stream id, and a record key that is not the stream id (the contract). */
  static void checkStream(String stream, byte[] key, String type) {
    if (stream == null || stream.isEmpty()) {
      throw new Rejected("BAD_STREAM", type + " has an empty stream_id");
    }
    if (key == null) {
      throw new Rejected(
          "KEY_MISMATCH",
          type
              + " of stream '"
              + stream
              + "' has no record key; the key must be the stream id in UTF-8 so that a stream"
              + " stays in one partition");
    }
    if (!Arrays.equals(key, stream.getBytes(StandardCharsets.UTF_8))) {
      throw new Rejected(
          "KEY_MISMATCH",
          type
              + " of stream '"
              + stream
              + "' has record key '"
              + new String(key, StandardCharsets.UTF_8)
              + "'; the key must be the stream id in UTF-8 so that a stream stays in one"
              + " partition");
    }
  }
}
