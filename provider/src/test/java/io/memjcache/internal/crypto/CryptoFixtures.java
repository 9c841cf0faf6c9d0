package io.memjcache.internal.crypto;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Keys, rings, a manual clock and scripted randomness for the crypto tests. */
final class CryptoFixtures {
  static final Duration INTERVAL = Duration.ofSeconds(30);

  private CryptoFixtures() {}

  /** 32 fixed bytes for a seed. */
  static byte[] material(int seed) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(("test master key " + seed).getBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static EncryptionKey primary(int id) {
    return EncryptionKey.of(id, EncryptionKey.State.PRIMARY, material(id));
  }

  static EncryptionKey active(int id) {
    return EncryptionKey.of(id, EncryptionKey.State.ACTIVE, material(id));
  }

  static EncryptionKey retiredWithMaterial(int id) {
    return EncryptionKey.of(id, EncryptionKey.State.RETIRED, material(id));
  }

  /** A clock the test moves. */
  static final class ManualClock {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    long nanoTime() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  /** A ring the test replaces, read through a callback source, refreshed on the calling thread. */
  static final class MutableRing {
    final AtomicReference<KeyRing> ring;
    final ManualClock clock = new ManualClock();
    final KeyRingSource source;
    final RefreshingKeyRing refreshing;
    int loads;

    MutableRing(KeyRing initial) {
      ring = new AtomicReference<>(initial);
      source = KeyRingSource.from("test ring", () -> {
        loads++;
        return ring.get();
      });
      refreshing = new RefreshingKeyRing(source, INTERVAL, clock::nanoTime, Runnable::run);
    }

    /** Replaces the ring and lets a refresh interval pass, so the next use reads it. */
    void rotate(KeyRing next) {
      ring.set(next);
      clock.advance(INTERVAL);
    }
  }

  static RefreshingKeyRing fixed(KeyRing ring) {
    return new RefreshingKeyRing(KeyRingSource.of(ring), INTERVAL, System::nanoTime, Runnable::run);
  }

  static ValueSealer sealer(String cache, AeadAlgorithm algorithm, RefreshingKeyRing ring) {
    return sealer(cache, algorithm, true, ring, Entropy.secure(), WriterKey.DEFAULT_LIMIT);
  }

  static ValueSealer sealer(String cache, AeadAlgorithm algorithm, boolean hashKeys, RefreshingKeyRing ring,
      Entropy entropy, long limit) {
    return new ValueSealer(cache, algorithm, hashKeys, ring, entropy, limit, new RateLimitedLog(line -> {}, 1, System::nanoTime));
  }

  /** Hands out scripted byte strings in order, then fails. */
  static final class ScriptedEntropy implements Entropy {
    private final Deque<byte[]> script = new ArrayDeque<>();
    final List<Integer> requested = new ArrayList<>();

    ScriptedEntropy then(byte[] bytes) {
      script.add(bytes);
      return this;
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      requested.add(bytes.length);
      byte[] next = script.poll();
      if (next == null || next.length != bytes.length) {
        throw new AssertionError("unexpected request for " + bytes.length + " random bytes; next scripted: "
            + (next == null ? "none" : next.length + " bytes"));
      }
      System.arraycopy(next, 0, bytes, 0, bytes.length);
    }
  }

  static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static byte[] copyWith(byte[] bytes, int index, int xor) {
    byte[] copy = Arrays.copyOf(bytes, bytes.length);
    copy[index] ^= (byte) xor;
    return copy;
  }
}
