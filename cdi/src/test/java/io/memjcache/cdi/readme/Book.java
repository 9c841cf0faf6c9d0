package io.memjcache.cdi.readme;

import java.io.Serializable;

/** A value of the README example: serializable, so memcached can hold it. */
public record Book(String isbn, String title) implements Serializable {}
