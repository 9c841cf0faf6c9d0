package io.memjcache.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PooledEntropyTest {

  /** A generator whose output is the big-endian ints 0, 1, 2, ..., and which records each request's length. */
  private static final class CountingGenerator extends SecureRandom {
    private int counter;
    final List<Integer> requests = new ArrayList<>();

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      requests.add(bytes.length);
      ByteBuffer out = ByteBuffer.wrap(bytes);
      while (out.remaining() >= Integer.BYTES) {
        out.putInt(counter++);
      }
    }
  }

  private static int[] ints(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int[] out = new int[bytes.length / Integer.BYTES];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.getInt();
    }
    return out;
  }

  @Test
  void handsOutTheGeneratorsBytesInOrder_neverTwice_oneDrawPerPool() {
    CountingGenerator generator = new CountingGenerator();
    PooledEntropy entropy = new PooledEntropy(() -> generator);
    int expected = 0;
    for (int i = 0; i < 3 * PooledEntropy.POOL_SIZE / 12; i++) {
      byte[] nonce = new byte[12];
      entropy.nextBytes(nonce);
      for (int value : ints(nonce)) {
        assertEquals(expected++, value, "nonce " + i);
      }
    }
    // 96 nonces of 12 bytes are exactly three pools, each drawn once, whole
    assertEquals(List.of(PooledEntropy.POOL_SIZE, PooledEntropy.POOL_SIZE, PooledEntropy.POOL_SIZE), generator.requests);
  }

  @Test
  void aRequestThatDoesNotFitTheRest_refillsAndSkipsTheRest() {
    CountingGenerator generator = new CountingGenerator();
    PooledEntropy entropy = new PooledEntropy(() -> generator);
    for (int i = 0; i < 31; i++) {
      entropy.nextBytes(new byte[12]); // 372 of 384 bytes used: 12 left
    }
    byte[] salt = new byte[16];
    entropy.nextBytes(salt);
    // the 12 bytes left (ints 93-95) are dropped; the salt starts the second pool
    assertEquals(List.of(PooledEntropy.POOL_SIZE, PooledEntropy.POOL_SIZE), generator.requests);
    assertEquals(96, ints(salt)[0]);
    byte[] nonce = new byte[12];
    entropy.nextBytes(nonce);
    assertEquals(100, ints(nonce)[0]);
  }

  @Test
  void aRequestLargerThanThePool_goesToTheGenerator_andLeavesThePoolAsItWas() {
    CountingGenerator generator = new CountingGenerator();
    PooledEntropy entropy = new PooledEntropy(() -> generator);
    byte[] first = new byte[12];
    entropy.nextBytes(first);
    byte[] large = new byte[PooledEntropy.POOL_SIZE + 4];
    entropy.nextBytes(large);
    assertEquals(List.of(PooledEntropy.POOL_SIZE, PooledEntropy.POOL_SIZE + 4), generator.requests);
    assertEquals(PooledEntropy.POOL_SIZE / 4, ints(large)[0]);
    byte[] second = new byte[12];
    entropy.nextBytes(second);
    assertEquals(3, ints(second)[0], "the pool goes on where it stopped");
  }

  @Test
  void eachThread_hasAGeneratorAndPoolOfItsOwn() throws InterruptedException {
    List<CountingGenerator> made = new ArrayList<>();
    PooledEntropy entropy = new PooledEntropy(() -> {
      CountingGenerator g = new CountingGenerator();
      synchronized (made) {
        made.add(g);
      }
      return g;
    });
    byte[] mine = new byte[12];
    entropy.nextBytes(mine);
    byte[][] theirs = new byte[2][12];
    Thread other = new Thread(() -> {
      entropy.nextBytes(theirs[0]);
      entropy.nextBytes(theirs[1]);
    });
    other.start();
    other.join();
    byte[] mineAgain = new byte[12];
    entropy.nextBytes(mineAgain);
    assertEquals(2, made.size(), "one generator per thread");
    assertEquals(0, ints(mine)[0]);
    assertEquals(0, ints(theirs[0])[0], "the other thread starts its own stream");
    assertEquals(3, ints(theirs[1])[0]);
    assertEquals(3, ints(mineAgain)[0], "this thread's pool went on where it stopped");
  }

  @Test
  void newGenerator_isADrbgOfItsOwn() {
    SecureRandom a = PooledEntropy.newGenerator();
    SecureRandom b = PooledEntropy.newGenerator();
    assertEquals("DRBG", a.getAlgorithm());
    assertFalse(a == b);
    byte[] x = new byte[32];
    byte[] y = new byte[32];
    a.nextBytes(x);
    b.nextBytes(y);
    assertFalse(Arrays.equals(x, y));
  }

  @Test
  void secure_givesEveryThreadUniqueNonces() throws InterruptedException {
    Entropy entropy = Entropy.secure();
    int threads = 4;
    int perThread = 20_000;
    Set<ByteBuffer> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perThread; i++) {
            byte[] nonce = new byte[12];
            entropy.nextBytes(nonce);
            seen.add(ByteBuffer.wrap(nonce));
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      workers.add(worker);
      worker.start();
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertTrue(failures.isEmpty(), failures::toString);
    assertEquals(threads * perThread, seen.size(), "a nonce was handed out twice");
    Set<Byte> firstBytes = new HashSet<>();
    for (ByteBuffer nonce : seen) {
      firstBytes.add(nonce.get(0));
    }
    assertTrue(firstBytes.size() > 200, "nonces look far from random: " + firstBytes.size() + " first-byte values");
  }
}
