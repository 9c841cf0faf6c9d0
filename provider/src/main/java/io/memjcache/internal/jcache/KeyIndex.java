package io.memjcache.internal.jcache;

import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreMode;
import io.memjcache.internal.cluster.Cluster;
import io.memjcache.internal.cluster.NodeState;
import io.memjcache.internal.cluster.NodeStatus;
import io.memjcache.internal.jcache.store.ByteArrayKey;
import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.internal.jcache.store.KeyCodec.Generation;
import io.memjcache.internal.jcache.store.KeyIndexFormat;
import io.memjcache.internal.transport.ValueTooLargeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One cache's key index, which makes iteration possible: each entry created appends a {@code +key}
 * record to one of a fixed set of segment items (chosen by key hash), with memcached's atomic
 * APPEND, so any client can list the cache. {@link EntryStore} appends a record only after its
 * entry is stored, and overwrites of existing entries append nothing.
 *
 * <p>Compaction (dead records dropped, with a CAS write, after every {@link #COMPACT_EVERY} records
 * a client appends to or removals it makes in a segment, or when a segment outgrows the item size
 * limit) drops only keys whose items do not exist in memcached. A lost segment (evicted) hides
 * entries from iteration until {@link SegmentWatch} notices and overwrites index their keys again
 * ({@link #needsRepair}); {@code clear()} never relies on the index.
 */
final class KeyIndex {
  private static final System.Logger LOG = System.getLogger(KeyIndex.class.getName());
  static final int COMPACT_EVERY = 1024;
  /** How many re-indexed keys {@link #reindexed} remembers. */
  private static final int MAX_REINDEXED = 100_000;
  /** Keys per existence check command. */
  static final int EXISTS_BATCH = 512;

  private final MemcachedClient client;
  private final String cacheName;
  private final Supplier<Generation> generations;
  private final int segments;
  private final AtomicInteger[] changesSinceCompaction;
  /** Keys this JVM indexed again while repairing lost segments: once each is enough. */
  private final Set<ByteArrayKey> reindexed = ConcurrentHashMap.newKeySet();
  /** Keys whose creation by this JVM is being indexed; overwrites of them wait for it. */
  private final ConcurrentHashMap<ByteArrayKey, CompletableFuture<Void>> creations = new ConcurrentHashMap<>();
  private final SegmentWatch watch;
  /**
   * Keys whose record this JVM could not append (segment full, server unreachable): their next
   * write appends again, whatever the presence hint says. Bounded; beyond it, such keys wait for a
   * write that creates them.
   */
  private final Set<ByteArrayKey> unrecorded = ConcurrentHashMap.newKeySet();
  private static final int MAX_UNRECORDED = 100_000;
  /** Per segment: until when (nanoTime) it is taken as full without asking; 0 when not full. */
  private final java.util.concurrent.atomic.AtomicLongArray fullUntil;
  /** How long a full segment is not appended to before trying again. */
  static final long FULL_PAUSE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
  /** Per segment: whether a compaction of it is queued or running in this JVM. */
  private final java.util.concurrent.atomic.AtomicBoolean[] compacting;

  KeyIndex(MemcachedClient client, String cacheName, int segments, Supplier<Generation> generations) {
    this.client = client;
    this.cacheName = cacheName;
    this.generations = generations;
    this.segments = segments;
    this.changesSinceCompaction = new AtomicInteger[segments];
    this.fullUntil = new java.util.concurrent.atomic.AtomicLongArray(segments);
    this.compacting = new java.util.concurrent.atomic.AtomicBoolean[segments];
    for (int i = 0; i < segments; i++) {
      compacting[i] = new java.util.concurrent.atomic.AtomicBoolean();
    }
    this.watch = new SegmentWatch(segments);
    for (int i = 0; i < segments; i++) {
      changesSinceCompaction[i] = new AtomicInteger();
    }
  }

  int segments() {
    return segments;
  }

  int segmentOf(byte[] id) {
    return KeyCodec.segmentFor(id, segments);
  }

  /**
   * Appends the record of {@code id} in the current generation and waits for it; false if its
   * segment was full (see {@link #await}).
   */
  boolean add(byte[] id) {
    return await(append(generations.get(), segmentOf(id), List.of(id)));
  }

  /** Appends the records of {@code ids}, all of one segment; remembers them as unrecorded if that fails. */
  CompletableFuture<Void> append(Generation generation, int segment, List<byte[]> ids) {
    CompletableFuture<Void> appended = appendRecords(generation, segment, KeyIndexFormat.addRecords(ids), ids.size());
    appended.whenComplete((ignored, error) -> {
      if (error == null) {
        if (!unrecorded.isEmpty()) {
          for (byte[] id : ids) {
            unrecorded.remove(ByteArrayKey.of(id));
          }
        }
      } else {
        for (byte[] id : ids) {
          if (unrecorded.size() < MAX_UNRECORDED) {
            unrecorded.add(ByteArrayKey.of(id));
          }
        }
      }
    });
    return appended;
  }

  /** Whether this JVM failed to append the key's record since it last succeeded. */
  boolean isUnrecorded(byte[] id) {
    return !unrecorded.isEmpty() && unrecorded.contains(ByteArrayKey.of(id));
  }

  /**
   * Whether a conditional write over an existing entry must index its key again: its segment is
   * being repaired and this JVM has not indexed the key again since the loss.
   */
  boolean reindexOnWrite(byte[] id) {
    return watch.repairing(segmentOf(id)) && reindexOnce(id);
  }

  /** True the first time a key is indexed again during a repair (until the memory is cleared). */
  boolean reindexOnce(byte[] id) {
    return reindexed.add(ByteArrayKey.of(id));
  }

  /**
   * Marks the creations of {@code ids} by this JVM as being indexed until {@code done} completes
   * (the creator completes it after its append); overwrites of those keys wait for it ({@link
   * #awaitCreation}). Returns the keys to pass to {@link #endCreations}.
   */
  List<ByteArrayKey> beginCreations(List<byte[]> ids, CompletableFuture<Void> done) {
    List<ByteArrayKey> keys = new ArrayList<>(ids.size());
    for (byte[] id : ids) {
      ByteArrayKey key = ByteArrayKey.of(id);
      keys.add(key);
      creations.put(key, done);
    }
    return keys;
  }

  /** Ends what {@link #beginCreations} began and releases whoever waits. */
  void endCreations(List<ByteArrayKey> keys, CompletableFuture<Void> done) {
    for (ByteArrayKey key : keys) {
      creations.remove(key, done);
    }
    done.complete(null);
  }

  /** A removal of {@code id} left a dead record: it counts towards compaction as creations do. */
  void removed(byte[] id) {
    int segment = segmentOf(id);
    if (countChanges(segment, 1)) {
      compactLater(generations.get(), segment);
    }
  }

  /**
   * Checks (and refreshes in memcached's LRU) the segment if this JVM has not done so for a while:
   * a TOUCH, sent alongside the write. Null when no check is due; true when the segment is there or
   * the check failed (a failure proves nothing).
   */
  CompletableFuture<Boolean> checkSegment(Generation generation, int segment) {
    if (!watch.checkDue(segment)) {
      return null;
    }
    return client.touch(generation.indexSegmentKey(segment), 0).handle((present, error) -> {
      if (error != null) {
        LOG.log(System.Logger.Level.DEBUG, "checking an index segment of cache " + cacheName + " failed: " + error);
        return true;
      }
      if (present) {
        watch.present(generation.generation(), segment);
      } else {
        watch.absent(generation.generation(), segment);
      }
      return present;
    });
  }

  /**
   * Whether an overwrite of an existing entry in {@code segment} must index its key again: the
   * segment is being repaired, or the check sent with this write found it gone although the entry
   * exists (so its record was lost).
   */
  boolean needsRepair(int segment, CompletableFuture<Boolean> check) {
    if (check != null && !Awaits.await(check)) {
      watch.lost(segment);
    }
    if (!watch.repairing(segment)) {
      return false;
    }
    if (watch.repairStarted(segment)) {
      LOG.log(System.Logger.Level.DEBUG, "an index segment of cache " + cacheName
          + " was lost; overwrites index their keys again for a while");
      reindexed.clear(); // keys indexed again before this loss may have been lost with it
    } else if (reindexed.size() > MAX_REINDEXED) {
      reindexed.clear(); // bounded: some keys get a second record, which compaction removes
    }
    return true;
  }

  /**
   * Waits if this JVM is still indexing its creation of the entry {@code id}: an overwrite that
   * returns must leave the key visible to iteration in this JVM.
   */
  void awaitCreation(byte[] id) {
    if (creations.isEmpty()) {
      return;
    }
    CompletableFuture<Void> pending = creations.get(ByteArrayKey.of(id));
    if (pending != null) {
      pending.join(); // completes in the creator's finally block, after its append
    }
  }

  CompletableFuture<Void> appendRecords(Generation generation, int segment, byte[] records, int count) {
    byte[] segmentKey = generation.indexSegmentKey(segment);
    long fullFor = fullUntil.get(segment);
    if (fullFor != 0 && System.nanoTime() - fullFor < 0) {
      return CompletableFuture.failedFuture(new SegmentFullException(cacheName, segment)); // not asked again yet
    }
    // memcached answers "not stored" both to an APPEND to no item and to one that would outgrow
    // the item size limit: an ADD tells them apart.
    CompletableFuture<Void> done = client.concat(true, segmentKey, records).thenCompose(appended -> {
      if (appended) {
        watch.present(generation.generation(), segment);
        return CompletableFuture.completedFuture(null);
      }
      return client.add(segmentKey, records, 0, 0).thenCompose(added -> {
        if (added.stored()) {
          watch.absent(generation.generation(), segment);
          return CompletableFuture.completedFuture(null);
        }
        return client.concat(true, segmentKey, records).thenCompose(again -> {
          if (again) {
            // there after all (another client recreated it, or a compaction made room): its
            // absence is not proven, so no repair
            watch.present(generation.generation(), segment);
            return CompletableFuture.<Void>completedFuture(null);
          }
          if (fullUntil.getAndSet(segment, System.nanoTime() + FULL_PAUSE_NANOS) == 0) {
            LOG.log(System.Logger.Level.WARNING, "key index segment " + segment + " of cache " + cacheName
                + " is full; entries created meanwhile are not visible to iteration until they are written"
                + " again after it is compacted");
          }
          return CompletableFuture.<Void>failedFuture(new SegmentFullException(cacheName, segment));
        });
      });
    });
    if (countChanges(segment, count)) {
      done.thenRun(() -> compactLater(generation, segment));
    }
    return done.exceptionallyCompose(error -> {
      if (isFull(MemcachedClient.unwrap(error))) {
        compactLater(generation, segment); // the segment outgrew the item size limit
      }
      return CompletableFuture.failedFuture(error);
    });
  }

  /** An append that would take a segment past the item size limit. */
  static final class SegmentFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SegmentFullException(String cacheName, int segment) {
      super("key index segment " + segment + " of cache " + cacheName + " is full", null, false, false);
    }
  }

  private static boolean isFull(Throwable error) {
    return error instanceof SegmentFullException || error instanceof ValueTooLargeException;
  }

  /** Counts records added to or made dead in a segment; true when it is time to compact it. */
  private boolean countChanges(int segment, int count) {
    if (changesSinceCompaction[segment].addAndGet(count) >= COMPACT_EVERY) {
      changesSinceCompaction[segment].set(0);
      return true;
    }
    return false;
  }

  /**
   * Waits for an append; false if the segment was full, which is not an error: the entries are
   * stored, only iteration misses them. The segment is being compacted; the caller must not
   * count the keys as recorded, so that its next write of them appends again.
   */
  boolean await(CompletableFuture<Void> indexed) {
    try {
      Awaits.await(indexed);
      return true;
    } catch (RuntimeException e) {
      if (!isFull(e) && !isFull(e.getCause())) {
        throw e;
      }
      return false; // logged when the segment was found full

    }
  }

  /** Queues a compaction of the segment, unless one is queued or running already. */
  private void compactLater(Generation generation, int segment) {
    if (!compacting[segment].compareAndSet(false, true)) {
      return;
    }
    try {
      ForkJoinPool.commonPool().execute(() -> {
        try {
          compact(generation, segment);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.DEBUG, "compaction of an index segment of cache " + cacheName + " failed: " + e);
        } finally {
          compacting[segment].set(false);
        }
      });
    } catch (RuntimeException e) {
      compacting[segment].set(false);
      throw e;
    }
  }

  /** Compacts every segment of the current generation, one after the other (for tests). */
  void compactAll() {
    Generation generation = generations.get();
    for (int s = 0; s < segments; s++) {
      compact(generation, s);
    }
  }

  /**
   * Rewrites a segment with only the keys whose items still exist; gives up on a race with another
   * compaction. Existence, not a readable unexpired value, decides: an overwrite of an existing item
   * adds no record, so a key must stay listed as long as its item is in memcached (expired entries
   * and unreadable items are skipped by readers, and dropped here once memcached has dropped them).
   *
   * <p>Why no live key is lost: a creation stores its entry before it appends its record. If the
   * record is in the snapshot read here, the entry was stored before the check below, which sees
   * it (unless it was removed since, and then a new creation appends again). If the record comes
   * later, it either changes the segment before the CAS write below, which then fails and keeps
   * every record appended since the snapshot, or it is appended to the compacted segment.
   */
  void compact(Generation generation, int segment) {
    if (!allNodesUp()) {
      return;
    }
    byte[] segmentKey = generation.indexSegmentKey(segment);
    Item item = Awaits.await(client.get(segmentKey));
    if (item == null) {
      return;
    }
    List<byte[]> ids = KeyIndexFormat.replay(item.value()).liveKeys();
    byte[][] entryKeys = new byte[ids.size()][];
    for (int i = 0; i < entryKeys.length; i++) {
      entryKeys[i] = generation.entryKey(ids.get(i));
    }
    boolean[] exists = Awaits.await(exist(entryKeys));
    List<byte[]> live = new ArrayList<>();
    for (int i = 0; i < exists.length; i++) {
      if (exists[i]) {
        live.add(ids.get(i));
      }
    }
    if (!allNodesUp()) {
      return;
    }
    byte[] compacted = KeyIndexFormat.addRecords(live);
    byte[] base = item.value();
    if (compacted.length >= base.length) {
      return; // nothing dead: a full segment stays full (see fullUntil)
    }
    long cas = item.cas();
    for (int attempt = 0; attempt < 16; attempt++) {
      if (Awaits.await(client.store(StoreMode.SET, segmentKey, compacted, 0, 0, cas)).stored()) {
        fullUntil.set(segment, 0); // room again
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

  /**
   * Whether every node is up. While one is down, its keys may be served by another node (or
   * refused), so an entry it holds would look absent and its key would be dropped for good: an
   * overwrite after the node's return adds no record. Compaction waits for a whole cluster.
   */
  private boolean allNodesUp() {
    for (NodeStatus status : client.nodeStates()) {
      if (status.state() != NodeState.UP) {
        return false;
      }
    }
    return true;
  }

  /**
   * Which of the memcached keys hold an item, aligned with {@code keys}; reads no value and changes
   * nothing (see {@link ExistsCommand}). Pipelined per node, {@link #EXISTS_BATCH} keys a command.
   */
  CompletableFuture<boolean[]> exist(byte[][] keys) {
    boolean[] result = new boolean[keys.length];
    if (keys.length == 0) {
      return CompletableFuture.completedFuture(result);
    }
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    for (Cluster.Part part : client.cluster().parts(keys, false)) {
      int[] indexes = part.indexes();
      for (int from = 0; from < indexes.length; from += EXISTS_BATCH) {
        int[] batch = Arrays.copyOfRange(indexes, from, Math.min(indexes.length, from + EXISTS_BATCH));
        byte[][] batchKeys = new byte[batch.length][];
        for (int i = 0; i < batchKeys.length; i++) {
          batchKeys[i] = keys[batch[i]];
        }
        parts.add(client.send(part, new ExistsCommand(batchKeys)).thenAccept(found -> {
          for (int i = 0; i < found.length; i++) {
            result[batch[i]] = found[i];
          }
        }));
      }
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> result);
  }

  /** Every id the index lists (possibly including removed ones; readers check). */
  List<byte[]> ids() {
    Generation generation = generations.get();
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
