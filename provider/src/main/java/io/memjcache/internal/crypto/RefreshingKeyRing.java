package io.memjcache.internal.crypto;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The current key ring of one {@link KeyRingSource}, read again once per refresh interval when it
 * is used: in the background while the ring is at most one interval overdue, by the caller after a
 * longer idle time (so a JVM that wakes up never opens a value with a key retired meanwhile). A
 * reading that fails keeps the previous ring and logs why (without key material). A new snapshot
 * is published only when the ring's content changed.
 *
 * <p>The key-hashing key is the one of the first ring, for the life of this object: lookup keys
 * must not change under running caches. A later ring naming another one is logged as a warning.
 */
final class RefreshingKeyRing {
  private static final System.Logger LOG = System.getLogger(RefreshingKeyRing.class.getName());
  /** The shortest time between an early reading (after an unknown key id) and the previous one. */
  static final long EARLY_REFRESH_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final Executor BACKGROUND = backgroundExecutor();

  private final KeyRingSource source;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Executor executor;
  private final EncryptionKey hashingKey;
  private final AtomicLong nextRefreshAt;
  private final AtomicBoolean loading = new AtomicBoolean();
  private final Object overdueReading = new Object();
  private volatile long lastAttemptAt;
  private volatile KeyRing current;
  private KeyRing warnedFor;

  /**
   * Reads the ring now.
   *
   * @throws IllegalArgumentException if the source holds no valid ring
   * @throws IllegalStateException if the source cannot be read
   */
  RefreshingKeyRing(KeyRingSource source, Duration interval, LongSupplier nanoTime, Executor executor) {
    this.source = source;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.executor = executor;
    this.current = source.load();
    this.hashingKey = current.hashingKey();
    long now = nanoTime.getAsLong();
    this.lastAttemptAt = now;
    this.nextRefreshAt = new AtomicLong(now + intervalNanos);
  }

  /** Reads the ring now, then re-reads it in the background. */
  static RefreshingKeyRing start(KeyRingSource source, Duration interval) {
    return new RefreshingKeyRing(source, interval, System::nanoTime, BACKGROUND);
  }

  /** The current ring; starts a reading if one is due. */
  KeyRing current() {
    long now = nanoTime.getAsLong();
    long due = nextRefreshAt.get();
    if (now - due >= 0) {
      if (now - due >= intervalNanos) {
        // Idle for more than two intervals: read before answering. One caller reads; the others
        // wait for it rather than go on with a ring that may still hold a since-retired key. The
        // next time is set only after the reading, so that no caller sees it done before it is.
        synchronized (overdueReading) {
          if (nextRefreshAt.get() == due) {
            lastAttemptAt = now;
            load();
            nextRefreshAt.set(now + intervalNanos);
          }
        }
      } else {
        refreshInBackground(now);
      }
    }
    return current;
  }

  /**
   * The current ring, for a thread that must not block (the I/O thread): as {@link #current()},
   * except that a ring overdue by more than an interval is re-read in the background too.
   */
  KeyRing currentWithoutReading() {
    long now = nanoTime.getAsLong();
    if (now - nextRefreshAt.get() >= 0) {
      refreshInBackground(now);
    }
    return current;
  }

  /**
   * Asks for an early reading, at most once per {@link #EARLY_REFRESH_GAP_NANOS}: an entry named a
   * key id this ring lacks, perhaps one another JVM has already read.
   */
  void refreshSoon() {
    long now = nanoTime.getAsLong();
    if (now - lastAttemptAt >= EARLY_REFRESH_GAP_NANOS) {
      refreshInBackground(now);
    }
  }

  /** The master key lookup keys are derived from: the first ring's key-hashing key. */
  EncryptionKey hashingKey() {
    return hashingKey;
  }

  /** Where the ring comes from, for messages. */
  String sourceDescription() {
    return source.description();
  }

  private void refreshInBackground(long now) {
    if (!loading.compareAndSet(false, true)) {
      return;
    }
    nextRefreshAt.set(now + intervalNanos);
    lastAttemptAt = now;
    try {
      executor.execute(() -> {
        try {
          load();
        } finally {
          loading.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      loading.set(false);
    }
  }

  /** Reads the source and publishes what changed; keeps the current ring if reading fails. */
  KeyRing load() {
    KeyRing fresh;
    try {
      fresh = source.load();
    } catch (RuntimeException e) {
      // the source's messages name it and carry no key material
      LOG.log(System.Logger.Level.WARNING, "memjcache: cannot read the key ring, keeping the one read before: "
          + e.getMessage());
      return current;
    }
    publish(fresh);
    return current;
  }

  private synchronized void publish(KeyRing fresh) {
    KeyRing old = current;
    if (fresh.equals(old)) {
      return;
    }
    current = fresh;
    LOG.log(System.Logger.Level.INFO, "memjcache: the key ring from " + source.description() + " changed: " + old
        + " -> " + fresh);
    if (!sameMaterial(fresh.hashingKey(), hashingKey) && !fresh.equals(warnedFor)) {
      warnedFor = fresh;
      LOG.log(System.Logger.Level.WARNING, "memjcache: the key ring from " + source.description()
          + " now has another key-hashing key (id " + fresh.hashingKey().id() + "; this JVM started with id "
          + hashingKey.id() + "). This JVM keeps the one it started with; a JVM started now finds none of the"
          + " entries written under the old one. Keep the key-hashing key in the ring (retired is fine) or name it"
          + " with hashing=<id>.");
    }
  }

  private static boolean sameMaterial(EncryptionKey a, EncryptionKey b) {
    if (a.id() != b.id()) {
      return false;
    }
    byte[] x = a.material();
    byte[] y = b.material();
    try {
      return MessageDigest.isEqual(x, y);
    } finally {
      Arrays.fill(x, (byte) 0);
      Arrays.fill(y, (byte) 0);
    }
  }

  private static Executor backgroundExecutor() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "memjcache-keyring-refresh");
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
