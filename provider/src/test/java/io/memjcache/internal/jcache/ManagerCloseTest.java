package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.internal.crypto.ValueEncryption;
import java.lang.ref.WeakReference;
import java.util.Base64;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/** What a closed manager still holds while the application keeps a reference to it. */
class ManagerCloseTest {

  @Test
  void close_dropsTheKeyRings() throws Exception {
    CacheManager manager = Managers.open("127.0.0.1:1"); // never connects: nothing here uses the servers
    try {
      KeyRing ring = KeyRing.parse("1:" + Base64.getEncoder().encodeToString(new byte[32]) + ";primary=1");
      EncryptionSettings settings = EncryptionSettings.builder().keyRing(KeyRingSource.of(ring)).build();
      WeakReference<ValueEncryption> encryption =
          new WeakReference<>(manager.unwrap(MemcachedCacheManager.class).encryption(settings));
      ring = null;
      settings = null;

      manager.close();

      for (int i = 0; i < 50 && encryption.get() != null; i++) {
        System.gc();
        Thread.sleep(10);
      }
      assertNull(encryption.get(), "the closed manager still holds its key ring");
      assertTrue(manager.isClosed());
    } finally {
      Managers.close(manager);
    }
  }
}
