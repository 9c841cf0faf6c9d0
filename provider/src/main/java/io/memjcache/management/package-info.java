/**
 * memjcache's own management interface, beside the JCache MXBeans: {@link
 * io.memjcache.management.MemcachedManagerMXBean} per cache manager, with {@link
 * io.memjcache.management.ConnectionInfo} per server connection and {@link
 * io.memjcache.management.KeyRingInfo} per encryption key ring as composite data.
 */
package io.memjcache.management;
