package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.processor.ProcessorEntry;
import io.memjcache.internal.jcache.processor.ProcessorEntry.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;

/**
 * What a processor's private entry records for the cache to commit: the net operation of any
 * sequence of reads, writes and removes, and read-through loading on a read of an absent entry.
 */
class ProcessorEntryTest {

  /** A loader that answers from a map and counts its calls. */
  private static class MapLoader implements CacheLoader<String, String> {
    final Map<String, String> values = new HashMap<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public String load(String key) {
      calls.add(key);
      return values.get(key);
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      throw new UnsupportedOperationException();
    }
  }

  private static ProcessorEntry<String, String> present() {
    return new ProcessorEntry<>("k", "old", null);
  }

  private static ProcessorEntry<String, String> absent() {
    return new ProcessorEntry<>("k", null, null);
  }

  @Test
  void untouched_presentOrAbsent_isNone() {
    assertEquals(Operation.NONE, present().operation());
    assertEquals(Operation.NONE, absent().operation());
    assertFalse(present().wasRead());
    assertEquals("k", present().getKey());
  }

  @Test
  void exists_reflectsCurrentValue() {
    assertTrue(present().exists());
    assertFalse(absent().exists());
  }

  @Test
  void exists_presentEntry_isNotARead() {
    ProcessorEntry<String, String> entry = present();
    entry.exists();
    assertEquals(Operation.NONE, entry.operation());
    assertFalse(entry.wasRead());
  }

  @Test
  void getValue_present_isAccess() {
    ProcessorEntry<String, String> entry = present();
    assertEquals("old", entry.getValue());
    assertEquals(Operation.ACCESS, entry.operation());
    assertTrue(entry.wasRead());
  }

  @Test
  void getValue_absentWithoutLoader_isNoneButRead() {
    ProcessorEntry<String, String> entry = absent();
    assertNull(entry.getValue());
    assertEquals(Operation.NONE, entry.operation());
    assertTrue(entry.wasRead());
  }

  @Test
  void getValue_absentWithLoader_loadsOnceAndIsLoad() {
    MapLoader loader = new MapLoader();
    loader.values.put("k", "loaded");
    ProcessorEntry<String, String> entry = new ProcessorEntry<>("k", null, loader);

    assertEquals("loaded", entry.getValue());
    assertEquals("loaded", entry.getValue());
    assertTrue(entry.exists());
    assertEquals(Operation.LOAD, entry.operation());
    assertEquals(List.of("k"), loader.calls);
  }

  @Test
  void getValue_loaderFindsNothing_isNoneAndAsksOnce() {
    MapLoader loader = new MapLoader();
    ProcessorEntry<String, String> entry = new ProcessorEntry<>("k", null, loader);
    assertNull(entry.getValue());
    assertNull(entry.getValue());
    assertEquals(Operation.NONE, entry.operation());
    assertEquals(List.of("k"), loader.calls);
  }

  @Test
  void getValue_presentWithLoader_doesNotLoad() {
    MapLoader loader = new MapLoader();
    ProcessorEntry<String, String> entry = new ProcessorEntry<>("k", "old", loader);
    assertEquals("old", entry.getValue());
    assertEquals(List.of(), loader.calls);
  }

  @Test
  void getValue_loaderThrows_isWrappedInCacheLoaderException() {
    IllegalStateException failure = new IllegalStateException("database down");
    ProcessorEntry<String, String> entry = new ProcessorEntry<>("k", null, new MapLoader() {
      @Override
      public String load(String key) {
        throw failure;
      }
    });
    CacheLoaderException e = assertThrows(CacheLoaderException.class, entry::getValue);
    assertSame(failure, e.getCause());
  }

  @Test
  void getValue_loaderThrowsCacheLoaderException_isRethrownAsIs() {
    CacheLoaderException failure = new CacheLoaderException("no");
    ProcessorEntry<String, String> entry = new ProcessorEntry<>("k", null, new MapLoader() {
      @Override
      public String load(String key) {
        throw failure;
      }
    });
    assertSame(failure, assertThrows(CacheLoaderException.class, entry::getValue));
  }

  @Test
  void setValue_absent_isCreate() {
    ProcessorEntry<String, String> entry = absent();
    entry.setValue("new");
    assertEquals(Operation.CREATE, entry.operation());
    assertEquals("new", entry.getValue());
    assertTrue(entry.exists());
    assertEquals(Operation.CREATE, entry.operation(), "reading one's own write changes nothing");
  }

  @Test
  void setValue_present_isUpdate() {
    ProcessorEntry<String, String> entry = present();
    entry.setValue("new");
    assertEquals(Operation.UPDATE, entry.operation());
    assertEquals("new", entry.getValue());
  }

  @Test
  void setValue_afterAccess_isUpdate() {
    ProcessorEntry<String, String> entry = present();
    entry.getValue();
    entry.setValue("new");
    assertEquals(Operation.UPDATE, entry.operation());
  }

  @Test
  void setValue_afterLoad_isCreate() {
    MapLoader loader = new MapLoader();
    loader.values.put("k", "loaded");
    ProcessorEntry<String, String> entry = new ProcessorEntry<>("k", null, loader);
    entry.getValue();
    entry.setValue("new");
    assertEquals(Operation.CREATE, entry.operation());
    assertEquals("new", entry.getValue());
  }

  @Test
  void setValue_null_throwsAndChangesNothing() {
    ProcessorEntry<String, String> entry = present();
    assertThrows(NullPointerException.class, () -> entry.setValue(null));
    assertEquals(Operation.NONE, entry.operation());
    assertEquals("old", entry.getValue());
  }

  @Test
  void setValue_twice_keepsLastValue() {
    ProcessorEntry<String, String> entry = absent();
    entry.setValue("first");
    entry.setValue("second");
    assertEquals(Operation.CREATE, entry.operation());
    assertEquals("second", entry.getValue());
  }

  @Test
  void remove_present_isRemove() {
    ProcessorEntry<String, String> entry = present();
    entry.remove();
    assertEquals(Operation.REMOVE, entry.operation());
    assertFalse(entry.exists());
    assertNull(entry.getValue());
  }

  @Test
  void remove_absent_isRemoveSoItIsWrittenThrough() {
    ProcessorEntry<String, String> entry = absent();
    entry.remove();
    assertEquals(Operation.REMOVE, entry.operation());
  }

  @Test
  void remove_afterCreate_leavesNothingToDo() {
    ProcessorEntry<String, String> entry = absent();
    entry.setValue("new");
    entry.remove();
    assertEquals(Operation.NONE, entry.operation());
    assertFalse(entry.exists());
  }

  @Test
  void remove_afterLoad_leavesNothingToDo() {
    MapLoader loader = new MapLoader();
    loader.values.put("k", "loaded");
    ProcessorEntry<String, String> entry = new ProcessorEntry<>("k", null, loader);
    entry.getValue();
    entry.remove();
    assertEquals(Operation.NONE, entry.operation());
    assertFalse(entry.exists());
  }

  @Test
  void remove_afterUpdate_isRemove() {
    ProcessorEntry<String, String> entry = present();
    entry.setValue("new");
    entry.remove();
    assertEquals(Operation.REMOVE, entry.operation());
  }

  @Test
  void setValue_afterRemoveOfPresent_isUpdate() {
    ProcessorEntry<String, String> entry = present();
    entry.remove();
    entry.setValue("again");
    assertEquals(Operation.UPDATE, entry.operation());
    assertEquals("again", entry.getValue());
  }

  @Test
  void setValue_afterRemoveOfAbsent_isCreate() {
    ProcessorEntry<String, String> entry = absent();
    entry.remove();
    entry.setValue("new");
    assertEquals(Operation.CREATE, entry.operation());
  }

  @Test
  void unwrap_ownClass_returnsEntryAndOtherClassThrows() {
    ProcessorEntry<String, String> entry = present();
    assertSame(entry, entry.unwrap(ProcessorEntry.class));
    assertSame(entry, entry.unwrap(javax.cache.processor.MutableEntry.class));
    assertThrows(IllegalArgumentException.class, () -> entry.unwrap(String.class));
  }
}
