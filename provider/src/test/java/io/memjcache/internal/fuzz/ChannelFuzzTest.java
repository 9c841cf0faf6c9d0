package io.memjcache.internal.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.internal.protocol.Frames;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.ProtocolException;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.ConnectionSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the connection pipeline, {@code ResponseFrameDecoder} then {@code CommandHandler}, in an
 * {@link EmbeddedChannel}: commands are sent, and the answers a server would give come back exact,
 * reordered, duplicated, dropped, interleaved with strays, or mutated byte by byte, in random pieces.
 * Nothing may escape the pipeline; an answer is only ever delivered to the request that carried its
 * opaque; answers intact in content are never delivered to another request; bytes the decoder refuses
 * close the channel and fail every pending command with an error naming the node; and closing the
 * channel always completes every command. The transport classes are package-private, so they are
 * built reflectively.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChannelFuzzTest {
  private static final String NODE = "fuzz.example:11211";
  private static final int MAX_BODY = 4096;
  private static final int RUNS = 20_000;

  private static Constructor<?> decoderConstructor;
  private static Constructor<?> handlerConstructor;
  private static Method send;
  private static Logger handlerLog;
  private static Level handlerLogLevel;

  @BeforeAll
  static void reachTransportInternals() throws ReflectiveOperationException {
    Class<?> decoder = Class.forName("io.memjcache.internal.transport.ResponseFrameDecoder");
    decoderConstructor = decoder.getDeclaredConstructor(int.class);
    decoderConstructor.setAccessible(true);
    Class<?> handler = Class.forName("io.memjcache.internal.transport.CommandHandler");
    handlerConstructor = handler.getDeclaredConstructor(String.class, ConnectionSettings.class);
    handlerConstructor.setAccessible(true);
    send = handler.getDeclaredMethod("send", Command.class);
    send.setAccessible(true);
    // Each refused stream logs one warning by design; thirty thousand of them would bury the report.
    handlerLog = Logger.getLogger(handler.getName());
    handlerLogLevel = handlerLog.getLevel();
    handlerLog.setLevel(Level.OFF);
  }

  @AfterAll
  static void restoreLogging() {
    handlerLog.setLevel(handlerLogLevel);
  }

  // ---------------------------------------------------------------- probe commands

  /** A command that checks every answer it gets against the opaques its frames were sent with. */
  private abstract static class Probe extends Command<String> {
    final int[] opaques;
    final List<String> violations;

    Probe(int frames, List<String> violations) {
      this.opaques = new int[frames];
      this.violations = violations;
    }

    void checkOpaque(int index, Response response) {
      if (response.opaque() != opaques[index]) {
        violations.add("frame " + index + " sent with opaque " + opaques[index] + " was given the answer for "
            + response.opaque());
      }
    }

    /** The answers a correct server gives, in order. */
    abstract List<byte[]> answers(Random random);

    /** The result those answers must produce. */
    abstract String expected();

    /**
     * Whether {@code result} could come from intact answers with some of them lost: a lost quiet hit
     * reads as a miss, but a value is only ever its own key's.
     */
    abstract boolean plausible(String result);
  }

  /** GET of one key; the result is the value, or "miss". */
  private static final class GetProbe extends Probe {
    private final byte[] key;
    private final Request[] frames;
    private boolean hit;

    GetProbe(String key, List<String> violations) {
      super(1, violations);
      this.key = key.getBytes(StandardCharsets.US_ASCII);
      this.frames = new Request[] {Request.keyOnly(Opcode.GET, this.key)};
    }

    @Override
    public Request[] frames() {
      return frames;
    }

    @Override
    protected void onResponse(int index, Response response, String node) {
      checkOpaque(index, response);
      complete(response.statusCode() == 1 ? "miss" : new String(response.value(), StandardCharsets.ISO_8859_1));
    }

    @Override
    List<byte[]> answers(Random random) {
      hit = random.nextInt(4) != 0;
      return List.of(hit
          ? ResponseSeeds.response(Opcode.GET, 0, opaques[0], 1, ResponseSeeds.flags(0), new byte[0], value(key))
          : ResponseSeeds.response(Opcode.GET, 1, opaques[0], 0, new byte[0], new byte[0], ResponseSeeds.ascii("Not found")));
    }

    @Override
    String expected() {
      return hit ? new String(value(key), StandardCharsets.ISO_8859_1) : "miss";
    }

    @Override
    boolean plausible(String result) {
      return result.equals("miss") || result.equals(new String(value(key), StandardCharsets.ISO_8859_1));
    }
  }

  /** Quiet GETKQs closed by a NOOP; the result lists hits and silent misses in order. */
  private static final class QuietProbe extends Probe {
    private final byte[][] keys;
    private final Request[] frames;
    private final String[] results;
    private boolean[] hits;

    QuietProbe(String prefix, int count, List<String> violations) {
      super(count + 1, violations);
      keys = new byte[count][];
      frames = new Request[count + 1];
      results = new String[count];
      for (int i = 0; i < count; i++) {
        keys[i] = (prefix + i).getBytes(StandardCharsets.US_ASCII);
        frames[i] = Request.keyOnly(Opcode.GETKQ, keys[i]);
      }
      frames[count] = Request.bare(Opcode.NOOP);
    }

    @Override
    public Request[] frames() {
      return frames;
    }

    @Override
    protected void onResponse(int index, Response response, String node) {
      checkOpaque(index, response);
      if (index == keys.length) {
        complete(String.join(",", results));
      } else {
        results[index] = Arrays.equals(response.key(), keys[index])
            ? new String(response.value(), StandardCharsets.ISO_8859_1) : "key?";
      }
    }

    @Override
    protected void onSilent(int index) {
      results[index] = "miss";
    }

    @Override
    List<byte[]> answers(Random random) {
      hits = new boolean[keys.length];
      List<byte[]> answers = new ArrayList<>();
      for (int i = 0; i < keys.length; i++) {
        hits[i] = random.nextBoolean();
        if (hits[i]) {
          answers.add(ResponseSeeds.response(Opcode.GETKQ, 0, opaques[i], 2, ResponseSeeds.flags(0), keys[i], value(keys[i])));
        }
      }
      answers.add(ResponseSeeds.response(Opcode.NOOP, 0, opaques[keys.length], 0, new byte[0], new byte[0], new byte[0]));
      return answers;
    }

    @Override
    String expected() {
      String[] expected = new String[keys.length];
      for (int i = 0; i < keys.length; i++) {
        expected[i] = hits[i] ? new String(value(keys[i]), StandardCharsets.ISO_8859_1) : "miss";
      }
      return String.join(",", expected);
    }

    @Override
    boolean plausible(String result) {
      String[] parts = result.split(",", -1);
      if (parts.length != keys.length) {
        return false;
      }
      for (int i = 0; i < keys.length; i++) {
        if (!parts[i].equals("miss") && !parts[i].equals(new String(value(keys[i]), StandardCharsets.ISO_8859_1))) {
          return false;
        }
      }
      return true;
    }
  }

  /** A value naming its key, so that another request's value is recognised. */
  private static byte[] value(byte[] key) {
    return ("value-of-" + new String(key, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
  }

  // ---------------------------------------------------------------- one run

  private enum Mode { EXACT, FRAMES, BYTES }

  private static final class Tally {
    final Map<String, Integer> failures = new TreeMap<>();
    int runs;
    int refused;
    int completed;
    int failed;
  }

  private static void run(Random random, Mode mode, Tally tally) throws Exception {
    ConnectionSettings settings = new ConnectionSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), 8192, MAX_BODY);
    Object handler = handlerConstructor.newInstance(NODE, settings);
    EmbeddedChannel channel = new EmbeddedChannel(
        (ChannelHandler) decoderConstructor.newInstance(MAX_BODY), (ChannelHandler) handler);
    List<String> violations = new ArrayList<>();
    List<Probe> probes = new ArrayList<>();
    int commands = 1 + random.nextInt(5);
    for (int c = 0; c < commands; c++) {
      Probe probe = random.nextBoolean()
          ? new GetProbe("key-" + c, violations)
          : new QuietProbe("q" + c + "-", 1 + random.nextInt(4), violations);
      probes.add(probe);
      try {
        send.invoke(handler, probe);
      } catch (InvocationTargetException e) {
        throw new AssertionError("send threw", e.getCause());
      }
    }
    channel.runPendingTasks();
    readOpaques(channel, probes);

    List<byte[]> answers = new ArrayList<>();
    for (Probe probe : probes) {
      answers.addAll(probe.answers(random));
    }
    byte[] stream;
    switch (mode) {
      case EXACT:
        stream = Mutator.concat(answers.toArray(new byte[0][]));
        break;
      case FRAMES:
        stream = Mutator.concat(shuffleFrames(random, answers).toArray(new byte[0][]));
        break;
      default:
        stream = Mutator.concat(answers.toArray(new byte[0][]));
        Mutator mutator = new Mutator(random, ResponseSeeds.all(), MAX_BODY);
        for (int m = 1 + random.nextInt(3); m > 0; m--) {
          stream = mutator.mutate(stream);
        }
    }

    int from = 0;
    while (from < stream.length && channel.isOpen()) {
      int to = random.nextInt(3) == 0 ? stream.length : Math.min(stream.length, from + 1 + random.nextInt(64));
      try {
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, from, to)));
        channel.runPendingTasks();
        channel.checkException();
      } catch (Throwable e) {
        throw new AssertionError(mode + ": the pipeline let " + e + " escape for " + ByteBufUtil.hexDump(stream), e);
      }
      from = to;
    }

    boolean refused = decoderRefuses(stream);
    if (refused) {
      tally.refused++;
      assertFalse(channel.isOpen(), "bytes the decoder refuses must close the channel: " + ByteBufUtil.hexDump(stream));
    }
    if (!channel.isOpen()) {
      for (Probe probe : probes) {
        assertTrue(probe.future().isDone(), "a closed channel must complete every command");
      }
    }
    channel.close();
    channel.runPendingTasks();
    for (Probe probe : probes) {
      assertTrue(probe.future().isDone(), "closing the channel must complete every command");
      try {
        String result = probe.future().join();
        tally.completed++;
        if (mode == Mode.EXACT && !result.equals(probe.expected())) {
          violations.add("EXACT: got '" + result + "', expected '" + probe.expected() + "'");
        }
        if (mode == Mode.FRAMES && !probe.plausible(result)) {
          // Intact answers may be refused or lost, but never handed to the wrong request.
          violations.add("FRAMES: got '" + result + "', expected '" + probe.expected() + "' or misses");
        }
      } catch (CompletionException e) {
        tally.failed++;
        Throwable cause = e.getCause();
        tally.failures.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
        if (!(cause instanceof ConnectionException) || !cause.getMessage().contains(NODE)) {
          violations.add("a command failed with " + cause + " rather than a connection error naming the node");
        }
        if (mode == Mode.EXACT) {
          violations.add("EXACT: a command failed on a correct answer stream: " + cause);
        }
      }
    }
    if (!violations.isEmpty()) {
      fail(mode + ": " + violations + " for stream " + ByteBufUtil.hexDump(stream));
    }
    channel.finishAndReleaseAll();
    tally.runs++;
  }

  /** Learns each frame's opaque from the requests the handler wrote. */
  private static void readOpaques(EmbeddedChannel channel, List<Probe> probes) {
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      written.writeBytes(ByteBufUtil.getBytes(out));
      out.release();
    }
    byte[] requests = written.toByteArray();
    int at = 0;
    for (Probe probe : probes) {
      for (int i = 0; i < probe.opaques.length; i++) {
        assertEquals(Frames.REQUEST_MAGIC, requests[at]);
        probe.opaques[i] = Mutator.getInt(requests, at + 12);
        at += 24 + Mutator.getInt(requests, at + 8);
      }
    }
    assertEquals(requests.length, at, "every request frame accounted for");
  }

  /** Intact answers rearranged: swapped, duplicated, dropped, cut at a frame boundary, or a stray added. */
  private static List<byte[]> shuffleFrames(Random random, List<byte[]> answers) {
    List<byte[]> frames = new ArrayList<>(answers);
    int changes = 1 + random.nextInt(2);
    for (int c = 0; c < changes && !frames.isEmpty(); c++) {
      int i = random.nextInt(frames.size());
      switch (random.nextInt(5)) {
        case 0: {
          int j = random.nextInt(frames.size());
          byte[] swap = frames.get(i);
          frames.set(i, frames.get(j));
          frames.set(j, swap);
          break;
        }
        case 1:
          frames.add(random.nextInt(frames.size() + 1), frames.get(i).clone());
          break;
        case 2:
          frames.remove(i);
          break;
        case 3:
          frames.subList(i, frames.size()).clear();
          break;
        default: {
          int opaque = random.nextBoolean() ? 0 : 1_000_000 + random.nextInt(1000);
          frames.add(i, ResponseSeeds.response(Opcode.GET, 0, opaque, 0, ResponseSeeds.flags(0), new byte[0],
              ResponseSeeds.ascii("stray")));
        }
      }
    }
    return frames;
  }

  private static boolean decoderRefuses(byte[] stream) {
    ByteBuf buffer = Unpooled.wrappedBuffer(stream);
    try {
      while (Frames.decode(buffer, MAX_BODY) != null) {
        // consume
      }
      return false;
    } catch (ProtocolException e) {
      return true;
    } finally {
      buffer.release();
    }
  }

  // ---------------------------------------------------------------- the runs

  @Test
  void pipeline_exactReorderedAndMutatedAnswers_neverMisdeliverAndAlwaysCompleteEveryCommand() throws Exception {
    long seed = Long.getLong("fuzz.seed", 20_260_107L);
    Random random = new Random(seed);
    Map<Mode, Tally> tallies = new TreeMap<>();
    long start = System.nanoTime();
    for (int i = 0; i < RUNS; i++) {
      Mode mode = Mode.values()[i % Mode.values().length];
      run(random, mode, tallies.computeIfAbsent(mode, m -> new Tally()));
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    StringBuilder line = new StringBuilder("FUZZ pipeline (seed " + seed + "): " + RUNS + " channel runs in " + millis + " ms;");
    tallies.forEach((mode, t) -> line.append(' ').append(mode).append(": ").append(t.runs).append(" runs, ")
        .append(t.refused).append(" streams refused, commands ").append(t.completed).append(" completed / ")
        .append(t.failed).append(" failed ").append(t.failures).append(';'));
    System.out.println(line);
    assertEquals(0, tallies.get(Mode.EXACT).failed, "exact answers must complete every command");
    assertTrue(tallies.get(Mode.BYTES).refused > 0 && tallies.get(Mode.FRAMES).failed > 0);
  }
}
