package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.protocol.Frames;
import io.memjcache.internal.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The I/O thread offers hits, the caller decodes them while more arrive, and never misses one. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandOffTest {

  /** A GETQ hit as the frame decoder hands it over: value {@code index} as 4 bytes, CAS {@code index + 1000}. */
  private static Response hit(int index) {
    ByteBuf b = Unpooled.directBuffer();
    b.writeByte(0x81).writeByte(0x09).writeShort(0).writeByte(4).writeByte(0).writeShort(0);
    b.writeInt(8).writeInt(index).writeLong(index + 1000L);
    b.writeInt(0).writeInt(index);
    return Frames.decodeView(b, 1 << 20);
  }

  private static int valueOf(byte[] stored) {
    return (stored[0] & 0xFF) << 24 | (stored[1] & 0xFF) << 16 | (stored[2] & 0xFF) << 8 | (stored[3] & 0xFF);
  }

  @Test
  void drain_hitsOfferedFromAnotherThreadInBursts_everyOneDecodedOnceOnTheCaller() throws Exception {
    for (int round = 0; round < 200; round++) {
      int count = 1 + ThreadLocalRandom.current().nextInt(300);
      HandOff handOff = new HandOff();
      CompletableFuture<Void> read = new CompletableFuture<>();
      Thread io = new Thread(() -> {
        for (int i = 0; i < count; i++) {
          handOff.offer(i, hit(i));
          if (ThreadLocalRandom.current().nextInt(20) == 0) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(200_000)); // a pause between bursts
          }
        }
        read.complete(null);
      }, "fake-io");
      int[] seen = new int[count];
      long[] cas = new long[count];
      Thread caller = Thread.currentThread();
      io.start();
      boolean complete = handOff.drain(read, (index, c, stored) -> {
        assertSame(caller, Thread.currentThread());
        seen[index]++;
        cas[index] = c;
        assertEquals(index, valueOf(stored));
      });
      io.join();
      assertTrue(complete);
      assertTrue(read.isDone());
      for (int i = 0; i < count; i++) {
        assertEquals(1, seen[i], "round " + round + ", hit " + i + " of " + count);
        assertEquals(i + 1000L, cas[i]);
      }
    }
  }

  @Test
  void drain_readFailsPartWay_returnsAfterTheHitsBeforeIt() {
    HandOff handOff = new HandOff();
    CompletableFuture<Void> read = new CompletableFuture<>();
    handOff.offer(0, hit(0));
    handOff.offer(1, hit(1));
    read.completeExceptionally(new IllegalStateException("timed out"));
    int[] seen = new int[2];
    handOff.drain(read, (index, c, stored) -> seen[index]++);
    assertArrayEquals(new int[] {1, 1}, seen);
  }

  @Test
  void drain_nothingArrivesUntilTheReadEnds_parksThenReturns() throws Exception {
    HandOff handOff = new HandOff();
    CompletableFuture<Void> read = new CompletableFuture<>();
    AtomicReference<Thread> caller = new AtomicReference<>();
    Thread io = new Thread(() -> {
      while (caller.get() == null || caller.get().getState() != Thread.State.WAITING) {
        Thread.onSpinWait(); // until the caller has parked
      }
      handOff.offer(7, hit(7));
      read.complete(null);
    });
    caller.set(Thread.currentThread());
    io.start();
    int[] got = {-1};
    handOff.drain(read, (index, c, stored) -> got[0] = index);
    io.join();
    assertEquals(7, got[0]);
  }

  @Test
  void drain_interrupted_returnsFalseAtOnceAndKeepsTheInterrupt() {
    HandOff handOff = new HandOff();
    CompletableFuture<Void> read = new CompletableFuture<>();
    Thread.currentThread().interrupt();
    try {
      assertFalse(handOff.drain(read, (index, c, stored) -> {}));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void drain_fromAnotherThread_isRefused() throws Exception {
    HandOff handOff = new HandOff();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        handOff.drain(CompletableFuture.completedFuture(null), (index, c, stored) -> {});
      } catch (Throwable e) {
        error.set(e);
      }
    });
    other.start();
    other.join();
    assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
  }
}
