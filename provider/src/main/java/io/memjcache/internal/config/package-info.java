/**
 * The configuration file: where a manager finds it ({@link io.memjcache.internal.config.ConfigLocator}),
 * how it is read strictly with Jackson ({@link io.memjcache.internal.config.ConfigLoader}), and the
 * per-cache settings it gives each cache name ({@link io.memjcache.internal.config.CacheTemplates},
 * {@link io.memjcache.internal.config.CacheDefaults}). Every setting and its default is documented
 * in {@code io/memjcache/reference.json}, which tests keep in step with the code and the README.
 */
package io.memjcache.internal.config;
