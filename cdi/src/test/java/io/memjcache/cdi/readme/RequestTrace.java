package io.memjcache.cdi.readme;

/** A parameter that is not part of the key in the README example. */
public record RequestTrace(String id) {}
