/**
 * memjcache's configuration: {@code MemcachedConfiguration} (a JCache {@code MutableConfiguration}
 * with memjcache's settings) and the immutable settings of the security modes: {@link TlsSettings},
 * {@link SaslSettings}, {@link EncryptionSettings}, with {@link Secret} for passwords and keys that
 * never have to sit in a file.
 */
package io.memjcache.config;
