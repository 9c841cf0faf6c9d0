package io.memjcache.internal.client;

import io.memjcache.internal.protocol.Response;

/**
 * Turns a get's hit into a result on the connection's I/O thread, while the response's bytes are
 * still in the receive buffer, so that a reader copies only what it keeps (for example the value
 * inside an envelope, straight into its final array). Readers must be quick and must not block.
 *
 * @param <T> the result per hit
 */
@FunctionalInterface
public interface HitReader<T> {
  /**
   * @param index the key's position among the keys asked for (0 for a single get)
   * @param hit a NO_ERROR response, readable only during this call
   * @throws RuntimeException to fail the whole operation
   */
  T read(int index, Response hit);
}
