package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The two node-key formats, from configured text and from socket addresses. */
class KetamaNodeKeyFormatTest {

  private static final KetamaNodeKeyFormat SPY = KetamaNodeKeyFormat.SPYMEMCACHED;
  private static final KetamaNodeKeyFormat LIB = KetamaNodeKeyFormat.LIBMEMCACHED;

  @Test
  void defaultIsLibmemcached() {
    assertSame(LIB, KetamaNodeKeyFormat.DEFAULT);
  }

  @Test
  void fromConfiguredText() {
    assertEquals("10.0.0.1:11211", SPY.nodeKey("10.0.0.1", 11211));
    assertEquals("10.0.0.1:11212", SPY.nodeKey("10.0.0.1", 11212));
    assertEquals("cache-1.example.com:11211", SPY.nodeKey("cache-1.example.com", 11211));
    assertEquals("10.0.0.1", LIB.nodeKey("10.0.0.1", 11211));
    assertEquals("10.0.0.1:11212", LIB.nodeKey("10.0.0.1", 11212));
    assertEquals("cache-1.example.com", LIB.nodeKey("cache-1.example.com", 11211));
  }

  @Test
  void fromSocketAddresses() throws Exception {
    InetSocketAddress ipOnly = new InetSocketAddress(InetAddress.getByAddress(new byte[] {1, 2, 3, 4}), 11211);
    assertEquals("1.2.3.4:11211", SPY.nodeKey(ipOnly));
    assertEquals("1.2.3.4", LIB.nodeKey(ipOnly));

    InetSocketAddress named =
        new InetSocketAddress(InetAddress.getByAddress("cache-1", new byte[] {10, 0, 0, 9}), 11212);
    assertEquals("cache-1/10.0.0.9:11212", SPY.nodeKey(named)); // what spymemcached hashes
    assertEquals("cache-1:11212", LIB.nodeKey(named));

    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("cache-2", 11211);
    assertEquals("cache-2:11211", SPY.nodeKey(unresolved));
    assertEquals("cache-2", LIB.nodeKey(unresolved));
  }

  @Test
  void rejectsBadHostsAndPorts() {
    for (KetamaNodeKeyFormat f : KetamaNodeKeyFormat.values()) {
      assertThrows(IllegalArgumentException.class, () -> f.nodeKey("h", 0));
      assertThrows(IllegalArgumentException.class, () -> f.nodeKey("h", 65536));
      assertThrows(IllegalArgumentException.class, () -> f.nodeKey("", 11211));
      assertThrows(NullPointerException.class, () -> f.nodeKey(null, 11211));
      assertThrows(NullPointerException.class, () -> f.nodeKey((InetSocketAddress) null));
    }
  }
}
