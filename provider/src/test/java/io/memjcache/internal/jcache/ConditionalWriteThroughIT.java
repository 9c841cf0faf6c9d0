package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testing.MemcachedTest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Write-through of the conditional operations when another client changes the entry at the same
 * moment: the CacheWriter is called exactly when the operation reports that it changed the cache,
 * so the system of record never takes a value the cache refused; and when the writer throws, the
 * change is undone for every client.
 *
 * <p>The race is made deterministic: A's writer, on its first call, lets manager B (another
 * application instance, whose own write-through is assumed done) change the entry, which is the
 * moment a real race would hit.
 */
@MemcachedTest
class ConditionalWriteThroughIT extends TwoManagers {

  /** Records what reaches it; on its first call runs the interference, then optionally throws. */
  static final class RacingWriter implements CacheWriter<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    final transient List<String> calls = new ArrayList<>();
    transient Consumer<String> onFirstCall = key -> {};
    transient boolean fail;

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      called("write " + entry.getKey() + "=" + entry.getValue(), entry.getKey());
    }

    @Override
    public void delete(Object key) {
      called("delete " + key, (String) key);
    }

    private void called(String call, String key) {
      calls.add(call);
      if (calls.size() == 1) {
        onFirstCall.accept(key);
      }
      if (fail) {
        throw new CacheWriterException("the system of record refused " + call);
      }
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      throw new UnsupportedOperationException();
    }
  }

  private final RacingWriter writer = new RacingWriter();
  /** The cache in A, writing through to {@link #writer}; and in B, without a writer. */
  private Cache<String, String> inA;
  private Cache<String, String> inB;

  @BeforeEach
  void createCaches() {
    inA = a.createCache(name, Managers.strings().setWriteThrough(true)
        .setCacheWriterFactory(new FactoryBuilder.SingletonFactory<>(writer)));
    inB = createIn(b);
  }

  /** With k = "old" (written by B) and A's writer refusing, {@code change} in A throws and every client reads "old". */
  private void assertRefusedChangeIsUndone(Executable change) {
    inB.put("k", "old");
    writer.fail = true;

    assertThrows(CacheWriterException.class, change);

    assertEquals("old", inB.get("k"));
    assertEquals("old", inA.get("k"));
    assertEquals("old", contents(inB).get("k"), "and still iterable");
  }

  // ------------------------------------------------------------------ another client wins the race

  @Test
  void putIfAbsent_racingAnotherClientsCreation_writesThroughOnlyWhatItStored() {
    writer.onFirstCall = key -> inB.putIfAbsent(key, "from-b");

    boolean stored = inA.putIfAbsent("k", "from-a");

    assertEquals(stored ? List.of("write k=from-a") : List.of(), writer.calls, "stored: " + stored);
    assertEquals(stored ? "from-a" : "from-b", inB.get("k"));
  }

  @Test
  void replaceIfEquals_racingAnotherClientsPut_writesThroughOnlyWhatItStored() {
    inB.put("k", "old");
    writer.onFirstCall = key -> inB.put(key, "from-b");

    boolean replaced = inA.replace("k", "old", "from-a");

    assertEquals(replaced ? List.of("write k=from-a") : List.of(), writer.calls, "replaced: " + replaced);
    assertEquals("from-b", inB.get("k"), "B's put came after A's replace either way");
  }

  @Test
  void getAndReplace_racingAnotherClientsRemove_writesThroughOnlyWhatItStored() {
    inB.put("k", "old");
    writer.onFirstCall = key -> inB.remove(key);

    String previous = inA.getAndReplace("k", "from-a");

    assertEquals(previous != null ? List.of("write k=from-a") : List.of(), writer.calls, "previous: " + previous);
    assertNull(inB.get("k"), "B's remove came after A's replace either way");
  }

  @Test
  void removeIfEquals_racingAnotherClientsPut_deletesThroughOnlyWhatItRemoved() {
    inB.put("k", "v");
    writer.onFirstCall = key -> inB.put(key, "from-b");

    boolean removed = inA.remove("k", "v");

    assertEquals(removed ? List.of("delete k") : List.of(), writer.calls, "removed: " + removed);
    assertEquals("from-b", inB.get("k"));
  }

  @Test
  void invoke_createRacingAnotherClientsCreation_writesThroughOnlyWhatItStored() {
    writer.onFirstCall = key -> inB.putIfAbsent(key, "from-b");

    String outcome = inA.invoke("k", (entry, args) -> {
      if (entry.exists()) {
        return "existed";
      }
      entry.setValue("from-a");
      return "created";
    });

    assertEquals("created".equals(outcome) ? List.of("write k=from-a") : List.of(), writer.calls, outcome);
    assertEquals("created".equals(outcome) ? "from-a" : "from-b", inB.get("k"));
  }

  // ------------------------------------------------------------------ the writer refuses: undone for everyone

  @Test
  void putIfAbsent_writerThrows_entryIsAbsentForEveryClient() {
    writer.fail = true;

    assertThrows(CacheWriterException.class, () -> inA.putIfAbsent("k", "v"));

    assertNull(inB.get("k"));
    assertFalse(inA.containsKey("k"));
    assertTrue(inB.putIfAbsent("k", "later"), "a later creation is not blocked");
  }

  @Test
  void replaceIfEquals_writerThrows_oldValueIsBackForEveryClient() {
    assertRefusedChangeIsUndone(() -> inA.replace("k", "old", "new"));
  }

  @Test
  void getAndReplace_writerThrows_oldValueIsBackForEveryClient() {
    assertRefusedChangeIsUndone(() -> inA.getAndReplace("k", "new"));
  }

  @Test
  void removeIfEquals_writerThrows_entryIsBackForEveryClientAndIterable() {
    assertRefusedChangeIsUndone(() -> inA.remove("k", "old"));
  }

  @Test
  void invoke_updateWriterThrows_oldValueIsBackForEveryClient() {
    assertRefusedChangeIsUndone(() -> inA.invoke("k", (entry, args) -> {
      entry.setValue("new");
      return null;
    }));
  }

  @Test
  void replaceIfEquals_writerThrowsAfterAnotherClientsLaterPut_keepsTheLaterValue() {
    inB.put("k", "old");
    writer.fail = true;
    writer.onFirstCall = key -> inB.put(key, "from-b"); // lands between A's commit and its undo

    assertThrows(CacheWriterException.class, () -> inA.replace("k", "old", "new"));

    assertEquals("from-b", inB.get("k"), "the undo never overwrites a later change");
  }
}
