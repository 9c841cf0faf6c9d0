package io.memjcache.benchmarks;

import java.util.concurrent.Future;

/**
 * One memcached client as the benchmarks drive it, over the keys of {@link KeySpace} (by index).
 * Each implementation uses its library's own public API with its default settings, and has its
 * own key prefix, so clients with different value formats never read each other's items.
 */
public interface BenchClient extends AutoCloseable {

  /** The name used in results, e.g. "memjcache" or "spymemcached". */
  String name();

  /** A synchronous get; null on a miss (the caller checks). */
  byte[] get(int index) throws Exception;

  /** A synchronous put; throws unless the client reports the value stored. */
  void put(int index, byte[] value) throws Exception;

  /**
   * Reads batch {@code batch} of {@link KeySpace#batch} with the client's multi-key API and checks
   * every value; returns the number of keys read.
   */
  int getAllChecked(int batch, int valueSize) throws Exception;

  /** Whether {@link #getAsync} is backed by a real asynchronous API. */
  default boolean hasAsync() {
    return false;
  }

  /** Starts a get; {@link #valueOf} turns the future's result into the value. */
  default Future<?> getAsync(int index) {
    throw new UnsupportedOperationException(name() + " has no asynchronous get");
  }

  /** The value inside a completed {@link #getAsync} result. */
  default byte[] valueOf(Object result) {
    return (byte[]) result;
  }

  /** Writes every key of the key space (bulk or pipelined, as fast as the client allows). */
  void populate(byte[][] values) throws Exception;

  @Override
  void close() throws Exception;
}
