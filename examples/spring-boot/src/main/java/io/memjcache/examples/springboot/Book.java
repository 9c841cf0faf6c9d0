package io.memjcache.examples.springboot;

import java.io.Serializable;

/**
 * A book of the shelf. Spring caches it as a plain {@code Object}, so memjcache writes it with Java
 * serialization; {@code memjcache.json} allows exactly this class to be read back from memcached.
 */
public record Book(long id, String title, String author) implements Serializable {}
