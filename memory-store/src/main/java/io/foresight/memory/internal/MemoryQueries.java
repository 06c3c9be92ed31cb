package io.foresight.memory.internal;

import io.foresight.memory.StoredLatent;
import io.foresight.memory.api.ModelId;
import io.foresight.memory.api.StreamSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The read side of this instance: answers queries from its own stores and in-memory structures
 * only. Routing a query to the instance that owns a stream, and merging answers of all instances,
 * is {@link HttpApi}'s job.
 */
public final class MemoryQueries {
  /** Access to this instance's stores (Kafka Streams' interactive queries, or a test driver). */
  public interface StoreAccess {
    ReadOnlyKeyValueStore<Bytes, byte[]> store(String name);
  }

  /** A stored state with its surprise signals. */
  public record StateView(StoredLatent state, ValueCodec.Signals signals) {}

  /** A page of results and the cursor of the next page ({@code null} at the end). */
  public record Page<T>(List<T> items, String nextCursor) {}

  /** A transition between two consecutive states and the action executed in between. */
  public record TransitionView(
      StoredLatent from, StoredLatent to, ValueCodec.StoredAction action, String matchedBy) {}

  /** A model known to this instance. */
  public record ModelView(ModelId model, int dim, long count, int pending) {}

  /** A local search result with how it was found. */
  public record Neighbors(
      List<VectorIndex.Hit> hits, boolean approximate, long searched, long pending) {}

  /** A state picked for landmark selection. */
  public record Sample(String stream, long sequence, long timeUs, float[] latent) {}

  /** Per-landmark member counts and traversed edges, counted by one instance. */
  public record EdgeCounts(long[] members, Map<Long, Long> edges) {}

  private final LocalMemory memory;
  private final StoreAccess stores;
  private final Supplier<Set<String>> activeTasks;
  private final long matchWindowUs;

  /**
   * @param activeTasks the ids of the tasks this instance runs actively now, or {@code null} to
   *     trust every registered partition
   */
  public MemoryQueries(
      LocalMemory memory,
      StoreAccess stores,
      Supplier<Set<String>> activeTasks,
      long matchWindowUs) {
    this.memory = memory;
    this.stores = stores;
    this.activeTasks = activeTasks;
    this.matchWindowUs = matchWindowUs;
  }

  public LocalMemory memory() {
    return memory;
  }

  private List<PartitionMemory> partitions() {
    Set<String> active = activeTasks == null ? null : activeTasks.get();
    List<PartitionMemory> out = new ArrayList<>();
    for (PartitionMemory p : memory.partitions()) {
      if (!p.isClosed() && (active == null || active.contains(p.taskId()))) {
        out.add(p);
      }
    }
    return out;
  }

  /** Summaries of every stream stored here, sorted by stream id. */
  public List<StreamSummary> streams() {
    List<StreamSummary> out = new ArrayList<>();
    for (PartitionMemory p : partitions()) {
      for (StreamStats s : p.streams.values()) {
        StreamSummary summary = s.summary();
        if (summary != null) {
          out.add(summary);
        }
      }
    }
    out.sort(Comparator.comparing(StreamSummary::stream));
    return out;
  }

  /** The summary of one stream, if stored here. */
  public Optional<StreamSummary> summary(String stream) {
    for (PartitionMemory p : partitions()) {
      StreamStats s = p.streams.get(stream);
      if (s != null && s.summary() != null) {
        return Optional.of(s.summary());
      }
    }
    return Optional.empty();
  }

  /** Models known here, with their latent sizes and counts. */
  public List<ModelView> models() {
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, ModelId> ids = new HashMap<>();
    for (PartitionMemory p : partitions()) {
      for (VectorIndex ix : p.indexes.values()) {
        long[] c = counts.computeIfAbsent(ix.sha(), k -> new long[3]);
        c[0] = ix.dim();
        c[1] += ix.live();
        c[2] += ix.pending();
        ids.putIfAbsent(ix.sha(), p.models.get(ix.sha()));
      }
    }
    List<ModelView> out = new ArrayList<>();
    counts.forEach((sha, c) -> out.add(new ModelView(ids.get(sha), (int) c[0], c[1], (int) c[2])));
    return out;
  }

  /**
   * The model to use for a stream: {@code sha} if given, else the model of the stream's newest
   * state; empty if the stream is not stored here.
   */
  public Optional<String> modelOf(String stream, String sha) {
    if (sha != null) {
      return Optional.of(sha);
    }
    return summary(stream).map(s -> s.models().get(0).model().sha256());
  }

  /** The newest state of a stream (of its newest model, or of {@code sha}). */
  public Optional<StateView> latest(String stream, String sha) {
    return at(stream, Long.MAX_VALUE, sha);
  }

  /** The newest state of a stream at or before {@code timeUs}. */
  public Optional<StateView> at(String stream, long timeUs, String sha) {
    Optional<String> model = modelOf(stream, sha);
    if (model.isEmpty()) {
      return Optional.empty();
    }
    byte[] prefix = KeyLayout.modelPrefix(stream, KeyLayout.sha(model.get()));
    byte[] to =
        timeUs == Long.MAX_VALUE
            ? KeyLayout.prefixEnd(prefix)
            : KeyLayout.timelineFrom(prefix, timeUs + 1);
    try (KeyValueIterator<Bytes, byte[]> it =
        timeline().reverseRange(Bytes.wrap(prefix), Bytes.wrap(to))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        if (Arrays.compareUnsigned(kv.key.get(), to) >= 0) {
          continue;
        }
        return Optional.of(view(kv));
      }
    }
    return Optional.empty();
  }

  /** The timeline keys of one stream and model: its prefix, and where a page starts and ends. */
  private record Window(byte[] prefix, byte[] from, byte[] to) {}

  /**
   * The window of {@code fromUs <= time < toUs} after {@code cursor}; empty for an unknown model.
   */
  private Optional<Window> window(
      String stream, String sha, long fromUs, long toUs, String cursor) {
    Optional<String> model = modelOf(stream, sha);
    if (model.isEmpty()) {
      return Optional.empty();
    }
    byte[] prefix = KeyLayout.modelPrefix(stream, KeyLayout.sha(model.get()));
    byte[] to =
        toUs == Long.MAX_VALUE ? KeyLayout.prefixEnd(prefix) : KeyLayout.timelineFrom(prefix, toUs);
    return Optional.of(new Window(prefix, start(prefix, fromUs, cursor), to));
  }

  /**
   * The states of a stream and model with {@code fromUs <= time < toUs}, oldest first, at most
   * {@code limit}, starting at {@code cursor} (from a previous page) if given.
   */
  public Page<StateView> range(
      String stream, String sha, long fromUs, long toUs, int limit, String cursor) {
    Optional<Window> window = window(stream, sha, fromUs, toUs, cursor);
    if (window.isEmpty()) {
      return new Page<>(List.of(), null);
    }
    byte[] from = window.get().from();
    byte[] to = window.get().to();
    List<StateView> items = new ArrayList<>();
    String next = null;
    try (KeyValueIterator<Bytes, byte[]> it = timeline().range(Bytes.wrap(from), Bytes.wrap(to))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        if (Arrays.compareUnsigned(kv.key.get(), to) >= 0) {
          break;
        }
        if (items.size() == limit) {
          next = cursorOf(kv.key.get());
          break;
        }
        items.add(view(kv));
      }
    }
    return new Page<>(items, next);
  }

  /**
   * The transitions of a stream and model whose first state has {@code fromUs <= time < toUs}: each
   * state, its successor, and the action executed in between (matched by the action's
   * frame_sequence, else the last action in [from.time, to.time)).
   */
  public Page<TransitionView> transitions(
      String stream, String sha, long fromUs, long toUs, int limit, String cursor) {
    Optional<Window> window = window(stream, sha, fromUs, toUs, cursor);
    if (window.isEmpty()) {
      return new Page<>(List.of(), null);
    }
    byte[] prefix = window.get().prefix();
    byte[] from = window.get().from();
    byte[] fromEnd = window.get().to();
    List<TransitionView> items = new ArrayList<>();
    String next = null;
    try (KeyValueIterator<Bytes, byte[]> it =
        timeline().range(Bytes.wrap(from), Bytes.wrap(KeyLayout.prefixEnd(prefix)))) {
      StoredLatent prev = null;
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        StoredLatent cur = ValueCodec.decodeLatent(kv.key.get(), kv.value);
        if (prev != null) {
          ValueCodec.StoredAction[] match = new ValueCodec.StoredAction[1];
          String how = matchAction(stream, prev, cur, match);
          items.add(new TransitionView(prev, cur, match[0], how));
        }
        if (Arrays.compareUnsigned(kv.key.get(), fromEnd) >= 0) {
          break;
        }
        if (items.size() == limit) {
          next = cursorOf(kv.key.get());
          break;
        }
        prev = cur;
      }
    }
    return new Page<>(items, next);
  }

  private String matchAction(
      String stream, StoredLatent from, StoredLatent to, ValueCodec.StoredAction[] out) {
    ReadOnlyKeyValueStore<Bytes, byte[]> actions = stores.store(MemoryTopology.ACTIONS);
    long lo = from.timeUs() - matchWindowUs;
    long hi = Math.max(to.timeUs(), from.timeUs()) + matchWindowUs;
    byte[] a = KeyLayout.actionFrom(stream, lo);
    byte[] b = KeyLayout.actionFrom(stream, hi);
    ValueCodec.StoredAction byTime = null;
    try (KeyValueIterator<Bytes, byte[]> it = actions.range(Bytes.wrap(a), Bytes.wrap(b))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        ValueCodec.StoredAction act = ValueCodec.decodeAction(kv.value);
        if (act.frameSequence() != null && act.frameSequence() == from.sequence()) {
          out[0] = act;
          return "frame_sequence";
        }
        if (act.frameSequence() == null
            && act.timeUs() >= from.timeUs()
            && act.timeUs() < to.timeUs()) {
          byTime = act;
        }
      }
    }
    out[0] = byTime;
    return byTime == null ? null : "time";
  }

  private static byte[] start(byte[] prefix, long fromUs, String cursor) {
    byte[] from = fromUs == Long.MIN_VALUE ? prefix : KeyLayout.timelineFrom(prefix, fromUs);
    if (cursor != null) {
      byte[] c = decodeCursor(cursor);
      if (c.length < prefix.length
          || !Arrays.equals(c, 0, prefix.length, prefix, 0, prefix.length)) {
        throw new IllegalArgumentException(
            "cursor does not belong to this stream and model; pass the nextCursor of the previous"
                + " page of the same query");
      }
      if (Arrays.compareUnsigned(c, from) > 0) {
        from = c;
      }
    }
    return from;
  }

  static String cursorOf(byte[] key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  private static byte[] decodeCursor(String cursor) {
    try {
      return Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cursor '" + cursor + "' is not a cursor of this API");
    }
  }

  private StateView view(KeyValue<Bytes, byte[]> kv) {
    StoredLatent s = ValueCodec.decodeLatent(kv.key.get(), kv.value);
    byte[] sig =
        stores
            .store(MemoryTopology.SIGNALS)
            .get(Bytes.wrap(KeyLayout.signal(s.stream(), s.sequence())));
    return new StateView(s, ValueCodec.decodeSignals(sig));
  }

  /** The full stored state (stream, sequence) of a model, if stored here. */
  public Optional<StateView> state(String stream, String sha, long sequence) {
    for (PartitionMemory p : partitions()) {
      VectorIndex ix = p.index(sha);
      Long time = ix == null ? null : ix.timeOf(stream, sequence);
      if (time != null) {
        byte[] key = KeyLayout.timeline(stream, KeyLayout.sha(sha), time, sequence);
        byte[] value = timeline().get(Bytes.wrap(key));
        if (value != null) {
          return Optional.of(view(KeyValue.pair(Bytes.wrap(key), value)));
        }
      }
    }
    return Optional.empty();
  }

  /** The {@code k} nearest latents of model {@code sha} stored here; see {@link VectorIndex}. */
  public Neighbors nearest(
      String sha,
      float[] latent,
      int k,
      int ef,
      boolean exact,
      String stream,
      String excludeStream,
      long excludeSequence) {
    List<VectorIndex.Hit> all = new ArrayList<>();
    boolean approximate = false;
    long searched = 0;
    long pending = 0;
    for (PartitionMemory p : partitions()) {
      VectorIndex ix = p.index(sha);
      if (ix == null) {
        continue;
      }
      VectorIndex.Result r =
          ix.search(
              new VectorIndex.Query(latent, k, ef, exact, stream, excludeStream, excludeSequence));
      all.addAll(r.hits());
      approximate |= r.approximate();
      searched += r.searched();
      pending += r.pending();
    }
    all.sort(Comparator.comparingDouble(VectorIndex.Hit::distance));
    return new Neighbors(
        List.copyOf(all.subList(0, Math.min(k, all.size()))), approximate, searched, pending);
  }

  /** The latent size of model {@code sha} here, or -1 if it is unknown here. */
  public int dimOf(String sha) {
    for (PartitionMemory p : partitions()) {
      VectorIndex ix = p.index(sha);
      if (ix != null) {
        return ix.dim();
      }
    }
    return -1;
  }

  /** A uniform sample of at most {@code max} stored latents of a model (and stream, if given). */
  public List<Sample> sample(String sha, String stream, int max, long seed) {
    List<Sample> out = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(seed);
    long[] seen = new long[1];
    for (PartitionMemory p : partitions()) {
      VectorIndex ix = p.index(sha);
      if (ix == null) {
        continue;
      }
      ix.forEachLive(
          stream,
          (s, seq, t, v) -> {
            seen[0]++;
            if (out.size() < max) {
              out.add(new Sample(s, seq, t, v.clone()));
            } else {
              long j = random.nextLong(seen[0]);
              if (j < max) {
                out.set((int) j, new Sample(s, seq, t, v.clone()));
              }
            }
          });
    }
    return out;
  }

  /**
   * Assigns every stored latent of a model (and stream) to its nearest landmark and counts, per
   * pair of landmarks, how often consecutive states of a stream went from one to the other.
   */
  public EdgeCounts landmarkEdges(String sha, String stream, float[][] landmarks) {
    long[] members = new long[landmarks.length];
    Map<Long, Long> edges = new HashMap<>();
    for (PartitionMemory p : partitions()) {
      VectorIndex ix = p.index(sha);
      if (ix == null) {
        continue;
      }
      Map<String, List<long[]>> perStream = new HashMap<>();
      ix.forEachLive(
          stream,
          (s, seq, t, v) -> {
            int best = Landmarks.nearest(landmarks, v);
            members[best]++;
            perStream.computeIfAbsent(s, x -> new ArrayList<>()).add(new long[] {t, seq, best});
          });
      for (List<long[]> states : perStream.values()) {
        states.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 1; i < states.size(); i++) {
          long a = states.get(i - 1)[2];
          long b = states.get(i)[2];
          if (a != b) {
            edges.merge(a * landmarks.length + b, 1L, Long::sum);
          }
        }
      }
    }
    return new EdgeCounts(members, edges);
  }

  private ReadOnlyKeyValueStore<Bytes, byte[]> timeline() {
    return stores.store(MemoryTopology.TIMELINE);
  }
}
