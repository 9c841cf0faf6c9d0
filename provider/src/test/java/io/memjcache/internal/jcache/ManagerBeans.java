package io.memjcache.internal.jcache;

import io.memjcache.spi.MemcachedCachingProvider;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import javax.cache.CacheManager;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Reads memjcache manager beans as an operator's console does: through the platform MBeanServer,
 * by name and attribute. Opens managers with URIs of their own, so each has its own bean.
 */
final class ManagerBeans {
  static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  private ManagerBeans() {}

  /** Short generation refresh; operation and connect timeouts of {@code timeoutMillis}. */
  static Properties properties(long timeoutMillis) {
    Properties properties = new Properties();
    properties.setProperty("memjcache.generationRefreshMillis", "100");
    properties.setProperty("memjcache.operationTimeoutMillis", Long.toString(timeoutMillis));
    properties.setProperty("memjcache.connectTimeoutMillis", Long.toString(timeoutMillis));
    return properties;
  }

  /** A URI of {@code servers} no other manager uses. */
  static URI uniqueUri(String servers, String tag) {
    return URI.create("memcached://" + servers + "/" + tag + "-" + Long.toHexString(System.nanoTime()));
  }

  /** A manager of {@code servers} from a provider of its own, with a URI of its own. */
  static CacheManager open(String servers, String tag, Properties properties) {
    return new MemcachedCachingProvider()
        .getCacheManager(uniqueUri(servers, tag), ManagerBeans.class.getClassLoader(), properties);
  }

  static void close(CacheManager manager) {
    if (manager != null) {
      manager.getCachingProvider().close();
      manager.close();
    }
  }

  /** The bean name of the (only) manager of this URI. */
  static ObjectName nameOf(CacheManager manager) {
    return ManagerBean.objectName(manager.getURI());
  }

  static Object attribute(ObjectName name, String attribute) {
    try {
      return SERVER.getAttribute(name, attribute);
    } catch (JMException e) {
      throw new AssertionError("reading " + attribute + " of " + name + " failed: " + e, e);
    }
  }

  static long counter(CacheManager manager, String attribute) {
    return (Long) attribute(nameOf(manager), attribute);
  }

  /** The manager's {@code Connections}, as composite data. */
  static CompositeData[] connections(CacheManager manager) {
    return (CompositeData[]) attribute(nameOf(manager), "Connections");
  }

  /** The only entry of {@code Connections}. */
  static CompositeData onlyConnection(CacheManager manager) {
    CompositeData[] connections = connections(manager);
    if (connections.length != 1) {
      throw new AssertionError("expected one connection entry, got " + Arrays.toString(connections));
    }
    return connections[0];
  }

  /** Every attribute of the bean, rendered as text (composite data and arrays included). */
  static String allAttributesText(ObjectName name) {
    StringBuilder text = new StringBuilder();
    try {
      for (MBeanAttributeInfo info : SERVER.getMBeanInfo(name).getAttributes()) {
        text.append(info.getName()).append('=').append(render(SERVER.getAttribute(name, info.getName()))).append('\n');
      }
    } catch (JMException e) {
      throw new AssertionError("reading the attributes of " + name + " failed: " + e, e);
    }
    return text.toString();
  }

  private static String render(Object value) {
    if (value instanceof Object[]) {
      StringBuilder b = new StringBuilder("[");
      for (Object element : (Object[]) value) {
        b.append(render(element)).append(", ");
      }
      return b.append(']').toString();
    }
    if (value instanceof int[]) {
      return Arrays.toString((int[]) value);
    }
    if (value instanceof CompositeData) {
      CompositeData data = (CompositeData) value;
      StringBuilder b = new StringBuilder("{");
      for (String key : data.getCompositeType().keySet()) {
        b.append(key).append('=').append(render(data.get(key))).append(", ");
      }
      return b.append('}').toString();
    }
    return String.valueOf(value);
  }

  /** Waits until {@code condition} holds; false if it still does not after {@code timeout}. */
  static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
