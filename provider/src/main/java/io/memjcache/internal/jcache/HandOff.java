package io.memjcache.internal.jcache;

import io.memjcache.internal.protocol.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Hits of one multi-key read handed from the I/O thread to the caller that waits for the read,
 * which decodes them while the later ones are still arriving: for entries whose decoding is costly
 * (decryption), two cores share a read that one I/O thread would otherwise receive and decode
 * alone. Made by the calling thread, which alone may {@link #drain}.
 */
final class HandOff {
  /** Spins before parking: hits come in bursts (memcached answers about 20 per event). */
  private static final int SPINS = 20;

  /** What the caller does with each hit. */
  interface Decoder {
    void decode(int index, long cas, byte[] stored);
  }

  private record Hit(int index, long cas, byte[] stored) {}

  private final ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean parked = new AtomicBoolean();
  private final Thread caller = Thread.currentThread();

  /** On the I/O thread: copies the hit's value out of the receive buffer and hands it over. */
  void offer(int index, Response hit) {
    hits.add(new Hit(index, hit.cas(), hit.value()));
    if (parked.get()) {
      LockSupport.unpark(caller);
    }
  }

  /**
   * On the calling thread: decodes hits as they come until {@code read} completes (which happens
   * after its last hit was offered), then the ones still queued. Returns true when {@code read} is
   * done, normally or not (the caller then awaits it for its outcome), false at once if the thread
   * is interrupted before that (its interrupt status stays set; some hits may be undecoded).
   */
  boolean drain(CompletableFuture<?> read, Decoder decoder) {
    if (Thread.currentThread() != caller) {
      throw new IllegalStateException("only the thread that made the hand-off may drain it");
    }
    read.whenComplete((result, error) -> LockSupport.unpark(caller));
    int idle = 0;
    while (true) {
      Hit hit = hits.poll();
      if (hit != null) {
        decoder.decode(hit.index, hit.cas, hit.stored);
        idle = 0;
        continue;
      }
      if (read.isDone()) {
        while ((hit = hits.poll()) != null) {
          decoder.decode(hit.index, hit.cas, hit.stored);
        }
        return true;
      }
      if (caller.isInterrupted()) {
        return false;
      }
      if (++idle < SPINS) {
        Thread.onSpinWait();
        continue;
      }
      parked.set(true);
      if (hits.isEmpty() && !read.isDone()) { // rechecked after announcing the park: no lost wake-up
        LockSupport.park(this);
      }
      parked.set(false);
      idle = 0;
    }
  }
}
