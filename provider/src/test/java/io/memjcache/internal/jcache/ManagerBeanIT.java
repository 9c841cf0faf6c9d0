package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testing.MemcachedTest;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import javax.cache.Cache;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The memjcache manager bean: registered while the manager is open, counting refused values. */
@MemcachedTest(nodes = 1)
class ManagerBeanIT extends TwoManagers {
  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  @Test
  void managerBean_garbageUnderAnEntryKey_countedAsRejectedAndUnregisteredOnClose() throws Exception {
    Cache<String, String> cache = createIn(a);
    cache.put("good", "value");
    ObjectName bean = ManagerBean.objectName(a.getURI());
    assertTrue(SERVER.isRegistered(bean));
    assertArrayEquals(new String[] {name}, (String[]) SERVER.getAttribute(bean, "Caches"));
    assertEquals(1, ((String[]) SERVER.getAttribute(bean, "Nodes")).length);
    long before = (Long) SERVER.getAttribute(bean, "RejectedValues");

    raw.set(raw.entryKey(name, "planted"), "not an envelope".getBytes(StandardCharsets.US_ASCII));
    assertNull(cache.get("planted"));
    assertEquals("value", cache.get("good"));

    assertEquals(before + 1, (Long) SERVER.getAttribute(bean, "RejectedValues"));
    a.close();
    assertFalse(SERVER.isRegistered(bean));
  }
}
