package io.memjcache.internal.jcache.management;

import io.memjcache.internal.config.ConfigLocator;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.cache.CacheException;
import javax.cache.management.CacheMXBean;
import javax.cache.management.CacheStatisticsMXBean;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers caches' configuration and statistics MXBeans in the platform MBean server under the
 * names JSR-107 defines, {@code javax.cache:type=CacheConfiguration|CacheStatistics,
 * CacheManager=<uri>,Cache=<name>}.
 */
public final class MBeans {

  /** The two kinds of cache MXBean, named by their {@code type} key property. */
  public enum Kind {
    CONFIGURATION("CacheConfiguration", CacheMXBean.class),
    STATISTICS("CacheStatistics", CacheStatisticsMXBean.class);

    private final String type;
    private final Class<?> beanInterface;

    Kind(String type, Class<?> beanInterface) {
      this.type = type;
      this.beanInterface = beanInterface;
    }

    /** The {@code type} key property: {@code CacheConfiguration} or {@code CacheStatistics}. */
    public String type() {
      return type;
    }
  }

  /** The beans this class registered and has not unregistered, so it never removes someone else's. */
  private static final Map<ObjectName, Object> REGISTERED = new HashMap<>();

  private MBeans() {}

  /**
   * The standard object name of a cache's bean. The manager URI and cache name are made safe as the
   * TCK computes them, each of {@code , : = \n} becoming {@code .}; a value that still holds a
   * character that would make a pattern or break parsing ({@code * ? "}) is quoted.
   *
   * @throws CacheException if no valid name results
   */
  public static ObjectName objectName(Kind kind, URI cacheManagerUri, String cacheName) {
    Objects.requireNonNull(kind, "kind");
    String manager = safe(cacheManagerUri == null ? null : ConfigLocator.redacted(cacheManagerUri));
    String cache = safe(cacheName);
    try {
      return new ObjectName("javax.cache:type=" + kind.type + ",CacheManager=" + manager + ",Cache=" + cache);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("no valid MBean name for cache " + cacheName + " of " + ConfigLocator.redacted(cacheManagerUri), e);
    }
  }

  /** A key property value for a name: {@code , : = \n} become {@code .}; quoted if that is not enough. */
  static String safe(String value) {
    if (value == null) {
      return "";
    }
    String safe = value.replaceAll("[,:=\n]", ".");
    if (safe.indexOf('*') >= 0 || safe.indexOf('?') >= 0 || safe.indexOf('"') >= 0) {
      return ObjectName.quote(safe);
    }
    return safe;
  }

  /**
   * Makes {@code bean} the one registered under its cache's name: nothing happens if it already is,
   * and whatever else is registered under that name is replaced.
   *
   * @throws IllegalArgumentException if the bean is not a {@link CacheMXBean} (CONFIGURATION) or
   *     {@link CacheStatisticsMXBean} (STATISTICS)
   * @throws CacheException if the MBean server refuses
   */
  public static void register(Kind kind, URI cacheManagerUri, String cacheName, Object bean) {
    Objects.requireNonNull(bean, "bean");
    if (!kind.beanInterface.isInstance(bean)) {
      throw new IllegalArgumentException(kind.type + " bean must implement " + kind.beanInterface.getName());
    }
    ObjectName name = objectName(kind, cacheManagerUri, cacheName);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    synchronized (REGISTERED) {
      boolean present = server.isRegistered(name);
      if (present && REGISTERED.get(name) == bean) {
        return;
      }
      try {
        if (present) {
          unregisterQuietly(server, name);
        }
        server.registerMBean(bean, name);
        REGISTERED.put(name, bean);
      } catch (JMException | RuntimeException e) {
        throw new CacheException("registering MBean " + name + " failed", e);
      }
    }
  }

  /**
   * Unregisters {@code bean} from its cache's name. Nothing happens if nothing is registered there,
   * or if what is registered there is not {@code bean}.
   *
   * @throws CacheException if the MBean server refuses
   */
  public static void unregister(Kind kind, URI cacheManagerUri, String cacheName, Object bean) {
    ObjectName name = objectName(kind, cacheManagerUri, cacheName);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    synchronized (REGISTERED) {
      if (REGISTERED.get(name) != bean) {
        return;
      }
      REGISTERED.remove(name);
      try {
        server.unregisterMBean(name);
      } catch (InstanceNotFoundException e) {
        // unregistered by someone else already
      } catch (JMException | RuntimeException e) {
        throw new CacheException("unregistering MBean " + name + " failed", e);
      }
    }
  }

  /** Whether some bean (of any owner) is registered under the cache's name. */
  public static boolean isRegistered(Kind kind, URI cacheManagerUri, String cacheName) {
    return ManagementFactory.getPlatformMBeanServer().isRegistered(objectName(kind, cacheManagerUri, cacheName));
  }

  private static void unregisterQuietly(MBeanServer server, ObjectName name) throws JMException {
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // gone meanwhile
    }
    REGISTERED.remove(name);
  }
}
