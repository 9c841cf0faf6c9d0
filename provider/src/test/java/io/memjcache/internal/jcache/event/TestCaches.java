package io.memjcache.internal.jcache.event;

import java.lang.reflect.Proxy;
import javax.cache.Cache;
import javax.cache.configuration.Factory;

/** A stand-in {@link Cache} to be the source of events (only its name works), and test factories. */
final class TestCaches {
  private TestCaches() {}

  @SuppressWarnings("unchecked")
  static <K, V> Cache<K, V> named(String name) {
    return (Cache<K, V>) Proxy.newProxyInstance(TestCaches.class.getClassLoader(), new Class<?>[] {Cache.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getName", "toString" -> name;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /** A factory that always returns {@code instance} (FactoryBuilder's needs a Serializable one). */
  static <T> Factory<T> factoryOf(T instance) {
    return () -> instance;
  }
}
