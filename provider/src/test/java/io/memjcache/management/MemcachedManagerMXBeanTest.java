package io.memjcache.management;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Date;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

/**
 * The manager bean's interface as a JMX console sees it: open types only (composite data for
 * connections and key rings), and a typed proxy that reads them back.
 */
class MemcachedManagerMXBeanTest {
  private static final Date NOT_AFTER = new Date(1_900_000_000_000L);

  private static ConnectionInfo tlsConnection() {
    return new ConnectionInfo("127.0.0.1:11211", "tls+sasl", "UP", true, new Date(1_700_000_000_000L), "1.6.18",
        "TLSv1.3", "TLS_AES_256_GCM_SHA384", "CN=server", NOT_AFTER, "CN=client", "SCRAM-SHA-256", "app", 2, 0, null,
        3, 4, 5, 1, 6);
  }

  private static ConnectionInfo plainDownConnection() {
    return new ConnectionInfo("127.0.0.1:11212", "plain", "DOWN", false, null, null, null, null, null, null, null,
        null, null, 0, 7, "connection refused", 0, 0, 7, 0, 1);
  }

  /** A bean with fixed values: the mapping, not the provider, is under test. */
  private static final class FixedBean implements MemcachedManagerMXBean {
    @Override
    public String getUri() {
      return "memcached://127.0.0.1:11211";
    }

    @Override
    public String getClassLoader() {
      return "app@1";
    }

    @Override
    public String[] getCaches() {
      return new String[] {"users"};
    }

    @Override
    public String[] getNodes() {
      return new String[] {"127.0.0.1:11211 UP tls sasl failures=0 reconnects=4 timeouts=3"};
    }

    @Override
    public ConnectionInfo[] getConnections() {
      return new ConnectionInfo[] {tlsConnection(), plainDownConnection()};
    }

    @Override
    public String[] getEncryptionKeys() {
      return new String[] {"KeyRing{primary=2, active=[1], retired=[0], hashing=1}"};
    }

    @Override
    public KeyRingInfo[] getKeyRings() {
      return new KeyRingInfo[] {new KeyRingInfo("env:KEYS", "AES_256_GCM", 2, new int[] {1}, new int[] {0}, 1)};
    }

    @Override
    public long getRejectedValues() {
      return 8;
    }

    @Override
    public long getTimeouts() {
      return 3;
    }

    @Override
    public long getReconnects() {
      return 4;
    }

    @Override
    public long getConnectFailures() {
      return 12;
    }

    @Override
    public long getAuthenticationFailures() {
      return 1;
    }
  }

  @Test
  void interface_isAnMXBeanInterface() {
    assertTrue(JMX.isMXBeanInterface(MemcachedManagerMXBean.class));
  }

  @Test
  void connections_readThroughMBeanServer_areCompositeDataWithEveryField() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("io.memjcache.test:type=MappingTest,case=composite");
    server.registerMBean(new StandardMBean(new FixedBean(), MemcachedManagerMXBean.class, true), name);
    try {
      CompositeData[] connections = (CompositeData[]) server.getAttribute(name, "Connections");
      assertEquals(2, connections.length);
      CompositeData tls = connections[0];
      assertEquals("127.0.0.1:11211", tls.get("node"));
      assertEquals("TLSv1.3", tls.get("tlsProtocol"));
      assertEquals("TLS_AES_256_GCM_SHA384", tls.get("tlsCipherSuite"));
      assertEquals(NOT_AFTER, tls.get("peerCertificateNotAfter"));
      assertEquals("SCRAM-SHA-256", tls.get("saslMechanism"));
      assertEquals(Boolean.TRUE, tls.get("connected"));
      assertEquals(3L, tls.get("timeouts"));
      assertEquals(4L, tls.get("reconnects"));
      assertEquals(5L, tls.get("connectFailures"));
      assertEquals(1L, tls.get("authenticationFailures"));
      assertEquals(6L, tls.get("connectionsLost"));
      assertEquals(2, tls.get("inFlight"));
      assertNull(connections[1].get("tlsProtocol"));
      assertEquals("DOWN", connections[1].get("state"));

      CompositeData[] rings = (CompositeData[]) server.getAttribute(name, "KeyRings");
      assertEquals(2, rings[0].get("primaryKeyId"));
      assertArrayEquals(new int[] {1}, (int[]) rings[0].get("activeKeyIds"));
      assertEquals(3L, server.getAttribute(name, "Timeouts"));
      assertEquals(1L, server.getAttribute(name, "AuthenticationFailures"));
    } finally {
      server.unregisterMBean(name);
    }
  }

  @Test
  void proxy_readsConnectionsAndKeyRingsBackAsTypedObjects() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("io.memjcache.test:type=MappingTest,case=proxy");
    server.registerMBean(new StandardMBean(new FixedBean(), MemcachedManagerMXBean.class, true), name);
    try {
      MemcachedManagerMXBean proxy = JMX.newMXBeanProxy(server, name, MemcachedManagerMXBean.class);
      ConnectionInfo tls = proxy.getConnections()[0];
      assertEquals(tlsConnection().toString(), tls.toString());
      assertEquals(NOT_AFTER, tls.getPeerCertificateNotAfter());
      assertEquals("CN=client", tls.getClientCertificateSubject());
      assertEquals("app", tls.getSaslUser());
      ConnectionInfo down = proxy.getConnections()[1];
      assertEquals("connection refused", down.getLastError());
      assertEquals(7, down.getConsecutiveFailures());
      KeyRingInfo ring = proxy.getKeyRings()[0];
      assertEquals(2, ring.getPrimaryKeyId());
      assertArrayEquals(new int[] {0}, ring.getRetiredKeyIds());
      assertEquals("env:KEYS", ring.getSource());
    } finally {
      server.unregisterMBean(name);
    }
  }
}
