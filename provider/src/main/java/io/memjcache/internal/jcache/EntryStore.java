package io.memjcache.internal.jcache;

import io.memjcache.internal.client.BatchResult;
import io.memjcache.internal.client.DeleteResult;
import io.memjcache.internal.client.HitReader;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreMode;
import io.memjcache.internal.client.StoreResult;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.jcache.store.ByteArrayKey;
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
import java.util.concurrent.atomic.LongAdder;
import javax.cache.CacheException;

/**
 * One cache's entries in memcached, as serialized keys and values: envelopes, the generation
 * namespace, and the {@link KeyIndex} that makes iteration possible. Knows nothing of JCache
 * semantics; {@link MemcachedCache} builds those on the conditional writes offered here.
 *
 * <p>Overwrites of existing entries append no index record: unconditional writes use REPLACE and
 * only fall back to SET plus a record when there was no entry. That is safe across clients because
 * a record is appended only after its entry is stored, and compaction drops only keys whose items
 * do not exist in memcached.
 */
final class EntryStore {
  private static final System.Logger LOG = System.getLogger(EntryStore.class.getName());
  /** Item overhead memcached adds to key and value (header, CAS, suffix), rounded up. */
  private static final int ITEM_OVERHEAD = 64;

  private final MemcachedClient client;
  private final String cacheName;
  private final KeyCodec keys;
  private final Namespace namespace;
  private final KeyIndex index;
  /** Entries this JVM last saw present: decides whether a put starts with REPLACE or SET. */
  private final PresenceHint presence = new PresenceHint();
  private final LongAdder rejected = new LongAdder();
  private final EntryCodec codec;
  /**
   * What {@link #undo} takes for a change that deleted the item. Never a real CAS: memcached's
   * counter starts at 1 and counts up by one per change.
   */
  static final long DELETED = -1L;

  EntryStore(MemcachedClient client, String cacheName, ManagerSettings settings, EntryCodec codec, long refreshMillis) {
    this.codec = codec;
    this.client = client;
    this.cacheName = cacheName;
    this.keys = KeyCodec.forCache(cacheName);
    this.namespace = new Namespace(client, keys.generationKey(), refreshMillis);
    this.index = new KeyIndex(client, cacheName, settings.indexSegments(), this::generation);
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
    codec.beforeRead();
    return readDone(id, skey, mkey, Awaits.await(client.get(mkey, (index, hit) -> hit(id, skey, mkey, null, hit))));
  }

  /**
   * {@link #read} without waiting. The future completes on the I/O thread with the hit's slot or null for a miss (or
   * with a client error); {@link #finish} turns that into the slot {@link #read} returns.
   */
  PendingRead readAsync(byte[] skey) {
    byte[] id = codec.id(skey);
    byte[] mkey = generation().entryKey(id);
    codec.beforeRead();
    return new PendingRead(id, skey, mkey, client.get(mkey, (index, hit) -> hit(id, skey, mkey, null, hit)));
  }

  /** A read started by {@link #readAsync}. */
  record PendingRead(byte[] id, byte[] skey, byte[] mkey, CompletableFuture<Slot> hit) {}

  /** The slot of a started read whose future completed with {@code hit} (null for a miss). */
  Slot finish(PendingRead read, Slot hit) {
    return readDone(read.id(), read.skey(), read.mkey(), hit);
  }

  private Slot readDone(byte[] id, byte[] skey, byte[] mkey, Slot slot) {
    if (slot != null) {
      presence.present(id);
      return slot;
    }
    presence.absent(id);
    return new Slot(id, skey, mkey, null, 0L, null, 0L);
  }

  Slot[] readAll(byte[][] skeys) {
    return readIds(ids(skeys), skeys);
  }

  /** {@link #readAll} without waiting: completes on the I/O thread, exceptionally with a {@link CacheException}. */
  CompletableFuture<Slot[]> readAllAsync(byte[][] skeys) {
    byte[][] ids = ids(skeys);
    Generation generation = generation();
    byte[][] mkeys = hashedKeys(generation, ids);
    Slot[] slots = new Slot[ids.length];
    codec.beforeRead();
    return Awaits.mapped(readInPlace(generation, ids, skeys, mkeys, slots))
        .thenApply(read -> readAllDone(generation, ids, skeys, mkeys, read));
  }

  private byte[][] ids(byte[][] skeys) {
    byte[][] ids = new byte[skeys.length][];
    for (int i = 0; i < skeys.length; i++) {
      ids[i] = codec.id(skeys[i]);
    }
    return ids;
  }

  /** Reads entries by id (from the key index); each slot's serialized key comes from its entry. */
  Slot[] readIndexed(byte[][] ids) {
    return readIds(ids, null);
  }

  private Slot[] readIds(byte[][] ids, byte[][] skeys) {
    Generation generation = generation();
    byte[][] mkeys = hashedKeys(generation, ids);
    codec.beforeRead();
    Slot[] slots = new Slot[ids.length];
    Awaits.await(readInPlace(generation, ids, skeys, mkeys, slots));
    return readAllDone(generation, ids, skeys, mkeys, slots);
  }

  /**
   * The memcached keys of {@code ids} when one of them must be hashed; null when each is the
   * generation's prefix followed by the id, which reads send without joining them.
   */
  private static byte[][] hashedKeys(Generation generation, byte[][] ids) {
    for (byte[] id : ids) {
      if (generation.isHashed(id.length)) {
        byte[][] mkeys = new byte[ids.length][];
        for (int i = 0; i < ids.length; i++) {
          mkeys[i] = generation.entryKey(ids[i]);
        }
        return mkeys;
      }
    }
    return null;
  }

  /**
   * One multi-key read of the entries of {@code ids}, each hit decoded into {@code slots} on the
   * I/O thread: prefix and id unjoined unless keys were hashed.
   */
  private CompletableFuture<Slot[]> readInPlace(Generation generation, byte[][] ids, byte[][] skeys, byte[][] mkeys,
      Slot[] slots) {
    HitReader<Slot> reader = (index, hit) ->
        hit(ids[index], skeys == null ? null : skeys[index], mkeys == null ? null : mkeys[index], generation, hit);
    return mkeys == null
        ? client.getAll(generation.entryPrefix(), ids, slots, reader)
        : client.getAll(mkeys, slots, reader);
  }

  private Slot[] readAllDone(Generation generation, byte[][] ids, byte[][] skeys, byte[][] mkeys, Slot[] slots) {
    for (int i = 0; i < ids.length; i++) {
      if (slots[i] == null) {
        presence.absent(ids[i]);
        slots[i] = new Slot(ids[i], skeys == null ? null : skeys[i], mkeys == null ? null : mkeys[i], generation, 0L,
            null, 0L);
      } else {
        presence.present(ids[i]);
      }
    }
    return slots;
  }

  /** A hit decoded on the I/O thread, straight from the receive buffer. */
  private Slot hit(byte[] id, byte[] skey, byte[] mkey, Generation generation, Response hit) {
    try {
      return slot(id, skey, mkey, generation, hit.cas(), codec.decode(id, hit));
    } catch (CorruptEntryException e) {
      return unreadable(id, skey, mkey, generation, hit.cas(), e);
    }
  }

  private static Slot slot(byte[] id, byte[] skey, byte[] mkey, Generation generation, long cas,
      EntryCodec.Decoded decoded)
      throws CorruptEntryException {
    if (skey != null && !Arrays.equals(decoded.serializedKey(), skey)) {
      throw new CorruptEntryException("the entry belongs to another key");
    }
    return new Slot(id, decoded.serializedKey(), mkey, generation, cas, decoded.serializedValue(), decoded.expiresAt());
  }

  private Slot unreadable(byte[] id, byte[] skey, byte[] mkey, Generation generation, long cas, CorruptEntryException e) {
    rejected.increment();
    LOG.log(System.Logger.Level.DEBUG, "ignoring an unreadable entry in cache " + cacheName + ": " + e.getMessage());
    return new Slot(id, skey, mkey, generation, cas, null, 0L);
  }

  // ---------------------------------------------------------------- writes

  /**
   * Writes a value if the item is still as {@code current} saw it: ADD when there was no item, a
   * CAS write otherwise. False if another client changed the item first.
   */
  boolean write(Slot current, byte[] value, long expiresAt) {
    return writeCas(current, value, expiresAt) != 0;
  }

  /** {@link #write}, returning the CAS of the item it stored, or 0 if another client changed it first. */
  long writeCas(Slot current, byte[] value, long expiresAt) {
    byte[] envelope = envelope(current.id, current.serializedKey, value, expiresAt, current.memcachedKey());
    int exptime = ExpiryMath.serverExptime(expiresAt, System.currentTimeMillis());
    StoreResult result = current.cas == 0
        ? Awaits.await(client.store(StoreMode.ADD, current.memcachedKey(), envelope, 0, exptime, 0L))
        : Awaits.await(client.store(StoreMode.SET, current.memcachedKey(), envelope, 0, exptime, current.cas));
    if (!result.stored()) {
      presence.absent(current.id);
      return 0;
    }
    if (current.value == null || index.reindexOnWrite(current.id) || index.isUnrecorded(current.id)) {
      // Only once the record is appended: a JVM that believes an entry present overwrites it with
      // REPLACE and no record, so a failed append here must leave the next put to SET and index it.
      presence.absent(current.id);
      if (!recordAfterCommit(current.id)) {
        return result.cas(); // stored, not listed: the next put of this key appends again
      }
    }
    presence.present(current.id);
    return result.cas();
  }

  /**
   * Appends the record of an entry whose conditional write has committed. The write stands if the
   * append fails (its segment full, or its server unreachable): the caller goes on to write through
   * and report it, and the entry is only missing from iteration until this JVM writes it again.
   */
  private boolean recordAfterCommit(byte[] id) {
    try {
      return index.add(id);
    } catch (CacheException e) {
      LOG.log(System.Logger.Level.WARNING, "an entry of cache " + cacheName + " is stored, but its key-index"
          + " record could not be written (" + e.getMessage() + "); iteration misses it until it is written again");
      return false;
    }
  }

  /**
   * Undoes a change this JVM committed to an entry and its CacheWriter then refused: puts back the
   * state {@code before} read, if the item is still as the change left it ({@code cas}, or {@link
   * #DELETED} when the change removed it). A change another client made since is later than ours
   * and stays. An unreadable item that the change replaced is not brought back.
   */
  void undo(Slot before, long cas) {
    long now = System.currentTimeMillis();
    if (!before.present(now)) {
      if (cas != DELETED) {
        delete(before.withState(cas, null, 0L));
      }
    } else if (cas == DELETED) {
      write(before.withState(0L, null, 0L), before.value, before.expiresAt); // ADD, and its index record
    } else {
      write(before.withState(cas, before.value, before.expiresAt), before.value, before.expiresAt);
    }
  }

  /**
   * An unconditional write. An entry that exists is overwritten with REPLACE, one operation and no
   * index record: whoever created it indexed it. Only when REPLACE finds no item is this a creation:
   * SET, then (only then) the {@code +key} record, so that a compaction can never see the record
   * without seeing the entry. See {@link #checkSegment} for the index's repair after a loss.
   *
   * <p>REPLACE is tried only for entries this JVM last saw present ({@link PresenceHint}); any other
   * put goes straight to SET and the record (two round trips, not three for a creation). A record
   * for an entry that existed after all is a duplicate, which compaction removes.
   */
  void put(byte[] skey, byte[] value, long expiresAt) {
    Generation generation = generation();
    byte[] id = codec.id(skey);
    byte[] mkey = generation.entryKey(id);
    byte[] envelope = envelope(id, skey, value, expiresAt, mkey);
    int exptime = ExpiryMath.serverExptime(expiresAt, System.currentTimeMillis());
    int segment = index.segmentOf(id);
    if (presence.probablyPresent(id) && !index.isUnrecorded(id)) {
      CompletableFuture<Boolean> segmentPresent = index.checkSegment(generation, segment);
      StoreResult replaced = Awaits.await(client.replace(mkey, envelope, 0, exptime));
      if (replaced.stored()) {
        if (index.needsRepair(segment, segmentPresent) && index.reindexOnce(id)) {
          index.await(index.append(generation, segment, List.of(id)));
        } else {
          index.awaitCreation(id);
        }
        return;
      }
    }
    CompletableFuture<Void> created = new CompletableFuture<>();
    List<ByteArrayKey> pending = index.beginCreations(List.of(id), created);
    try {
      Awaits.await(client.set(mkey, envelope, 0, exptime));
      if (index.await(index.append(generation, segment, List.of(id)))) {
        presence.present(id);
      }
    } finally {
      index.endCreations(pending, created);
    }
  }

  /**
   * Unconditional writes of many entries: quiet REPLACEs per node; then quiet SETs of the keys that
   * had no entry, and once they are stored, one append per segment of their records.
   */
  void putAll(byte[][] skeys, byte[][] values, long expiresAt) {
    if (skeys.length == 0) {
      return;
    }
    Generation generation = generation();
    int exptime = ExpiryMath.serverExptime(expiresAt, System.currentTimeMillis());
    int n = skeys.length;
    byte[][] ids = new byte[n][];
    byte[][] mkeys = new byte[n][];
    byte[][] envelopes = new byte[n][];
    int[] segmentOf = new int[n];
    int segments = index.segments();
    List<CompletableFuture<Boolean>> checks = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      checks.add(null);
    }
    for (int i = 0; i < n; i++) {
      ids[i] = codec.id(skeys[i]);
      mkeys[i] = generation.entryKey(ids[i]);
      envelopes[i] = envelope(ids[i], skeys[i], values[i], expiresAt, mkeys[i]);
      segmentOf[i] = index.segmentOf(ids[i]);
      if (checks.get(segmentOf[i]) == null) {
        checks.set(segmentOf[i], index.checkSegment(generation, segmentOf[i]));
      }
    }
    // REPLACE only the entries this JVM last saw present; the others go straight to SET
    boolean[] stored = new boolean[n];
    MemcachedException[] failed = new MemcachedException[n];
    MemcachedException error = replaceKnown(mkeys, envelopes, exptime, ids, stored, failed);
    // repair only where an entry was overwritten: a segment may well be absent when all are new
    boolean[] overwritten = new boolean[segments];
    for (int i = 0; i < n; i++) {
      if (stored[i]) {
        overwritten[segmentOf[i]] = true;
      }
    }
    boolean[] repair = new boolean[segments];
    for (int s = 0; s < segments; s++) {
      repair[s] = overwritten[s] && index.needsRepair(s, checks.get(s));
    }
    List<Integer> missing = new ArrayList<>();
    List<List<byte[]>> bySegment = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      bySegment.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      if (failed[i] != null) {
        continue;
      }
      if (!stored[i]) {
        missing.add(i);
        bySegment.get(segmentOf[i]).add(ids[i]);
      } else if ((repair[segmentOf[i]] && index.reindexOnce(ids[i])) || index.isUnrecorded(ids[i])) {
        bySegment.get(segmentOf[i]).add(ids[i]);
      }
    }
    List<byte[]> missingIds = new ArrayList<>(missing.size());
    for (int i : missing) {
      missingIds.add(ids[i]);
    }
    CompletableFuture<Void> created = new CompletableFuture<>();
    List<ByteArrayKey> pending = index.beginCreations(missingIds, created);
    try {
      if (!missing.isEmpty()) {
        byte[][] setKeys = new byte[missing.size()][];
        byte[][] setValues = new byte[missing.size()][];
        for (int j = 0; j < setKeys.length; j++) {
          setKeys[j] = mkeys[missing.get(j)];
          setValues[j] = envelopes[missing.get(j)];
        }
        int[] setFlags = new int[setKeys.length];
        int[] setExptimes = new int[setKeys.length];
        Arrays.fill(setExptimes, exptime);
        MemcachedException setError = Awaits.await(
            client.storeAll(StoreMode.SET, setKeys, setValues, setFlags, setExptimes)).firstError();
        if (error == null) {
          error = setError;
        }
      }
      // The records follow the stores: a compaction that reads a record finds its entry.
      List<CompletableFuture<Void>> indexed = new ArrayList<>();
      for (int s = 0; s < segments; s++) {
        indexed.add(bySegment.get(s).isEmpty() ? null : index.append(generation, s, bySegment.get(s)));
      }
      boolean[] full = new boolean[segments];
      for (int s = 0; s < segments; s++) {
        full[s] = indexed.get(s) != null && !index.await(indexed.get(s));
      }
      for (int i = 0; i < n; i++) {
        if (!stored[i] && full[segmentOf[i]]) {
          presence.absent(ids[i]); // not recorded: the next put of this key appends again
        } else if (failed[i] == null) {
          presence.present(ids[i]);
        }
      }
    } finally {
      index.endCreations(pending, created);
    }
    // only now, with this call's own creations released: two calls waiting for each other's
    // creations would otherwise wait forever
    for (int i = 0; i < n; i++) {
      if (stored[i]) {
        index.awaitCreation(ids[i]); // another thread's creation of this key, still being indexed
      }
    }
    if (error != null) {
      throw error;
    }
  }

  /**
   * Quiet REPLACEs of the entries {@link #presence} knows: sets {@code stored[i]} for each entry
   * overwritten and {@code failed[i]} for each that failed; the others are left to SET.
   */
  private MemcachedException replaceKnown(
      byte[][] mkeys, byte[][] envelopes, int exptime, byte[][] ids, boolean[] stored, MemcachedException[] failed) {
    boolean[] hinted = new boolean[ids.length];
    int known = 0;
    for (int i = 0; i < ids.length; i++) {
      hinted[i] = presence.probablyPresent(ids[i]);
      known += hinted[i] ? 1 : 0;
    }
    if (known == 0) {
      return null;
    }
    int[] at = new int[known];
    byte[][] keys = new byte[known][];
    byte[][] values = new byte[known][];
    for (int i = 0, j = 0; i < ids.length; i++) {
      if (hinted[i]) {
        at[j] = i;
        keys[j] = mkeys[i];
        values[j] = envelopes[i];
        j++;
      }
    }
    int[] exptimes = new int[known];
    Arrays.fill(exptimes, exptime);
    BatchResult replaced = Awaits.await(client.storeAll(StoreMode.REPLACE, keys, values, new int[known], exptimes));
    for (int j = 0; j < known; j++) {
      failed[at[j]] = replaced.errors()[j];
      stored[at[j]] = replaced.errors()[j] == null && replaced.statuses()[j] == StoreResult.Status.STORED;
    }
    return replaced.firstError();
  }

  /** Removes the item if it is still as {@code current} saw it. False if it changed or vanished. */
  boolean delete(Slot current) {
    if (current.cas == 0) {
      return false;
    }
    if (Awaits.await(client.delete(current.memcachedKey(), current.cas)) != DeleteResult.DELETED) {
      return false;
    }
    presence.absent(current.id);
    index.removed(current.id);
    return true;
  }

  /** clear(): a new generation, so every entry of the old one is unreachable for every client. */
  void clear() {
    namespace.advance();
  }

  /** destroyCache(): the data goes for every client. */
  void destroy() {
    namespace.advance();
  }

  /**
   * Throws the CacheException a write of this key and value would throw for their size, before
   * anything is written: a CacheWriter must not get a value that the cache then refuses, or the
   * system of record and the cache would disagree.
   */
  void checkWritable(byte[] skey, byte[] value) {
    byte[] id = codec.id(skey);
    checkKey(id);
    checkSize(codec.encodedLength(skey, value), generation().entryKey(id));
  }

  private byte[] envelope(byte[] id, byte[] skey, byte[] value, long expiresAt, byte[] mkey) {
    checkKey(id);
    byte[] envelope = codec.encode(id, skey, value, expiresAt);
    checkSize(envelope.length, mkey);
    return envelope;
  }

  private static void checkKey(byte[] id) {
    if (id.length > KeyIndexFormat.MAX_KEY_LENGTH) {
      // refused before anything is stored: such a key could not be listed for iteration
      throw new CacheException("a serialized key of " + id.length + " bytes is longer than memjcache's limit of "
          + KeyIndexFormat.MAX_KEY_LENGTH + " bytes");
    }
  }

  private void checkSize(int envelopeLength, byte[] mkey) {
    Node node = client.nodeFor(mkey);
    long limit = node.itemSizeLimit();
    if (limit < 0) {
      // learn the node's item size limit before the first write, from the connection it opens
      limit = Awaits.await(node.connection()).itemSizeLimit();
    }
    if (limit > 0 && envelopeLength + mkey.length + ITEM_OVERHEAD > limit) {
      // refused before sending: memcached would also drop the entry's current value
      throw new CacheException(new ValueTooLargeException(node.name(), envelopeLength, limit).getMessage());
    }
  }

  /** Every id the index lists (possibly including removed ones; readers check). */
  List<byte[]> indexedIds() {
    return index.ids();
  }

  /** The key index (tests drive compaction and existence checks through it). */
  KeyIndex keyIndex() {
    return index;
  }
}
