package io.memjcache.internal.jcache.processor;

import java.util.Objects;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.processor.MutableEntry;

/**
 * The private copy of one entry that an {@link javax.cache.processor.EntryProcessor} works on. It
 * records what the processor did (read, created, updated, removed, loaded) so the cache can commit
 * exactly that with one conditional write.
 */
public final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
  /** The net effect of a processor on its entry. */
  public enum Operation {
    /** Nothing, or a read of an absent entry. */
    NONE,
    /** The existing value was read. */
    ACCESS,
    /** The value was loaded through read-through and not changed afterwards. */
    LOAD,
    /** A value was set where none existed. */
    CREATE,
    /** The existing value was replaced. */
    UPDATE,
    /** The existing entry was removed. */
    REMOVE
  }

  private final K key;
  private final V original;
  private final CacheLoader<K, V> loader;
  private V value;
  private Operation operation = Operation.NONE;
  private boolean read;

  /**
   * @param original the current value, or null if absent
   * @param loader the read-through loader, or null
   */
  public ProcessorEntry(K key, V original, CacheLoader<K, V> loader) {
    this.key = key;
    this.original = original;
    this.value = original;
    this.loader = loader;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (!read && operation == Operation.NONE) {
      read = true;
      if (value != null) {
        operation = Operation.ACCESS;
      } else if (loader != null) {
        V loaded;
        try {
          loaded = loader.load(key);
        } catch (CacheLoaderException e) {
          throw e;
        } catch (Exception e) {
          throw new CacheLoaderException(e);
        }
        if (loaded != null) {
          value = loaded;
          operation = Operation.LOAD;
        }
      }
    }
    read = true;
    return value;
  }

  @Override
  public boolean exists() {
    return value != null;
  }

  @Override
  public void remove() {
    // A value created or loaded by this processor and then removed leaves nothing to do; any other
    // remove is written through to the CacheWriter, even for an absent entry.
    operation = operation == Operation.CREATE || operation == Operation.LOAD ? Operation.NONE : Operation.REMOVE;
    value = null;
  }

  @Override
  public void setValue(V newValue) {
    Objects.requireNonNull(newValue, "value");
    operation = original == null ? Operation.CREATE : Operation.UPDATE;
    value = newValue;
  }

  /** What the processor did, for the cache to commit. */
  public Operation operation() {
    return operation;
  }

  /** Whether the processor read the value (for hit/miss statistics). */
  public boolean wasRead() {
    return read;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isAssignableFrom(getClass())) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap a mutable entry to " + clazz.getName());
  }
}
