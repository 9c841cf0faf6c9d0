package io.memjcache.internal.jcache;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;

/** A cache writer that succeeds and keeps the keys it was asked to write and delete, in order. */
final class RecordingWriter<K, V> implements CacheWriter<K, V>, Serializable {
  private static final long serialVersionUID = 1L;

  private final transient List<K> written = new ArrayList<>();
  private final transient List<Object> deleted = new ArrayList<>();

  synchronized List<K> written() {
    return List.copyOf(written);
  }

  synchronized List<Object> deleted() {
    return List.copyOf(deleted);
  }

  @Override
  public synchronized void write(Cache.Entry<? extends K, ? extends V> entry) {
    written.add(entry.getKey());
  }

  @Override
  public synchronized void writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    for (Iterator<Cache.Entry<? extends K, ? extends V>> it = entries.iterator(); it.hasNext(); ) {
      written.add(it.next().getKey());
      it.remove();
    }
  }

  @Override
  public synchronized void delete(Object key) {
    deleted.add(key);
  }

  @Override
  public synchronized void deleteAll(Collection<?> keys) {
    for (Iterator<?> it = keys.iterator(); it.hasNext(); ) {
      deleted.add(it.next());
      it.remove();
    }
  }
}
