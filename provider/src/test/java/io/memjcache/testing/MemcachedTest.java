package io.memjcache.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (one cluster shared by all its tests) or a single test method (a cluster of
 * its own) against real memcached servers; parameters of type {@link MemcachedCluster} or
 * {@link MemcachedServer} (node 0) are injected. See {@link MemcachedExtension}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MemcachedExtension.class)
public @interface MemcachedTest {

  /** How many servers. */
  int nodes() default 1;

  /** {@code -m} in megabytes; 0 keeps the value from {@link #options()} (64 by default). */
  int memoryMb() default 0;

  /** {@code -t}; 0 keeps the value from {@link #options()} (2 by default). */
  int threads() default 0;

  /** {@code -I}, e.g. "2m"; empty keeps the value from {@link #options()}. */
  String maxItemSize() default "";

  /** {@code -c}; 0 keeps the value from {@link #options()}. */
  int maxConnections() default 0;

  /** Adds {@code -v}. */
  boolean verbose() default false;

  /** Raw arguments appended after the others. */
  String[] extraArgs() default {};

  /**
   * Base options, e.g. with a {@link SaslFeature}: a class with a public no-argument constructor.
   * The attributes above override its values when set.
   */
  Class<? extends Supplier<ServerOptions>> options() default Defaults.class;

  /** Supplies {@link ServerOptions#defaults()}. */
  final class Defaults implements Supplier<ServerOptions> {
    @Override
    public ServerOptions get() {
      return ServerOptions.defaults();
    }
  }
}
