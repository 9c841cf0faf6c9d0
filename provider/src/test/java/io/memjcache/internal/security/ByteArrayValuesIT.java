package io.memjcache.internal.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.EncryptionKey.State;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.testing.MemcachedServer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * byte[] values are read with a single copy out of the receive buffer and handed to the caller
 * without another: the array a read returns must still be the caller's alone, so changing it
 * changes nothing stored or returned elsewhere. Run with clear and with encrypted entries, with
 * sizes from empty to larger than a receive buffer, and with access expiry, whose write-back reuses
 * the read bytes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ByteArrayValuesIT {
  private static final int[] SIZES = {0, 1, 100, 4096, 70_000};

  private static MemcachedServer server;
  private CacheManager manager;
  private String name;

  @BeforeAll
  static void startServer() {
    server = MemcachedServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void open(TestInfo test) {
    manager = SecurityFixtures.open(server.hostAndPort(), "bytes");
    name = SecurityFixtures.uniqueName(test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void close() {
    SecurityFixtures.close(manager);
  }

  private Cache<String, byte[]> cache(boolean encrypted, boolean accessExpiry) {
    MemcachedConfiguration<String, byte[]> configuration =
        new MemcachedConfiguration<String, byte[]>().setTypes(String.class, byte[].class);
    if (encrypted) {
      configuration.setEncryption(EncryptionSettings.builder()
          .keyRing(KeyRingSource.of(KeyRing.of(EncryptionKey.of(1, State.PRIMARY, SecurityFixtures.material()))))
          .build());
    }
    if (accessExpiry) {
      configuration.setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.HOURS, 1)));
    }
    return manager.createCache(name, configuration);
  }

  private static byte[] value(int size, int seed) {
    byte[] value = new byte[size];
    for (int i = 0; i < size; i++) {
      value[i] = (byte) (seed * 31 + i * 7);
    }
    return value;
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void get_returnedArrayChangedByCaller_storedValueUnchanged(boolean encrypted) {
    Cache<String, byte[]> cache = cache(encrypted, false);
    for (int size : SIZES) {
      byte[] original = value(size, size);
      byte[] put = original.clone();
      cache.put("k" + size, put);
      Arrays.fill(put, (byte) 0x55); // the caller's array after put is not the stored value either

      byte[] first = cache.get("k" + size);
      assertArrayEquals(original, first, size + " bytes");
      Arrays.fill(first, (byte) 0x33);
      byte[] second = cache.get("k" + size);
      assertArrayEquals(original, second, size + " bytes, after the caller changed the first array");
      if (size > 0) {
        assertNotSame(first, second);
      }
    }
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void getAll_returnedArraysChangedByCaller_storedValuesUnchanged(boolean encrypted) {
    Cache<String, byte[]> cache = cache(encrypted, false);
    Map<String, byte[]> originals = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      originals.put("k" + i, value(SIZES[i % SIZES.length], i));
    }
    cache.putAll(originals);

    Map<String, byte[]> first = cache.getAll(originals.keySet());
    assertEquals(originals.keySet(), first.keySet());
    for (Map.Entry<String, byte[]> entry : first.entrySet()) {
      assertArrayEquals(originals.get(entry.getKey()), entry.getValue(), entry.getKey());
      Arrays.fill(entry.getValue(), (byte) 0x33);
    }
    Map<String, byte[]> second = cache.getAll(originals.keySet());
    for (Map.Entry<String, byte[]> entry : second.entrySet()) {
      assertArrayEquals(originals.get(entry.getKey()), entry.getValue(), entry.getKey() + " after the caller changed it");
    }
    assertArrayEquals(originals.get("k3"), cache.get("k3"));
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void get_accessExpiryWritesBack_callerChangeNotWrittenBack(boolean encrypted) {
    Cache<String, byte[]> cache = cache(encrypted, true);
    byte[] original = value(4096, 9);
    cache.put("k", original.clone());

    for (int round = 0; round < 3; round++) {
      byte[] read = cache.get("k"); // rewrites the entry with a new expiry before returning
      assertArrayEquals(original, read, "round " + round);
      Arrays.fill(read, (byte) 0x33);
    }
    Map<String, byte[]> all = cache.getAll(java.util.Set.of("k"));
    assertArrayEquals(original, all.get("k"));
    Arrays.fill(all.get("k"), (byte) 0x44);
    assertArrayEquals(original, cache.get("k"));
  }
}
