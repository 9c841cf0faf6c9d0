package io.memjcache.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.KeyRing;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A writer key seals at most its limit of values, then the writer draws a new salt (and so a new
 * key): production uses 2^31, half the random-nonce bound of NIST SP 800-38D; these tests inject
 * small limits.
 */
class WriterKeyRotationTest {
  private static final byte[] KEY = {1, 2, 3};
  private static final byte[] VALUE = {4, 5, 6};

  private static ByteBuffer salt(byte[] stored) {
    return ByteBuffer.wrap(Arrays.copyOfRange(stored, 13, 29));
  }

  @Test
  void writerKey_tryUse_allowsExactlyTheLimit() {
    WriterKey key = new WriterKey(1, new byte[16], new byte[32], 3);
    assertTrue(key.tryUse());
    assertTrue(key.tryUse());
    assertTrue(key.tryUse());
    assertFalse(key.tryUse());
    assertFalse(key.tryUse());
    assertEquals(3, key.uses());
  }

  @Test
  void seal_pastTheLimit_drawsANewSalt() throws Exception {
    ValueSealer sealer = CryptoFixtures.sealer("orders", AeadAlgorithm.AES_256_GCM, true,
        CryptoFixtures.fixed(KeyRing.of(CryptoFixtures.primary(1))), Entropy.secure(), 5);
    byte[] lookupKey = sealer.lookupKey(KEY);
    Map<ByteBuffer, Integer> uses = new HashMap<>();
    List<ByteBuffer> order = new java.util.ArrayList<>();
    for (int i = 0; i < 23; i++) {
      byte[] stored = sealer.seal(lookupKey, KEY, 0, 1000L, VALUE);
      uses.merge(salt(stored), 1, Integer::sum);
      order.add(salt(stored));
      sealer.open(stored, lookupKey); // every writer key's values stay readable
    }
    assertEquals(5, uses.size(), "23 seals with a limit of 5 take 5 salts");
    assertEquals(5, sealer.writerKeysDrawn());
    for (int i = 0; i < 23; i++) {
      assertEquals(order.get(i - i % 5), order.get(i), "seals 5k to 5k+4 share a salt");
    }
    assertTrue(uses.values().stream().allMatch(n -> n <= 5));
  }

  @Test
  void seal_concurrently_neverUsesASaltPastTheLimit() throws Exception {
    int limit = 37;
    ValueSealer sealer = CryptoFixtures.sealer("orders", AeadAlgorithm.AES_256_GCM_SIV, true,
        CryptoFixtures.fixed(KeyRing.of(CryptoFixtures.primary(1))), Entropy.secure(), limit);
    byte[] lookupKey = sealer.lookupKey(KEY);
    Map<ByteBuffer, AtomicInteger> uses = new ConcurrentHashMap<>();
    Set<ByteBuffer> nonces = ConcurrentHashMap.newKeySet();
    int threads = 8;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            byte[] stored = sealer.seal(lookupKey, KEY, 0, 1000L, VALUE);
            uses.computeIfAbsent(salt(stored), s -> new AtomicInteger()).incrementAndGet();
            nonces.add(ByteBuffer.wrap(Arrays.copyOfRange(stored, 13, 41)));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    int total = threads * perThread;
    assertEquals(total, nonces.size(), "every (salt, nonce) pair is distinct");
    for (AtomicInteger n : uses.values()) {
      assertTrue(n.get() <= limit, "a salt sealed " + n.get() + " values");
    }
    // only the salt in use at the end may be partly used
    long full = uses.values().stream().filter(n -> n.get() == limit).count();
    assertEquals(uses.size() - 1, full, "salts are used up before new ones are drawn");
    assertEquals(uses.size(), sealer.writerKeysDrawn());
    assertTrue(uses.size() >= (total + limit - 1) / limit);
  }

  @Test
  void seal_afterRingChange_drawsANewSalt() {
    CryptoFixtures.MutableRing ring = new CryptoFixtures.MutableRing(KeyRing.of(CryptoFixtures.primary(1)));
    ValueSealer sealer = CryptoFixtures.sealer("orders", AeadAlgorithm.AES_256_GCM, true, ring.refreshing,
        Entropy.secure(), WriterKey.DEFAULT_LIMIT);
    byte[] lookupKey = sealer.lookupKey(KEY);
    Set<ByteBuffer> salts = new HashSet<>();
    salts.add(salt(sealer.seal(lookupKey, KEY, 0, 1000L, VALUE)));
    salts.add(salt(sealer.seal(lookupKey, KEY, 0, 1000L, VALUE)));
    assertEquals(1, salts.size());
    ring.rotate(KeyRing.of(CryptoFixtures.active(1), CryptoFixtures.primary(2)));
    salts.add(salt(sealer.seal(lookupKey, KEY, 0, 1000L, VALUE)));
    assertEquals(2, salts.size());
  }
}
