/** memjcache: a JCache (JSR-107) provider backed by memcached. */
module io.memjcache {
  requires transitive cache.api;
  requires java.management;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.transport.classes.epoll;
  requires org.bouncycastle.provider;
  requires static com.fasterxml.jackson.databind;

  exports io.memjcache.spi;
  exports io.memjcache.serialization;
  exports io.memjcache.config;
  exports io.memjcache.management;
  exports io.memjcache.async;
  // internal packages are not exported

  provides javax.cache.spi.CachingProvider with io.memjcache.spi.MemcachedCachingProvider;
}
