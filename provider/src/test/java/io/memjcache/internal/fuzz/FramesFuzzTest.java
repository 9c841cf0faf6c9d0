package io.memjcache.internal.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.internal.protocol.Frames;
import io.memjcache.internal.protocol.ProtocolException;
import io.memjcache.internal.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Frames#decode} with random and mutated response streams, checked against an
 * independent reading of the protocol: the same frames, then the same end (incomplete input or a
 * {@link ProtocolException}), whether the bytes come at once or in pieces. Nothing but a
 * ProtocolException may escape, a refused or incomplete frame consumes nothing, and no input makes
 * the decoder allocate more than it was given: a lying length is refused, or waited on, before any
 * body is allocated. The runs are seeded ({@code -Dfuzz.seed=N} replays one) and bounded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FramesFuzzTest {
  private static final int MAX_BODY = 64 * 1024;
  private static final int RANDOM_EXECUTIONS = 200_000;
  /** Allowance for allocation that does not depend on the input: an exception and its stack trace. */
  private static final long ALLOCATION_SLACK = 64 * 1024;

  private static MethodHandle allocatedBytes;

  /** HotSpot's per-thread allocation counter (com.sun.management, reached reflectively: the tests are a module). */
  @BeforeAll
  static void allocationCounter() throws ReflectiveOperationException {
    Object threads = ManagementFactory.getThreadMXBean();
    Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
    hotspot.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(threads, true);
    allocatedBytes = MethodHandles.publicLookup()
        .findVirtual(hotspot, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class)).bindTo(threads);
    assertTrue(allocated() > 0, "the JVM must count allocated bytes per thread");
  }

  private static long allocated() {
    try {
      return (long) allocatedBytes.invokeExact();
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------- the reference reading

  /** One frame as the protocol defines it. */
  private record Frame(byte opcode, int status, int opaque, long cas, byte[] extras, byte[] key, byte[] value) {
    static Frame of(Response r) {
      return new Frame(r.opcode(), r.statusCode(), r.opaque(), r.cas(), r.extras(), r.key(), r.value());
    }

    void assertSame(Frame other, byte[] input) {
      String where = " for input " + ByteBufUtil.hexDump(input);
      assertEquals(opcode, other.opcode, "opcode" + where);
      assertEquals(status, other.status, "status" + where);
      assertEquals(opaque, other.opaque, "opaque" + where);
      assertEquals(cas, other.cas, "cas" + where);
      assertArrayEquals(extras, other.extras, "extras" + where);
      assertArrayEquals(key, other.key, "key" + where);
      assertArrayEquals(value, other.value, "value" + where);
    }
  }

  /** What a stream decodes to: frames, then either the end of the input or an error. */
  private record Outcome(List<Frame> frames, boolean error) {}

  /** The protocol read straight from the spec, one header at a time. */
  private static Outcome oracle(byte[] in, int maxBody) {
    List<Frame> frames = new ArrayList<>();
    int at = 0;
    while (in.length - at >= 24) {
      if (in[at] != (byte) 0x81) {
        return new Outcome(frames, true);
      }
      int keyLength = ((in[at + 2] & 0xff) << 8) | (in[at + 3] & 0xff);
      int extrasLength = in[at + 4] & 0xff;
      long body = Mutator.getInt(in, at + 8) & 0xffffffffL;
      if (body > maxBody || keyLength + extrasLength > body) {
        return new Outcome(frames, true);
      }
      if (in.length - at - 24 < body) {
        break;
      }
      int start = at + 24;
      frames.add(new Frame(in[at + 1], ((in[at + 6] & 0xff) << 8) | (in[at + 7] & 0xff), Mutator.getInt(in, at + 12),
          ((long) Mutator.getInt(in, at + 16) << 32) | (Mutator.getInt(in, at + 20) & 0xffffffffL),
          Arrays.copyOfRange(in, start, start + extrasLength),
          Arrays.copyOfRange(in, start + extrasLength, start + extrasLength + keyLength),
          Arrays.copyOfRange(in, start + extrasLength + keyLength, start + (int) body)));
      at = start + (int) body;
    }
    return new Outcome(frames, false);
  }

  // ---------------------------------------------------------------- running the decoder

  /** Counts for the summary line. */
  private static final class Tally {
    long executions;
    long frames;
    long errors;
    long incomplete;
    long maxAllocatedOverInput;
  }

  /**
   * Decodes {@code in} with everything present, after {@code prefix} already-consumed bytes, and
   * checks it against the oracle; then again fed in pieces cut at {@code cuts}.
   */
  private static void check(byte[] in, int maxBody, int prefix, int[] cuts, Tally tally) {
    Outcome expected = oracle(in, maxBody);
    List<Frame> frames = new ArrayList<>();
    long allocation = decodeWhole(in, maxBody, prefix, frames);
    if (allocation > 3L * in.length + ALLOCATION_SLACK) {
      // The first use of a code path loads classes; only a repeat shows what the input costs.
      frames.clear();
      allocation = decodeWhole(in, maxBody, prefix, frames);
      if (allocation > 3L * in.length + ALLOCATION_SLACK) {
        fail("decoding " + in.length + " bytes allocated " + allocation + " bytes: " + ByteBufUtil.hexDump(in));
      }
    }
    boolean error = !frames.isEmpty() && frames.get(frames.size() - 1) == null;
    if (error) {
      frames.remove(frames.size() - 1);
    }
    tally.executions++;
    tally.maxAllocatedOverInput = Math.max(tally.maxAllocatedOverInput, allocation - 3L * in.length);
    compare(expected, frames, error, in);
    tally.frames += frames.size();
    if (error) {
      tally.errors++;
    } else {
      tally.incomplete++;
    }

    // The same bytes in pieces: a frame split anywhere must decode the same.
    ByteBuf cumulation = Unpooled.buffer();
    List<Frame> pieced = new ArrayList<>();
    boolean piecedError = false;
    int from = 0;
    for (int i = 0; i <= cuts.length && !piecedError; i++) {
      int to = i < cuts.length ? Math.min(in.length, Math.max(from, cuts[i])) : in.length;
      cumulation.writeBytes(in, from, to - from);
      from = to;
      piecedError = decodeAll(cumulation, maxBody, pieced, in);
      cumulation.discardReadBytes();
    }
    cumulation.release();
    compare(expected, pieced, piecedError, in);
  }

  /**
   * Decodes {@code in}, placed after {@code prefix} consumed bytes, into {@code frames}, with a null
   * frame at the end if the decoder refused the rest; returns the bytes allocated meanwhile.
   */
  private static long decodeWhole(byte[] in, int maxBody, int prefix, List<Frame> frames) {
    ByteBuf whole = Unpooled.buffer(prefix + in.length);
    whole.writeZero(prefix).writeBytes(in).readerIndex(prefix);
    long before = allocated();
    boolean error = decodeAll(whole, maxBody, frames, in);
    long allocation = allocated() - before;
    whole.release();
    if (error) {
      frames.add(null);
    }
    return allocation;
  }

  /** Decodes until the buffer holds no complete frame (false) or the decoder refuses it (true). */
  private static boolean decodeAll(ByteBuf buffer, int maxBody, List<Frame> frames, byte[] input) {
    for (int guard = 0; guard <= input.length / 24 + 1; guard++) {
      int readerIndex = buffer.readerIndex();
      Response response;
      try {
        response = Frames.decode(buffer, maxBody);
      } catch (ProtocolException e) {
        assertEquals(readerIndex, buffer.readerIndex(), "a refused frame must consume nothing");
        return true;
      } catch (RuntimeException | Error e) {
        throw new AssertionError("Frames.decode threw " + e + " (only ProtocolException may escape) for input "
            + ByteBufUtil.hexDump(input), e);
      }
      if (response == null) {
        assertEquals(readerIndex, buffer.readerIndex(), "an incomplete frame must consume nothing");
        return false;
      }
      int consumed = buffer.readerIndex() - readerIndex;
      assertEquals(24 + response.extras().length + response.key().length + response.value().length, consumed);
      assertTrue(consumed - 24 <= maxBody, "a body over the limit was accepted");
      frames.add(Frame.of(response));
    }
    throw new AssertionError("more frames than the input can hold: " + ByteBufUtil.hexDump(input));
  }

  private static void compare(Outcome expected, List<Frame> frames, boolean error, byte[] input) {
    assertEquals(expected.frames().size(), frames.size(), "frames decoded from " + ByteBufUtil.hexDump(input));
    for (int i = 0; i < frames.size(); i++) {
      expected.frames().get(i).assertSame(frames.get(i), input);
    }
    assertEquals(expected.error(), error, "refused or not, for " + ByteBufUtil.hexDump(input));
  }

  private static int[] cuts(Random random, int length) {
    int[] cuts = new int[random.nextInt(4)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = length == 0 ? 0 : random.nextInt(length + 1);
    }
    Arrays.sort(cuts);
    return cuts;
  }

  // ---------------------------------------------------------------- the fuzz runs

  @Test
  void decode_randomlyMutatedStreams_matchTheProtocolAndOnlyProtocolExceptionEscapes() {
    long seed = Long.getLong("fuzz.seed", 20_260_107L);
    Random random = new Random(seed);
    Mutator mutator = new Mutator(random, ResponseSeeds.all(), MAX_BODY);
    Tally tally = new Tally();
    long start = System.nanoTime();
    for (int i = 0; i < RANDOM_EXECUTIONS; i++) {
      byte[] input = mutator.next();
      int maxBody = random.nextInt(8) == 0 ? random.nextInt(64) : MAX_BODY;
      check(input, maxBody, random.nextInt(8), cuts(random, input.length), tally);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("FUZZ Frames.decode (seed " + seed + "): " + tally.executions + " executions in " + millis
        + " ms (" + tally.frames + " frames decoded, " + tally.errors + " inputs refused with ProtocolException, "
        + tally.incomplete + " ended incomplete; worst allocation beyond 3x the input " + tally.maxAllocatedOverInput
        + " bytes), each also fed in pieces");
    assertTrue(tally.errors > RANDOM_EXECUTIONS / 10 && tally.frames > RANDOM_EXECUTIONS / 10,
        "the mutations must reach both refusals and decoded frames");
    assertTrue(millis < 60_000, "the fuzz run took " + millis + " ms");
  }

  /** Every byte of every seed set to each of 256 values: every header field sees every value once. */
  @Test
  void decode_everyByteOfEverySeedSetToEveryValue_matchesTheProtocol() {
    Tally tally = new Tally();
    long start = System.nanoTime();
    int[] noCuts = {};
    for (byte[] seed : ResponseSeeds.all()) {
      int positions = Math.min(seed.length, 64);
      for (int at = 0; at < positions; at++) {
        for (int value = 0; value < 256; value++) {
          byte[] input = seed.clone();
          input[at] = (byte) value;
          check(input, MAX_BODY, 0, noCuts, tally);
        }
      }
    }
    System.out.println("FUZZ Frames.decode exhaustive single-byte mutations: " + tally.executions + " executions in "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms (" + tally.errors + " refused)");
  }

  // ---------------------------------------------------------------- lying lengths, no allocation

  /** A 24-byte header claiming {@code bodyLength}, then {@code present} body bytes. */
  private static byte[] lyingHeader(long bodyLength, int present) {
    byte[] frame = ResponseSeeds.response((byte) 0x00, 0, 1, 0, new byte[0], new byte[0], new byte[present]);
    Mutator.putInt(frame, 8, (int) bodyLength);
    return frame;
  }

  @Test
  void decode_headerClaimingTwoGigabytesWithTinyLimit_isRefusedBeforeAllocating() {
    byte[] frame = lyingHeader(0x80000000L, 6);
    ByteBuf in = Unpooled.wrappedBuffer(frame);
    assertThrows(ProtocolException.class, () -> Frames.decode(in, 1024)); // loads the classes involved
    long before = allocated();
    ProtocolException refused = assertThrows(ProtocolException.class, () -> Frames.decode(in, 1024));
    long allocation = allocated() - before;
    assertEquals(0, in.readerIndex(), "nothing consumed");
    assertTrue(refused.getMessage().contains("2147483648") && refused.getMessage().contains("1024"), refused.getMessage());
    assertTrue(allocation < ALLOCATION_SLACK, "refusing the header allocated " + allocation + " bytes");
  }

  @Test
  void decode_headerClaimingFourGigabytes_isRefusedAsHugeNotReadAsNegative() {
    ByteBuf in = Unpooled.wrappedBuffer(lyingHeader(0xffffffffL, 3));
    assertThrows(ProtocolException.class, () -> Frames.decode(in, Integer.MAX_VALUE));
    long before = allocated();
    assertThrows(ProtocolException.class, () -> Frames.decode(in, Integer.MAX_VALUE));
    assertTrue(allocated() - before < ALLOCATION_SLACK);
  }

  /** Under the limit, a long body that has not arrived is waited for, not allocated in advance. */
  @Test
  void decode_headerClaimingTwoGigabytesUnderAHugeLimit_waitsWithoutAllocating() {
    ByteBuf in = Unpooled.wrappedBuffer(lyingHeader(Integer.MAX_VALUE - 24L, 100));
    assertNull(Frames.decode(in, Integer.MAX_VALUE));
    long before = allocated();
    for (int i = 0; i < 1000; i++) {
      assertNull(Frames.decode(in, Integer.MAX_VALUE));
    }
    long allocation = allocated() - before;
    assertEquals(0, in.readerIndex());
    assertTrue(allocation < ALLOCATION_SLACK, "waiting for the body allocated " + allocation + " bytes");
  }
}
