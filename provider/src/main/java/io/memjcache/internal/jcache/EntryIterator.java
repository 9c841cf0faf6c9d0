package io.memjcache.internal.jcache;

import io.memjcache.internal.jcache.event.Events;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import javax.cache.Cache.Entry;

/**
 * A cache's iterator: walks the ids the key index listed when it was created, fetching values in
 * batches of {@value #BATCH}, and skips entries that are absent, expired (removed and reported as
 * EXPIRED on the way) or undecodable. Each entry returned counts as a hit and has the access
 * expiry applied, as a get would.
 */
final class EntryIterator<K, V> implements Iterator<Entry<K, V>> {
  private static final int BATCH = 100;

  private final MemcachedCache<K, V> cache;
  private final List<byte[]> ids;
  private final ArrayDeque<Slot> buffer = new ArrayDeque<>();
  private int position;
  private Entry<K, V> next;
  private K lastKey;

  EntryIterator(MemcachedCache<K, V> cache, List<byte[]> ids) {
    this.cache = cache;
    this.ids = ids;
  }

  @Override
  public boolean hasNext() {
    cache.requireOpen();
    while (next == null) {
      if (buffer.isEmpty()) {
        if (position >= ids.size()) {
          return false;
        }
        int end = Math.min(ids.size(), position + BATCH);
        byte[][] batch = ids.subList(position, end).toArray(new byte[0][]);
        position = end;
        for (Slot slot : cache.readIndexed(batch)) {
          buffer.add(slot);
        }
      }
      Slot slot = buffer.poll();
      long now = MemcachedCache.now();
      if (slot.present(now)) {
        K key = cache.decodeKey(slot.serializedKey);
        if (key == null) {
          continue;
        }
        V value = cache.decode(slot);
        if (cache.statisticsEnabled()) {
          cache.statistics().recordHits(1);
        }
        cache.applyAccessExpiry(slot, now);
        next = new MemcachedCacheEntry<>(key, value);
      } else if (slot.expired(now)) {
        K key = cache.decodeKey(slot.serializedKey);
        if (key != null) {
          Events<K, V> events = cache.events();
          cache.expire(key, slot, events);
          events.dispatch();
        }
      }
    }
    return true;
  }

  @Override
  public Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Entry<K, V> result = next;
    next = null;
    lastKey = result.getKey();
    return result;
  }

  @Override
  public void remove() {
    cache.requireOpen();
    if (lastKey == null) {
      throw new IllegalStateException("next() has not been called, or remove() was already called");
    }
    K key = lastKey;
    lastKey = null;
    cache.remove(key);
  }
}
