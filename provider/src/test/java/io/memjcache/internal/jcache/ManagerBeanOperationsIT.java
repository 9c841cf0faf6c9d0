package io.memjcache.internal.jcache;

import static io.memjcache.internal.jcache.ManagerBeans.SERVER;
import static io.memjcache.internal.jcache.ManagerBeans.allAttributesText;
import static io.memjcache.internal.jcache.ManagerBeans.attribute;
import static io.memjcache.internal.jcache.ManagerBeans.await;
import static io.memjcache.internal.jcache.ManagerBeans.counter;
import static io.memjcache.internal.jcache.ManagerBeans.nameOf;
import static io.memjcache.internal.jcache.ManagerBeans.onlyConnection;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.FaultProxy;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's view of a manager on plaintext servers, read through the platform MBeanServer:
 * connection state, timeouts of a stalled node, reconnects after a lost connection or a server
 * restart, the key ring's primary id across a rotation, and distinct bean names for two managers
 * of one URI.
 */
@MemcachedTest(nodes = 1)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagerBeanOperationsIT {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void connections_plainServer_showNodeUpConnectedWithoutTlsOrSasl(MemcachedCluster cluster) throws Exception {
    CacheManager manager = ManagerBeans.open(cluster.serverList(), "plain", ManagerBeans.properties(5000));
    try {
      Cache<String, String> cache = manager.createCache("plain", Managers.strings());
      cache.put("k", "v");
      CompositeData connection = onlyConnection(manager);
      assertEquals(cluster.node(0).hostAndPort(), connection.get("node"));
      assertEquals("plain", connection.get("security"));
      assertEquals("UP", connection.get("state"));
      assertEquals(Boolean.TRUE, connection.get("connected"));
      assertNotNull(connection.get("connectedSince"));
      assertEquals(cluster.node(0).version(), connection.get("serverVersion"));
      assertNull(connection.get("tlsProtocol"));
      assertNull(connection.get("peerCertificateNotAfter"));
      assertNull(connection.get("saslMechanism"));
      assertEquals(0L, connection.get("timeouts"));
      assertEquals(0L, connection.get("reconnects"));
      assertEquals(0L, connection.get("connectFailures"));
      assertEquals(0L, counter(manager, "Timeouts"));
      assertEquals(0L, counter(manager, "Reconnects"));
      String[] nodes = (String[]) attribute(nameOf(manager), "Nodes");
      assertEquals(1, nodes.length);
      assertTrue(nodes[0].startsWith(cluster.node(0).hostAndPort() + " UP "), nodes[0]);
      assertEquals(0, ((Object[]) attribute(nameOf(manager), "KeyRings")).length);
    } finally {
      ManagerBeans.close(manager);
    }
  }

  @Test
  void timeouts_stalledNode_countedOnItsConnectionAndInTotal(MemcachedCluster cluster) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(cluster.node(0).address())) {
      CacheManager manager = ManagerBeans.open(proxy.hostAndPort(), "stall", ManagerBeans.properties(300));
      try {
        Cache<String, String> cache = manager.createCache("stall", Managers.strings());
        cache.put("k", "v");
        assertEquals(0L, counter(manager, "Timeouts"));

        proxy.stall();
        try {
          cache.get("k");
        } catch (RuntimeException expected) {
          // the read times out: that is what is counted
        }
        assertTrue(await(() -> counter(manager, "Timeouts") >= 1, PATIENCE),
            "no timeout counted: " + allAttributesText(nameOf(manager)));
        CompositeData connection = onlyConnection(manager);
        assertEquals(proxy.hostAndPort(), connection.get("node"));
        assertTrue((Long) connection.get("timeouts") >= 1, connection.toString());
        assertTrue(String.valueOf(connection.get("lastError")).contains("timed out")
            || String.valueOf(connection.get("lastError")).contains("no answer"), connection.toString());
      } finally {
        proxy.passThrough();
        ManagerBeans.close(manager);
      }
    }
  }

  @Test
  void reconnects_connectionReset_countedAsLostAndReestablished(MemcachedCluster cluster) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(cluster.node(0).address())) {
      CacheManager manager = ManagerBeans.open(proxy.hostAndPort(), "reset", ManagerBeans.properties(2000));
      try {
        Cache<String, String> cache = manager.createCache("reset", Managers.strings());
        cache.put("k", "v");
        assertEquals(0L, counter(manager, "Reconnects"));
        assertEquals(0L, (Long) onlyConnection(manager).get("connectionsLost"));

        assertTrue(proxy.reset() >= 1, "the proxy carried no connection to reset");
        assertTrue(await(() -> putSucceeds(cache) && counter(manager, "Reconnects") >= 1, PATIENCE),
            "no reconnect counted: " + allAttributesText(nameOf(manager)));
        CompositeData connection = onlyConnection(manager);
        assertEquals(1L, connection.get("reconnects"));
        assertEquals(1L, connection.get("connectionsLost"));
        assertEquals(Boolean.TRUE, connection.get("connected"));
      } finally {
        ManagerBeans.close(manager);
      }
    }
  }

  @Test
  void reconnects_serverRestarted_countedOnceServingAgain() throws Exception {
    try (MemcachedServer server = MemcachedServer.start()) {
      CacheManager manager = ManagerBeans.open(server.hostAndPort(), "restart", ManagerBeans.properties(2000));
      try {
        Cache<String, String> cache = manager.createCache("restart", Managers.strings());
        cache.put("k", "v");
        assertEquals(0L, counter(manager, "Reconnects"));

        server.restart();
        assertTrue(await(() -> putSucceeds(cache) && counter(manager, "Reconnects") >= 1, PATIENCE),
            "no reconnect counted: " + allAttributesText(nameOf(manager)));
        CompositeData connection = onlyConnection(manager);
        assertTrue((Long) connection.get("connectionsLost") >= 1, connection.toString());
        assertEquals(Boolean.TRUE, connection.get("connected"));
        assertEquals("UP", connection.get("state"));
      } finally {
        ManagerBeans.close(manager);
      }
    }
  }

  private static boolean putSucceeds(Cache<String, String> cache) {
    try {
      cache.put("k", "v2");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Test
  void keyRings_primaryRotated_showNewPrimaryIdAndNoKeyMaterial(MemcachedCluster cluster) throws Exception {
    byte[] one = material();
    byte[] two = material();
    KeyRing before = KeyRing.parse("1:" + base64(one) + ";primary=1");
    KeyRing after = KeyRing.parse("1:" + base64(one) + ",2:" + base64(two) + ";primary=2");
    AtomicReference<KeyRing> current = new AtomicReference<>(before);
    MemcachedConfiguration<String, String> configuration = new MemcachedConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setEncryption(EncryptionSettings.builder().keyRing(KeyRingSource.from("ops-rotation", current::get))
            .refreshInterval(Duration.ofSeconds(1)).build());
    CacheManager manager = ManagerBeans.open(cluster.serverList(), "rotation", ManagerBeans.properties(5000));
    try {
      Cache<String, String> cache = manager.createCache("rotation", configuration);
      cache.put("k", "v");
      ObjectName name = nameOf(manager);
      CompositeData ring = ((CompositeData[]) attribute(name, "KeyRings"))[0];
      assertEquals(1, ring.get("primaryKeyId"));
      assertEquals("callback:ops-rotation", ring.get("source"));
      assertEquals("AES_256_GCM", ring.get("algorithm"));

      current.set(after);
      assertTrue(await(() -> primaryKeyId(name) == 2, PATIENCE),
          "the bean still shows the old primary: " + allAttributesText(name));
      ring = ((CompositeData[]) attribute(name, "KeyRings"))[0];
      assertArrayEquals(new int[] {1}, (int[]) ring.get("activeKeyIds"));
      assertArrayEquals(new int[0], (int[]) ring.get("retiredKeyIds"));
      assertTrue(((String[]) attribute(name, "EncryptionKeys"))[0].contains("primary=2"));
      cache.put("k", "v2");
      assertEquals("v2", cache.get("k"));

      String text = allAttributesText(name);
      for (byte[] key : new byte[][] {one, two}) {
        assertFalse(text.contains(base64(key)), "key material in the bean: " + text);
        assertFalse(text.contains(Base64.getEncoder().withoutPadding().encodeToString(key).substring(0, 16)), text);
      }
    } finally {
      ManagerBeans.close(manager);
    }
  }

  private static int primaryKeyId(ObjectName name) {
    return (Integer) ((CompositeData[]) attribute(name, "KeyRings"))[0].get("primaryKeyId");
  }

  @Test
  void beanName_sameUriInTwoClassLoaders_eachManagerRegisteredUnderItsOwnName(MemcachedCluster cluster)
      throws Exception {
    MemcachedCachingProvider provider = new MemcachedCachingProvider();
    URI uri = ManagerBeans.uniqueUri(cluster.serverList(), "clash");
    ClassLoader first = ManagerBeanOperationsIT.class.getClassLoader();
    try (URLClassLoader second = new URLClassLoader("second-webapp", new URL[0], first)) {
      CacheManager a = provider.getCacheManager(uri, first, ManagerBeans.properties(5000));
      CacheManager b = provider.getCacheManager(uri, second, ManagerBeans.properties(5000));
      try {
        assertNotEquals(a, b);
        a.createCache("in-first", Managers.strings());
        b.createCache("in-second", Managers.strings());
        ObjectName pattern = new ObjectName("io.memjcache:type=CacheManager,uri=" + ObjectName.quote(uri.toString()) + ",*");
        Set<ObjectName> names = SERVER.queryNames(pattern, null);
        ObjectName firstName = ManagerBean.objectName(uri);
        ObjectName secondName = ManagerBean.objectName(uri, 2);
        assertEquals(Set.of(firstName, secondName), names);
        assertArrayEquals(new String[] {"in-first"}, (String[]) attribute(firstName, "Caches"));
        assertArrayEquals(new String[] {"in-second"}, (String[]) attribute(secondName, "Caches"));
        assertTrue(((String) attribute(secondName, "ClassLoader")).startsWith("second-webapp@"),
            (String) attribute(secondName, "ClassLoader"));
        assertNotEquals(attribute(firstName, "ClassLoader"), attribute(secondName, "ClassLoader"));
        assertEquals(uri.toString(), attribute(secondName, "Uri"));

        b.close();
        assertEquals(Set.of(firstName), SERVER.queryNames(pattern, null));
        a.close();
        assertEquals(Set.of(), SERVER.queryNames(pattern, null));
      } finally {
        provider.close();
      }
    }
  }

  private static byte[] material() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static String base64(byte[] key) {
    return Base64.getEncoder().encodeToString(key);
  }
}
