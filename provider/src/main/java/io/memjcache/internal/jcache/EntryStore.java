package io.memjcache.internal.jcache;

import io.memjcache.internal.client.BatchResult;
import io.memjcache.internal.client.DeleteResult;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreMode;
import io.memjcache.internal.client.StoreResult;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.jcache.store.CorruptEntryException;
import io.memjcache.internal.jcache.store.ExpiryMath;
import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.internal.jcache.store.KeyIndexFormat;
import io.memjcache.internal.jcache.store.KeyCodec.Generation;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.internal.transport.ValueTooLargeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.CacheException;

/**
 * One cache's entries in memcached, as serialized keys and values: envelopes, the generation
 * namespace, and the key index that makes iteration possible. Knows nothing of JCache semantics;
 * {@link MemcachedCache} builds those on the conditional writes offered here.
 *
 * <p>Key index: each entry written where none was present appends a record to one of a fixed set
 * of segment items (chosen by key hash), with memcached's atomic APPEND, so any client can list
 * the cache. Segments are compacted (dead records dropped, with a CAS write) after every
 * {@link #COMPACT_EVERY} appends a client makes to a segment, or when a segment outgrows the item
 * size limit. A lost segment (evicted) only hides entries from iteration; {@code clear()} never
 * relies on the index.
 */
final class EntryStore {
  private static final System.Logger LOG = System.getLogger(EntryStore.class.getName());
  static final int COMPACT_EVERY = 1024;
  /** Item overhead memcached adds to key and value (header, CAS, suffix), rounded up. */
  private static final int ITEM_OVERHEAD = 64;

  private final MemcachedClient client;
  private final String cacheName;
  private final KeyCodec keys;
  private final Namespace namespace;
  private final int segments;
  private final AtomicInteger[] appendsSinceCompaction;
  private final LongAdder rejected = new LongAdder();
  private final EntryCodec codec;

  EntryStore(MemcachedClient client, String cacheName, ManagerSettings settings, EntryCodec codec, long refreshMillis) {
    this.codec = codec;
    this.client = client;
    this.cacheName = cacheName;
    this.keys = KeyCodec.forCache(cacheName);
    this.namespace = new Namespace(client, keys.generationKey(), refreshMillis);
    this.segments = settings.indexSegments();
    this.appendsSinceCompaction = new AtomicInteger[segments];
    for (int i = 0; i < segments; i++) {
      appendsSinceCompaction[i] = new AtomicInteger();
    }
  }

  private volatile Generation generation;

  /** The key builder for the current generation, rebuilt only when the generation changes. */
  private Generation generation() {
    long current = namespace.current();
    Generation g = generation;
    if (g == null || g.generation() != current) {
      g = keys.generation(current);
      generation = g;
    }
    return g;
  }

  /** Counts an entry that the cache could not decode. */
  void recordRejected() {
    rejected.increment();
  }

  /** Entries found corrupt, foreign or colliding, which were treated as misses. */
  long rejectedCount() {
    return rejected.sum();
  }

  // ---------------------------------------------------------------- reads

  Slot read(byte[] skey) {
    byte[] id = codec.id(skey);
    byte[] mkey = generation().entryKey(id);
    Slot slot;
    if (codec.decodesInPlace()) {
      slot = Awaits.await(client.get(mkey, (index, hit) -> hit(id, skey, mkey, hit)));
    } else {
      Item item = Awaits.await(client.get(mkey));
      slot = item == null ? null : stored(id, skey, mkey, item);
    }
    return slot != null ? slot : new Slot(id, skey, mkey, 0L, null, 0L);
  }

  Slot[] readAll(byte[][] skeys) {
    byte[][] ids = new byte[skeys.length][];
    for (int i = 0; i < skeys.length; i++) {
      ids[i] = codec.id(skeys[i]);
    }
    return readIds(ids, skeys);
  }

  /** Reads entries by id (from the key index); each slot's serialized key comes from its entry. */
  Slot[] readIndexed(byte[][] ids) {
    return readIds(ids, null);
  }

  private Slot[] readIds(byte[][] ids, byte[][] skeys) {
    Generation generation = generation();
    byte[][] mkeys = new byte[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      mkeys[i] = generation.entryKey(ids[i]);
    }
    Slot[] slots = new Slot[ids.length];
    if (codec.decodesInPlace()) {
      Awaits.await(client.getAll(mkeys, slots,
          (index, hit) -> hit(ids[index], skeys == null ? null : skeys[index], mkeys[index], hit)));
    } else {
      Item[] items = Awaits.await(client.getAll(mkeys));
      for (int i = 0; i < ids.length; i++) {
        if (items[i] != null) {
          slots[i] = stored(ids[i], skeys == null ? null : skeys[i], mkeys[i], items[i]);
        }
      }
    }
    for (int i = 0; i < ids.length; i++) {
      if (slots[i] == null) {
        slots[i] = new Slot(ids[i], skeys == null ? null : skeys[i], mkeys[i], 0L, null, 0L);
      }
    }
    return slots;
  }

  /** A hit decoded on the I/O thread, straight from the receive buffer. */
  private Slot hit(byte[] id, byte[] skey, byte[] mkey, Response hit) {
    try {
      return slot(id, skey, mkey, hit.cas(), codec.decode(id, hit));
    } catch (CorruptEntryException e) {
      return unreadable(id, skey, mkey, hit.cas(), e);
    }
  }

  /** Stored bytes decoded on the caller's thread. */
  private Slot stored(byte[] id, byte[] skey, byte[] mkey, Item item) {
    try {
      return slot(id, skey, mkey, item.cas(), codec.decode(id, item.value()));
    } catch (CorruptEntryException e) {
      return unreadable(id, skey, mkey, item.cas(), e);
    }
  }

  private static Slot slot(byte[] id, byte[] skey, byte[] mkey, long cas, EntryCodec.Decoded decoded)
      throws CorruptEntryException {
    if (skey != null && !Arrays.equals(decoded.serializedKey(), skey)) {
      throw new CorruptEntryException("the entry belongs to another key");
    }
    return new Slot(id, decoded.serializedKey(), mkey, cas, decoded.serializedValue(), decoded.expiresAt());
  }

  private Slot unreadable(byte[] id, byte[] skey, byte[] mkey, long cas, CorruptEntryException e) {
    rejected.increment();
    LOG.log(System.Logger.Level.DEBUG, "ignoring an unreadable entry in cache " + cacheName + ": " + e.getMessage());
    return new Slot(id, skey, mkey, cas, null, 0L);
  }

  // ---------------------------------------------------------------- writes

  /**
   * Writes a value if the item is still as {@code current} saw it: ADD when there was no item, a
   * CAS write otherwise. False if another client changed the item first.
   */
  boolean write(Slot current, byte[] value, long expiresAt) {
    byte[] envelope = envelope(current.id, current.serializedKey, value, expiresAt, current.memcachedKey);
    int exptime = ExpiryMath.serverExptime(expiresAt, System.currentTimeMillis());
    StoreResult result = current.cas == 0
        ? Awaits.await(client.store(StoreMode.ADD, current.memcachedKey, envelope, 0, exptime, 0L))
        : Awaits.await(client.store(StoreMode.SET, current.memcachedKey, envelope, 0, exptime, current.cas));
    if (!result.stored()) {
      return false;
    }
    if (current.value == null) {
      index(current.id);
    }
    return true;
  }

  /** An unconditional write, indexed in the same round trip. */
  void put(byte[] skey, byte[] value, long expiresAt) {
    Generation generation = generation();
    byte[] id = codec.id(skey);
    byte[] mkey = generation.entryKey(id);
    byte[] envelope = envelope(id, skey, value, expiresAt, mkey);
    int exptime = ExpiryMath.serverExptime(expiresAt, System.currentTimeMillis());
    CompletableFuture<StoreResult> stored = client.set(mkey, envelope, 0, exptime);
    CompletableFuture<Void> indexed = indexAsync(generation, id);
    Awaits.await(stored);
    awaitIndex(indexed);
  }

  /** Unconditional writes of many entries: quiet SETs per node plus one append per segment. */
  void putAll(byte[][] skeys, byte[][] values, long expiresAt) {
    if (skeys.length == 0) {
      return;
    }
    Generation generation = generation();
    int exptime = ExpiryMath.serverExptime(expiresAt, System.currentTimeMillis());
    byte[][] ids = new byte[skeys.length][];
    byte[][] mkeys = new byte[skeys.length][];
    byte[][] envelopes = new byte[skeys.length][];
    for (int i = 0; i < skeys.length; i++) {
      ids[i] = codec.id(skeys[i]);
      mkeys[i] = generation.entryKey(ids[i]);
      envelopes[i] = envelope(ids[i], skeys[i], values[i], expiresAt, mkeys[i]);
    }
    int[] flags = new int[skeys.length];
    int[] exptimes = new int[skeys.length];
    Arrays.fill(exptimes, exptime);
    CompletableFuture<BatchResult> stored = client.storeAll(StoreMode.SET, mkeys, envelopes, flags, exptimes);
    List<CompletableFuture<Void>> indexed = new ArrayList<>();
    List<List<byte[]>> bySegment = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      bySegment.add(new ArrayList<>());
    }
    for (byte[] id : ids) {
      bySegment.get(KeyCodec.segmentFor(id, segments)).add(id);
    }
    for (int s = 0; s < segments; s++) {
      if (!bySegment.get(s).isEmpty()) {
        indexed.add(appendRecords(generation, s, KeyIndexFormat.addRecords(bySegment.get(s)), bySegment.get(s).size()));
      }
    }
    MemcachedException error = Awaits.await(stored).firstError();
    for (CompletableFuture<Void> f : indexed) {
      awaitIndex(f);
    }
    if (error != null) {
      throw error;
    }
  }

  /** Removes the item if it is still as {@code current} saw it. False if it changed or vanished. */
  boolean delete(Slot current) {
    if (current.cas == 0) {
      return false;
    }
    return Awaits.await(client.delete(current.memcachedKey, current.cas)) == DeleteResult.DELETED;
  }

  /** clear(): a new generation, so every entry of the old one is unreachable for every client. */
  void clear() {
    namespace.advance();
  }

  /** destroyCache(): the data goes for every client. */
  void destroy() {
    namespace.advance();
  }

  private byte[] envelope(byte[] id, byte[] skey, byte[] value, long expiresAt, byte[] mkey) {
    if (id.length > KeyIndexFormat.MAX_KEY_LENGTH) {
      // refused before anything is stored: such a key could not be listed for iteration
      throw new CacheException("a serialized key of " + id.length + " bytes is longer than memjcache's limit of "
          + KeyIndexFormat.MAX_KEY_LENGTH + " bytes");
    }
    byte[] envelope = codec.encode(id, skey, value, expiresAt);
    Node node = client.nodeFor(mkey);
    long limit = node.itemSizeLimit();
    if (limit < 0) {
      Awaits.await(node.connection()); // learn the node's item size limit before the first write
      limit = node.itemSizeLimit();
    }
    if (limit > 0 && envelope.length + mkey.length + ITEM_OVERHEAD > limit) {
      // refused before sending: memcached would also drop the entry's current value
      throw new CacheException(new ValueTooLargeException(node.name(), envelope.length, limit).getMessage());
    }
    return envelope;
  }

  // ---------------------------------------------------------------- key index

  private void index(byte[] id) {
    awaitIndex(indexAsync(generation(), id));
  }

  private CompletableFuture<Void> indexAsync(Generation generation, byte[] id) {
    int segment = KeyCodec.segmentFor(id, segments);
    return appendRecords(generation, segment, KeyIndexFormat.addRecord(id), 1);
  }

  private CompletableFuture<Void> appendRecords(Generation generation, int segment, byte[] records, int count) {
    byte[] segmentKey = generation.indexSegmentKey(segment);
    CompletableFuture<Void> done = client.concat(true, segmentKey, records).thenCompose(appended -> {
      if (appended) {
        return CompletableFuture.completedFuture(null);
      }
      return client.add(segmentKey, records, 0, 0).thenCompose(added -> added.stored()
          ? CompletableFuture.completedFuture(null)
          : client.concat(true, segmentKey, records).thenApply(again -> null));
    });
    if (appendsSinceCompaction[segment].addAndGet(count) >= COMPACT_EVERY) {
      appendsSinceCompaction[segment].set(0);
      done.thenRun(() -> compactLater(generation, segment));
    }
    return done.exceptionallyCompose(error -> {
      if (MemcachedClient.unwrap(error) instanceof ValueTooLargeException) {
        compactLater(generation, segment); // the segment outgrew the item size limit
      }
      return CompletableFuture.failedFuture(error);
    });
  }

  private void awaitIndex(CompletableFuture<Void> indexed) {
    try {
      Awaits.await(indexed);
    } catch (CacheException e) {
      if (!(e.getCause() instanceof ValueTooLargeException)) {
        throw e;
      }
      LOG.log(System.Logger.Level.WARNING, "key index segment of cache " + cacheName
          + " is full; new entries may not be visible to iteration until it is compacted");
    }
  }

  private void compactLater(Generation generation, int segment) {
    java.util.concurrent.ForkJoinPool.commonPool().execute(() -> {
      try {
        compact(generation, segment);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "compaction of an index segment of cache " + cacheName + " failed: " + e);
      }
    });
  }

  /** Rewrites a segment with only the keys whose entries still exist; gives up on a CAS race. */
  void compact(Generation generation, int segment) {
    byte[] segmentKey = generation.indexSegmentKey(segment);
    Item item = Awaits.await(client.get(segmentKey));
    if (item == null) {
      return;
    }
    List<byte[]> ids = KeyIndexFormat.replay(item.value()).liveKeys();
    Slot[] slots = readIndexed(ids.toArray(new byte[0][]));
    long now = System.currentTimeMillis();
    List<byte[]> live = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.present(now)) {
        live.add(slot.id);
      }
    }
    byte[] compacted = KeyIndexFormat.addRecords(live);
    byte[] base = item.value();
    long cas = item.cas();
    for (int attempt = 0; attempt < 16; attempt++) {
      if (Awaits.await(client.store(StoreMode.SET, segmentKey, compacted, 0, 0, cas)).stored()) {
        return;
      }
      // Lost a race with an APPEND (the usual case under load): APPEND only extends the item, so
      // keep the records added since the snapshot and try again with the new CAS token.
      Item latest = Awaits.await(client.get(segmentKey));
      if (latest == null || latest.value().length < base.length
          || !Arrays.equals(latest.value(), 0, base.length, base, 0, base.length)) {
        return; // evicted, or another client compacted it
      }
      byte[] merged = Arrays.copyOf(compacted, compacted.length + latest.value().length - base.length);
      System.arraycopy(latest.value(), base.length, merged, compacted.length, latest.value().length - base.length);
      compacted = merged;
      base = latest.value();
      cas = latest.cas();
    }
  }

  /** Every id the index lists (possibly including removed ones; readers check). */
  List<byte[]> indexedIds() {
    Generation generation = generation();
    byte[][] segmentKeys = new byte[segments][];
    for (int s = 0; s < segments; s++) {
      segmentKeys[s] = generation.indexSegmentKey(s);
    }
    Item[] items = Awaits.await(client.getAll(segmentKeys));
    List<byte[]> keys = new ArrayList<>();
    for (Item item : items) {
      if (item != null) {
        keys.addAll(KeyIndexFormat.replay(item.value()).liveKeys());
      }
    }
    return keys;
  }
}
