package io.memjcache.serialization;

import javax.cache.CacheException;

/**
 * A key or value could not be serialized, or stored bytes could not be deserialized (malformed,
 * or a class the configuration does not allow).
 */
public class SerializationException extends CacheException {
  private static final long serialVersionUID = 1L;

  public SerializationException(String message) {
    super(message);
  }

  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
