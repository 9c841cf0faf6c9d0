package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.testing.MemcachedTest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.Test;

/**
 * Expiry with millisecond precision, decided by the absolute expiry in each entry's envelope (so a
 * manager with another policy, or none, sees the same expiry), and memcached's own TTL kept as a
 * bounded garbage-collection hint. Timing is asserted against deadlines with polling: a check that
 * ran too late to be conclusive is repeated, never guessed.
 */
@MemcachedTest(nodes = 1)
class ExpiryIT extends TwoManagers {
  private static final long TTL_MILLIS = 300;

  private Cache<String, String> createIn(javax.cache.CacheManager manager, MutableConfiguration<String, String> config) {
    return manager.createCache(name, config);
  }

  @Test
  void get_createdExpiry300ms_presentBeforeAndAbsentSoonAfter() {
    Cache<String, String> inA = createIn(a, Managers.strings()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, TTL_MILLIS))));
    Cache<String, String> inB = createIn(b); // eternal policy: B only reads what A wrote
    for (int attempt = 0; attempt < 5; attempt++) {
      String key = "k" + attempt;
      long before = System.currentTimeMillis();
      inA.put(key, "v");
      long putDone = System.currentTimeMillis();
      // ~100 ms in: the entry must be there for both managers.
      Deadlines.sleepUntil(before + 100);
      String fromB = inB.get(key);
      String fromA = inA.get(key);
      long readDone = System.currentTimeMillis();
      if (readDone >= before + TTL_MILLIS) {
        continue; // the machine stalled past the expiry: inconclusive, try again
      }
      assertEquals("v", fromB, "B, " + (readDone - before) + " ms after the put");
      assertEquals("v", fromA, "A, " + (readDone - before) + " ms after the put");

      // Absent once the 300 ms have passed: poll, and never see it vanish early or come back.
      long goneAt = -1;
      long deadline = putDone + 500 + 500; // ~500 ms, plus slack for a slow machine
      while (System.currentTimeMillis() < deadline) {
        long asked = System.currentTimeMillis();
        String value = inB.get(key);
        long answered = System.currentTimeMillis();
        if (value == null) {
          assertTrue(answered >= before + TTL_MILLIS, "gone after only " + (answered - before) + " ms");
          goneAt = asked;
          break;
        }
        Deadlines.sleep(10);
      }
      assertTrue(goneAt > 0, "still present " + (deadline - before) + " ms after the put");
      assertNull(inA.get(key));
      assertNull(inB.get(key));
      assertFalse(inA.containsKey(key));
      assertEquals(Map.of(), contents(inB));
      return;
    }
    fail("every attempt stalled past the expiry; the machine is too slow for this check");
  }

  @Test
  void put_creationExpiryZero_storesNothing() {
    Cache<String, String> inA = createIn(a, Managers.strings()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ZERO)));
    Cache<String, String> inB = createIn(b);

    inA.put("k", "v");
    assertTrue(inA.putIfAbsent("k2", "v2"));
    inA.putAll(Map.of("k3", "v3"));

    for (String key : new String[] {"k", "k2", "k3"}) {
      assertNull(raw.get(raw.entryKey(name, key)), "no memcached item for " + key);
      assertNull(inA.get(key), key);
      assertNull(inB.get(key), key);
    }
    assertEquals(Map.of(), contents(inB));
  }

  @Test
  void get_accessExpiryZero_returnsValueOnceThenItIsGone() {
    Cache<String, String> inA = createIn(a, Managers.strings()
        .setExpiryPolicyFactory(FixedExpiryPolicy.factory(Duration.ETERNAL, Duration.ZERO, null)));
    Cache<String, String> inB = createIn(b);

    inA.put("k", "v");
    assertNotNull(raw.get(raw.entryKey(name, "k")));
    assertEquals("v", inB.get("k"), "B's policy has no access expiry: reading leaves the entry");
    assertEquals("v", inA.get("k"), "the first read under access expiry ZERO returns the value");
    assertNull(raw.get(raw.entryKey(name, "k")), "and removes the item");
    assertNull(inA.get("k"));
    assertNull(inB.get("k"));

    inB.put("k", "again");
    assertEquals("again", contents(inA).get("k"), "iteration is an access too");
    assertNull(inB.get("k"));
  }

  @Test
  void put_updateExpiryZero_removesEntryOnUpdate() {
    Cache<String, String> inA = createIn(a, Managers.strings()
        .setExpiryPolicyFactory(FixedExpiryPolicy.factory(Duration.ETERNAL, null, Duration.ZERO)));
    Cache<String, String> inB = createIn(b);

    inA.put("k", "v1");
    assertEquals("v1", inB.get("k"));
    inA.put("k", "v2");
    assertNull(raw.get(raw.entryKey(name, "k")), "the update removed the item");
    assertNull(inB.get("k"));
    assertNull(inA.get("k"));

    inB.put("r", "v1");
    assertTrue(inA.replace("r", "v2"));
    assertNull(inB.get("r"), "replace is an update");
  }

  @Test
  void put_updateByManagerWithoutUpdateExpiry_keepsTheEntrysExpiry() {
    // The expiry lives in the entry: B's update, under a policy whose update expiry is null
    // ("unchanged"), keeps the expiry A's policy gave the entry.
    Cache<String, String> inA = createIn(a, Managers.strings()
        .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, TTL_MILLIS))));
    Cache<String, String> inB = createIn(b, Managers.strings()
        .setExpiryPolicyFactory(FixedExpiryPolicy.factory(Duration.ETERNAL, null, null)));
    long before = System.currentTimeMillis();
    inA.put("k", "v1");
    inB.put("k", "v2");
    Deadlines.awaitTrue(TTL_MILLIS + 1000, () -> "B's update extended A's expiry", () -> inB.get("k") == null);
    assertTrue(System.currentTimeMillis() >= before + TTL_MILLIS);
  }

  @Test
  void serverTtl_oneSecondExpiry_itemLeavesMemcachedWithinThreeSeconds() {
    Cache<String, String> inA = createIn(a, Managers.strings()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 1))));
    long before = System.currentTimeMillis();
    inA.put("k", "v");
    byte[] itemKey = raw.entryKey(name, "k");
    assertNotNull(raw.get(itemKey), "memcached holds the item while the entry lives");

    // Nobody reads the entry through the cache, so only memcached's TTL can remove it.
    Deadlines.awaitTrue(3_000 + 500, () -> "memcached still holds the item "
        + (System.currentTimeMillis() - before) + " ms after the put", () -> raw.get(itemKey) == null);
  }
}
