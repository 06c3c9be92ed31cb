package io.foresight.memory.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A persistent key-value store on one RocksDB instance, with the memory store's own RocksDB
 * settings ({@link Settings}); Kafka Streams wraps it with its change-logging and metering layers
 * (see {@link #supplier}). Reads from query threads and writes from the stream thread may run
 * concurrently; closing waits for running operations and closes open iterators.
 *
 * <p>Writes skip RocksDB's write-ahead log, as Kafka Streams' own stores do: the changelog topic is
 * the durable copy, and Kafka Streams replays it from the last checkpoint after a crash. For the
 * same reason, puts are collected in a write batch of up to {@value #BATCH} entries that is written
 * before any read (from any thread), on {@link #flush()} and on {@link #close()}: a crash loses the
 * batch exactly as it loses RocksDB's memtable, and readers never see a stale store.
 */
public final class RocksKeyValueStore
    implements KeyValueStore<Bytes, byte[]>, BatchingStateRestoreCallback, AutoCloseable {

  /** The RocksDB settings of every memory store, shared with the raw-put benchmark baseline. */
  public static final class Settings implements AutoCloseable {
    private final LRUCache cache;
    private final BloomFilter filter;
    private final Options options;
    private final WriteOptions writeOptions;

    /**
     * Settings with a block cache of {@code cacheBytes} and a write buffer of {@code bufferBytes}.
     */
    public Settings(long cacheBytes, long bufferBytes) {
      RocksDB.loadLibrary();
      cache = new LRUCache(cacheBytes);
      filter = new BloomFilter(10);
      BlockBasedTableConfig table = new BlockBasedTableConfig();
      table.setBlockCache(cache);
      table.setBlockSize(16 * 1024);
      table.setFilterPolicy(filter);
      options =
          new Options()
              .setCreateIfMissing(true)
              .setErrorIfExists(false)
              .setTableFormatConfig(table)
              .setWriteBufferSize(bufferBytes)
              .setMaxWriteBufferNumber(3)
              .setCompressionType(CompressionType.LZ4_COMPRESSION)
              .setMaxBackgroundJobs(2)
              .setKeepLogFileNum(2);
      writeOptions = new WriteOptions().setDisableWAL(true);
    }

    /** The default settings: 16 MiB block cache, 16 MiB write buffer. */
    public static Settings defaults() {
      return new Settings(16L << 20, 16L << 20);
    }

    public Options options() {
      return options;
    }

    public WriteOptions writeOptions() {
      return writeOptions;
    }

    @Override
    public void close() {
      writeOptions.close();
      options.close();
      filter.close();
      cache.close();
    }
  }

  private static final java.util.function.BiConsumer<String, Exception> LOG_CLOSE_FAILURE =
      (store, e) ->
          org.slf4j.LoggerFactory.getLogger(RocksKeyValueStore.class)
              .warn("Store {}: writing the last batch on close failed: {}", store, e.toString());

  /** Puts collected before one RocksDB write. */
  static final int BATCH = 256;

  private final String name;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Set<Iter> openIterators = ConcurrentHashMap.newKeySet();
  private final Object batchLock = new Object();
  private WriteBatch pending;
  private int pendingCount;
  private volatile boolean open;
  private Settings settings;
  private RocksDB db;
  private File dir;
  private StateStoreContext context;
  private Position position = Position.emptyPosition();

  public RocksKeyValueStore(String name) {
    this.name = name;
  }

  /** A supplier of these stores for {@code Stores.keyValueStoreBuilder}. */
  public static KeyValueBytesStoreSupplier supplier(String name) {
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return new RocksKeyValueStore(name);
      }

      @Override
      public String metricsScope() {
        return "foresight-rocksdb";
      }
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext stateStoreContext, StateStore root) {
    this.context = stateStoreContext;
    openAt(new File(new File(stateStoreContext.stateDir(), "rocksdb"), name));
    stateStoreContext.register(root, this);
  }

  /** Opens the store in {@code directory} outside Kafka Streams (benchmarks, tools, tests). */
  public RocksKeyValueStore openAt(File directory) {
    this.dir = directory;
    settings = Settings.defaults();
    try {
      Files.createDirectories(directory.toPath());
      db = RocksDB.open(settings.options(), directory.getAbsolutePath());
    } catch (IOException | RocksDBException e) {
      settings.close();
      throw new ProcessorStateException(
          "Error opening store " + name + " at location " + directory + ": " + e.getMessage(), e);
    }
    open = true;
    return this;
  }

  @Override
  public void restoreAll(Collection<KeyValue<byte[], byte[]>> records) {
    try (WriteBatch batch = new WriteBatch()) {
      for (KeyValue<byte[], byte[]> r : records) {
        if (r.value == null) {
          batch.delete(r.key);
        } else {
          batch.put(r.key, r.value);
        }
      }
      write(batch);
    } catch (RocksDBException e) {
      throw new ProcessorStateException("Error restoring store " + name + " at " + dir, e);
    }
  }

  @Override
  public void put(Bytes key, byte[] value) {
    ReentrantReadWriteLock.ReadLock r = readLock();
    try {
      synchronized (batchLock) {
        if (pending == null) {
          pending = new WriteBatch();
        }
        if (value == null) {
          pending.delete(key.get());
        } else {
          pending.put(key.get(), value);
        }
        if (++pendingCount >= BATCH) {
          writePending();
        }
      }
      trackPosition();
    } catch (RocksDBException e) {
      throw new ProcessorStateException("Error writing to store " + name + " at " + dir, e);
    } finally {
      r.unlock();
    }
  }

  /** Writes the collected puts; callers hold the read lock. */
  private void writePending() throws RocksDBException {
    synchronized (batchLock) {
      if (pendingCount > 0) {
        db.write(settings.writeOptions(), pending);
        pending.clear();
        pendingCount = 0;
      }
    }
  }

  /** Takes the read lock and writes the collected puts, so that a read sees every write. */
  private ReentrantReadWriteLock.ReadLock readLockFlushed() {
    ReentrantReadWriteLock.ReadLock r = readLock();
    try {
      writePending();
    } catch (RocksDBException e) {
      r.unlock();
      throw new ProcessorStateException("Error writing to store " + name + " at " + dir, e);
    }
    return r;
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] old = get(key);
    if (old == null) {
      put(key, value);
    }
    return old;
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    try (WriteBatch batch = new WriteBatch()) {
      for (KeyValue<Bytes, byte[]> e : entries) {
        if (e.value == null) {
          batch.delete(e.key.get());
        } else {
          batch.put(e.key.get(), e.value);
        }
      }
      ReentrantReadWriteLock.ReadLock r = readLockFlushed();
      try {
        db.write(settings.writeOptions(), batch);
        trackPosition();
      } finally {
        r.unlock();
      }
    } catch (RocksDBException e) {
      throw new ProcessorStateException("Error writing to store " + name + " at " + dir, e);
    }
  }

  private void write(WriteBatch batch) throws RocksDBException {
    ReentrantReadWriteLock.ReadLock r = readLockFlushed();
    try {
      db.write(settings.writeOptions(), batch);
    } finally {
      r.unlock();
    }
  }

  @Override
  public byte[] delete(Bytes key) {
    byte[] old = get(key);
    if (old != null) {
      put(key, null);
    }
    return old;
  }

  @Override
  public byte[] get(Bytes key) {
    ReentrantReadWriteLock.ReadLock r = readLockFlushed();
    try {
      return db.get(key.get());
    } catch (RocksDBException e) {
      throw new ProcessorStateException("Error reading from store " + name + " at " + dir, e);
    } finally {
      r.unlock();
    }
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return new Iter(from == null ? null : from.get(), to == null ? null : to.get(), false);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return new Iter(from == null ? null : from.get(), to == null ? null : to.get(), true);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return new Iter(null, null, false);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return new Iter(null, null, true);
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(
      P prefix, PS prefixKeySerializer) {
    byte[] p = prefixKeySerializer.serialize(null, prefix);
    return new Iter(p, KeyLayout.prefixEnd(p), false, true);
  }

  @Override
  public long approximateNumEntries() {
    ReentrantReadWriteLock.ReadLock r = readLockFlushed();
    try {
      return db.getLongProperty("rocksdb.estimate-num-keys");
    } catch (RocksDBException e) {
      throw new ProcessorStateException("Error reading from store " + name + " at " + dir, e);
    } finally {
      r.unlock();
    }
  }

  @Override
  public void flush() {
    ReentrantReadWriteLock.ReadLock r = readLockFlushed();
    try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
      db.flush(f);
    } catch (RocksDBException e) {
      throw new ProcessorStateException("Error flushing store " + name + " at " + dir, e);
    } finally {
      r.unlock();
    }
  }

  @Override
  public void close() {
    ReentrantReadWriteLock.WriteLock w = lock.writeLock();
    w.lock();
    try {
      if (!open) {
        return;
      }
      try {
        writePending();
      } catch (RocksDBException e) {
        LOG_CLOSE_FAILURE.accept(name, e);
      }
      open = false;
      synchronized (batchLock) {
        if (pending != null) {
          pending.close();
          pending = null;
        }
      }
      for (Iter it : new ArrayList<>(openIterators)) {
        it.closeNative();
      }
      openIterators.clear();
      db.close();
      settings.close();
    } finally {
      w.unlock();
    }
  }

  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Position getPosition() {
    return position;
  }

  private void trackPosition() {
    if (context != null) {
      context
          .recordMetadata()
          .filter(m -> m.topic() != null)
          .ifPresent(m -> position = position.withComponent(m.topic(), m.partition(), m.offset()));
    }
  }

  private ReentrantReadWriteLock.ReadLock readLock() {
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    if (!open) {
      r.unlock();
      throw new InvalidStateStoreException("Store " + name + " is currently closed");
    }
    return r;
  }

  /** A bounded iterator over the store; {@code to} is inclusive, as Kafka Streams' ranges are. */
  private final class Iter implements KeyValueIterator<Bytes, byte[]> {
    private final byte[] from;
    private final byte[] to;
    private final boolean reverse;
    private final boolean toExclusive;
    private RocksIterator it;
    private KeyValue<Bytes, byte[]> next;
    private boolean closed;

    Iter(byte[] from, byte[] to, boolean reverse) {
      this(from, to, reverse, false);
    }

    Iter(byte[] from, byte[] to, boolean reverse, boolean toExclusive) {
      this.from = from;
      this.to = to;
      this.reverse = reverse;
      this.toExclusive = toExclusive;
      ReentrantReadWriteLock.ReadLock r = readLockFlushed();
      try {
        it = db.newIterator();
        openIterators.add(this);
        if (reverse) {
          if (to == null) {
            it.seekToLast();
          } else {
            it.seekForPrev(to);
            if (toExclusive && it.isValid() && compare(it.key(), to) == 0) {
              it.prev();
            }
          }
        } else if (from == null) {
          it.seekToFirst();
        } else {
          it.seek(from);
        }
        advance();
      } finally {
        r.unlock();
      }
    }

    private void advance() {
      next = null;
      if (!it.isValid()) {
        return;
      }
      byte[] key = it.key();
      if (reverse ? (from != null && compare(key, from) < 0) : beyondTo(key)) {
        return;
      }
      next = KeyValue.pair(Bytes.wrap(key), it.value());
    }

    private boolean beyondTo(byte[] key) {
      if (to == null) {
        return false;
      }
      int c = compare(key, to);
      return toExclusive ? c >= 0 : c > 0;
    }

    @Override
    public boolean hasNext() {
      if (closed) {
        throw new InvalidStateStoreException("RocksDB iterator of store " + name + " is closed");
      }
      return next != null;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      KeyValue<Bytes, byte[]> out = next;
      ReentrantReadWriteLock.ReadLock r = readLock();
      try {
        if (closed) {
          throw new InvalidStateStoreException("RocksDB iterator of store " + name + " is closed");
        }
        if (reverse) {
          it.prev();
        } else {
          it.next();
        }
        advance();
      } finally {
        r.unlock();
      }
      return out;
    }

    @Override
    public Bytes peekNextKey() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return next.key;
    }

    @Override
    public void close() {
      openIterators.remove(this);
      ReentrantReadWriteLock.ReadLock r = lock.readLock();
      r.lock();
      try {
        closeNative();
      } finally {
        r.unlock();
      }
    }

    void closeNative() {
      if (!closed) {
        closed = true;
        it.close();
      }
    }
  }

  private static int compare(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }
}
