package io.memjcache.internal.jcache;

import io.memjcache.internal.jcache.event.Events;
import io.memjcache.internal.jcache.management.CacheStatistics;
import io.memjcache.internal.jcache.processor.ProcessorEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * A cache's {@code invoke} and {@code invokeAll}: the processor runs on a snapshot of the entry
 * (read with its CAS token), and what it did is committed with one conditional write or delete;
 * on a conflict with another client the entry is read again and the processor runs again. The
 * caller has checked its arguments.
 */
final class EntryProcessors<K, V> {
  private final MemcachedCache<K, V> cache;
  private final EntryStore store;

  EntryProcessors(MemcachedCache<K, V> cache, EntryStore store) {
    this.cache = cache;
    this.store = store;
  }

  <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    byte[] skey = cache.skey(key);
    for (int attempt = 0; attempt < MemcachedCache.MAX_ATTEMPTS; attempt++) {
      Slot slot = cache.read(skey);
      long now = MemcachedCache.now();
      Events<K, V> events = cache.events();
      if (slot.expired(now)) {
        cache.expire(key, slot, events);
        slot = cache.read(skey);
        if (slot.expired(MemcachedCache.now())) {
          continue;
        }
      }
      V current = slot.present(now) ? cache.decode(slot) : null;
      ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, current, cache.readThroughLoader());
      T result;
      try {
        result = entryProcessor.process(entry, arguments);
      } catch (EntryProcessorException e) {
        throw e;
      } catch (Exception e) {
        throw new EntryProcessorException(e);
      }
      if (commit(key, slot, current, entry, events, now)) {
        events.dispatch();
        return result;
      }
    }
    throw cache.conflict(key);
  }

  /** Each key through {@link #invoke}; a failure is that key's result, the other keys go on. */
  <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
      Object... arguments) {
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, entryProcessor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (EntryProcessorException e) {
        results.put(key, () -> {
          throw e;
        });
      } catch (RuntimeException e) {
        EntryProcessorException wrapped = new EntryProcessorException(e);
        results.put(key, () -> {
          throw wrapped;
        });
      }
    }
    return results;
  }

  /** Commits what the processor did to its entry; false on a CAS conflict (the caller retries). */
  private boolean commit(K key, Slot slot, V current, ProcessorEntry<K, V> entry, Events<K, V> events, long now) {
    boolean committed = commitOperation(key, slot, current, entry, events, now);
    if (committed && cache.statisticsEnabled()) {
      // the lookup itself is a hit or a miss, whatever the processor does with the entry
      if (current != null) {
        cache.statistics().recordHits(1);
      } else {
        cache.statistics().recordMisses(1);
      }
    }
    return committed;
  }

  private boolean commitOperation(K key, Slot slot, V current, ProcessorEntry<K, V> entry, Events<K, V> events, long now) {
    CacheStatistics statistics = cache.statisticsEnabled() ? cache.statistics() : null;
    switch (entry.operation()) {
      case NONE:
        return true;
      case ACCESS:
        cache.applyAccessExpiry(slot, now);
        return true;
      case LOAD: {
        long expiresAt = cache.creationExpiry(now);
        if (expiresAt <= now) {
          return true;
        }
        if (!store.write(slot, cache.svalue(entry.getValue()), expiresAt)) {
          return false;
        }
        events.created(key, entry.getValue());
        return true;
      }
      case CREATE: {
        V value = entry.getValue();
        byte[] svalue = cache.svalue(value);
        long expiresAt = cache.creationExpiry(now);
        if (expiresAt > now) {
          long cas = store.writeCas(slot, svalue, expiresAt);
          if (cas == 0) {
            return false;
          }
          cache.throughCommitted(key, value, slot, cas);
          events.created(key, value);
        } else {
          cache.writeThrough(key, value, slot.serializedKey, svalue); // the creation expiry ZERO keeps it out
        }
        if (statistics != null) {
          statistics.recordPuts(1);
        }
        return true;
      }
      case UPDATE: {
        V value = entry.getValue();
        byte[] svalue = cache.svalue(value);
        long cas = cache.commitUpdateCas(slot, svalue, cache.updateExpiry(slot.expiresAt, now), now);
        if (cas == 0) {
          return false;
        }
        cache.throughCommitted(key, value, slot, cas);
        events.updated(key, current, value);
        if (statistics != null) {
          statistics.recordPuts(1);
        }
        return true;
      }
      case REMOVE: {
        if (current == null) {
          cache.deleteThrough(key);
          if (slot.cas != 0) {
            store.delete(slot); // an expired or unreadable item: tidy up, nothing to report
          }
          return true;
        }
        if (!store.delete(slot)) {
          return false;
        }
        cache.throughCommitted(key, null, slot, EntryStore.DELETED);
        events.removed(key, current);
        if (statistics != null) {
          statistics.recordRemovals(1);
        }
        return true;
      }
      default:
        throw new IllegalStateException("unknown entry operation " + entry.operation());
    }
  }
}
