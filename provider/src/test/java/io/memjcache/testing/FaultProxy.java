package io.memjcache.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A TCP proxy on 127.0.0.1 between a client and a real memcached that injects network faults at run
 * time: added latency, a stall, connection resets (RST), half-open connections (one direction stops
 * being read, or is closed), and a response cut mid-frame followed by a stall, a close or a late
 * resume. Test code only: it listens on loopback alone, proxies to loopback alone, uses daemon threads
 * and closes itself when its lifetime ends, so a forgotten proxy cannot outlive a test run.
 *
 * <p>Every connection the client opens gets its own upstream connection to the server, so a fault
 * that kills a connection leaves the proxy ready for the client's reconnect. Faults set with a method
 * apply to current and future connections until {@link #passThrough()}.
 */
public final class FaultProxy implements AutoCloseable {
  /** Which way bytes flow through a connection. */
  public enum Direction {
    /** Requests, from the client to memcached. */
    TO_SERVER,
    /** Responses, from memcached to the client. */
    TO_CLIENT
  }

  /** What happens to a connection after a response was cut mid-frame. */
  public enum AfterCut {
    /** Nothing more is forwarded to the client on that connection; it stays open. */
    STALL,
    /** The connection is closed (FIN to the client) right after the partial frame. */
    CLOSE,
    /** The rest of the response, and everything after it, follows after {@link #resumeAfter}. */
    RESUME
  }

  /** How long a proxy lives unless a test gives it another lifetime. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(3);

  private static final int CHUNK = 64 * 1024;
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final ScheduledExecutorService timer;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong faultsInjected = new AtomicLong();
  private final AtomicLong bytesForwarded = new AtomicLong();
  private final AtomicReference<AfterCut> cutArmed = new AtomicReference<>();
  private final AtomicInteger cutsDone = new AtomicInteger();
  private volatile long latencyNanos;
  private volatile boolean stalled;
  private volatile boolean holdToServer;
  private volatile boolean holdToClient;
  private volatile long resumeAfterNanos = TimeUnit.MILLISECONDS.toNanos(500);
  private volatile long stallGeneration;

  private FaultProxy(InetSocketAddress target, Duration lifetime) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fault-proxy-timer-" + server.getLocalPort()));
    timer.schedule(this::close, lifetime.toMillis(), TimeUnit.MILLISECONDS);
    daemon(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort()).start();
  }

  /** Starts a pass-through proxy to {@code target} that closes itself after {@link #DEFAULT_LIFETIME}. */
  public static FaultProxy start(InetSocketAddress target) {
    return start(target, DEFAULT_LIFETIME);
  }

  /**
   * Starts a pass-through proxy to {@code target}, a loopback address, that closes itself after
   * {@code lifetime}.
   */
  public static FaultProxy start(InetSocketAddress target, Duration lifetime) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(lifetime, "lifetime");
    if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the fault proxy only forwards to loopback, not to " + target);
    }
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
    }
    try {
      return new FaultProxy(target, lifetime);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot start the fault proxy", e);
    }
  }

  // ---------------------------------------------------------------- addresses

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port());
  }

  /** "127.0.0.1:PORT": how a client configured with {@link #address()} names this node. */
  public String hostAndPort() {
    return "127.0.0.1:" + port();
  }

  // ---------------------------------------------------------------- faults

  /** Clears every fault: bytes flow again on every connection that is still open. */
  public void passThrough() {
    latencyNanos = 0;
    stalled = false;
    stallGeneration++;
    holdToServer = false;
    holdToClient = false;
    cutArmed.set(null);
    for (Link link : links) {
      link.frozenToClient = false;
    }
  }

  /** Delays every chunk by {@code oneWay} in each direction, so a round trip takes twice as long. */
  public void latency(Duration oneWay) {
    long nanos = oneWay.toNanos();
    if (nanos > 0 && latencyNanos == 0) {
      faultsInjected.incrementAndGet();
    }
    latencyNanos = Math.max(0, nanos);
  }

  /** Stops forwarding in both directions; sockets stay open and bytes wait. Until {@link #passThrough}. */
  public void stall() {
    if (!stalled) {
      faultsInjected.incrementAndGet();
    }
    stalled = true;
    stallGeneration++;
  }

  /** {@link #stall()} that lifts itself after {@code duration} (unless another fault call came first). */
  public void stall(Duration duration) {
    stall();
    long generation = stallGeneration;
    timer.schedule(() -> {
      if (stallGeneration == generation) {
        stalled = false;
      }
    }, duration.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Half-open: the proxy stops reading in {@code direction} (bytes pile up in the sender's socket
   * buffers and are neither delivered nor refused) while the other direction keeps flowing.
   */
  public void halfOpen(Direction direction) {
    faultsInjected.incrementAndGet();
    if (direction == Direction.TO_SERVER) {
      holdToServer = true;
    } else {
      holdToClient = true;
    }
  }

  /**
   * Closes one direction of every open connection: a FIN to the client ({@code TO_CLIENT}) or to the
   * server ({@code TO_SERVER}), while the other direction stays open. Returns how many connections.
   */
  public int closeDirection(Direction direction) {
    faultsInjected.incrementAndGet();
    int count = 0;
    for (Link link : links) {
      Socket socket = direction == Direction.TO_CLIENT ? link.client : link.upstream;
      try {
        socket.shutdownOutput();
        count++;
      } catch (IOException e) {
        link.close();
      }
    }
    return count;
  }

  /** Resets every open connection (RST to the client, via SO_LINGER 0). Returns how many. */
  public int reset() {
    faultsInjected.incrementAndGet();
    int count = 0;
    for (Link link : links) {
      link.reset();
      count++;
    }
    return count;
  }

  /**
   * Cuts the next response frame that has a body of two bytes or more in the middle of its body, on
   * whichever connection carries it first, then {@code then}. One cut per call.
   */
  public void cutNextResponse(AfterCut then) {
    cutArmed.set(Objects.requireNonNull(then, "then"));
  }

  /** The pause before a {@link AfterCut#RESUME} cut forwards the rest. */
  public void resumeAfter(Duration pause) {
    resumeAfterNanos = pause.toNanos();
  }

  // ---------------------------------------------------------------- observation

  /** Faults switched on so far (each call that starts one, and each cut actually made). */
  public long faultsInjected() {
    return faultsInjected.get();
  }

  /** Connections accepted from clients so far. */
  public int connectionsAccepted() {
    return accepted.get();
  }

  /** Connections currently proxied. */
  public int openConnections() {
    return links.size();
  }

  /** Responses cut so far. */
  public int cutsDone() {
    return cutsDone.get();
  }

  /** Whether a cut is armed and has not yet found its frame. */
  public boolean cutPending() {
    return cutArmed.get() != null;
  }

  public long bytesForwarded() {
    return bytesForwarded.get();
  }

  /** Waits up to {@code timeout} until at least {@code count} connections were accepted. */
  public boolean awaitAccepted(int count, Duration timeout) {
    return await(() -> accepted.get() >= count, timeout);
  }

  /** Waits up to {@code timeout} until no connection is proxied any more. */
  public boolean awaitNoConnections(Duration timeout) {
    return await(links::isEmpty, timeout);
  }

  private static boolean await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return true;
  }

  /** Stops accepting and closes every connection. Idempotent; also runs when the lifetime ends. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Link link : new ArrayList<>(links)) {
      link.close();
    }
    timer.shutdownNow();
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + hostAndPort() + " -> " + target.getPort() + ", " + links.size() + " open]";
  }

  // ---------------------------------------------------------------- plumbing

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  private void acceptLoop() {
    while (!closed.get()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      Socket upstream = new Socket();
      try {
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        upstream.connect(target, 2_000);
      } catch (IOException e) {
        quietlyReset(client);
        quietlyClose(upstream);
        continue;
      }
      Link link = new Link(client, upstream);
      links.add(link);
      if (closed.get()) {
        link.close();
        return;
      }
      link.start();
    }
  }

  private boolean holding(Direction direction) {
    return stalled || (direction == Direction.TO_SERVER ? holdToServer : holdToClient);
  }

  private static void quietlyClose(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static void quietlyReset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closed already
    }
    quietlyClose(socket);
  }

  /** A chunk read from one side, waiting to be written to the other; {@code bytes == null} is end of stream. */
  private record Chunk(byte[] bytes, long readAtNanos) {}

  /** One proxied connection: the client's socket, the upstream socket and four pump threads. */
  private final class Link {
    final Socket client;
    final Socket upstream;
    final AtomicBoolean linkClosed = new AtomicBoolean();
    final ResponseCursor cursor = new ResponseCursor();
    volatile boolean frozenToClient;
    volatile long frozenUntilNanos;
    AfterCut claimedCut;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      String id = client.getPort() + "";
      BlockingQueue<Chunk> toServer = new LinkedBlockingQueue<>();
      BlockingQueue<Chunk> toClient = new LinkedBlockingQueue<>();
      daemon(() -> read(client, toServer, Direction.TO_SERVER), "fault-proxy-read-c" + id).start();
      daemon(() -> write(upstream, toServer, Direction.TO_SERVER), "fault-proxy-write-s" + id).start();
      daemon(() -> read(upstream, toClient, Direction.TO_CLIENT), "fault-proxy-read-s" + id).start();
      daemon(() -> write(client, toClient, Direction.TO_CLIENT), "fault-proxy-write-c" + id).start();
    }

    private void read(Socket from, BlockingQueue<Chunk> queue, Direction direction) {
      byte[] buffer = new byte[CHUNK];
      try {
        InputStream in = from.getInputStream();
        while (!linkClosed.get()) {
          if (holding(direction)) {
            LockSupport.parkNanos(POLL_NANOS); // stop reading: bytes stay in the sender's buffers
            continue;
          }
          int n = in.read(buffer);
          if (n < 0) {
            queue.add(new Chunk(null, System.nanoTime()));
            return;
          }
          queue.add(new Chunk(java.util.Arrays.copyOf(buffer, n), System.nanoTime()));
        }
      } catch (IOException e) {
        close();
      }
    }

    private void write(Socket to, BlockingQueue<Chunk> queue, Direction direction) {
      try {
        OutputStream out = to.getOutputStream();
        while (!linkClosed.get()) {
          Chunk chunk = queue.poll(10, TimeUnit.MILLISECONDS);
          if (chunk == null) {
            continue;
          }
          if (!waitUntilDue(chunk, direction)) {
            return;
          }
          if (chunk.bytes() == null) {
            close(); // the other side closed: memcached connections are not half-closed on purpose
            return;
          }
          byte[] bytes = chunk.bytes();
          int cut = direction == Direction.TO_CLIENT ? cursor.scan(bytes, this::claimCut) : -1;
          if (cut < 0) {
            out.write(bytes);
            out.flush();
            bytesForwarded.addAndGet(bytes.length);
            continue;
          }
          out.write(bytes, 0, cut);
          out.flush();
          bytesForwarded.addAndGet(cut);
          cutsDone.incrementAndGet();
          faultsInjected.incrementAndGet();
          switch (claimedCut) {
            case CLOSE:
              close();
              return;
            case STALL:
              frozenToClient = true;
              break;
            case RESUME:
              frozenUntilNanos = System.nanoTime() + resumeAfterNanos;
              break;
            default:
              throw new IllegalStateException(String.valueOf(claimedCut));
          }
          byte[] rest = java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
          if (!waitUntilDue(new Chunk(rest, chunk.readAtNanos()), direction)) {
            return;
          }
          out.write(rest);
          out.flush();
          bytesForwarded.addAndGet(rest.length);
        }
      } catch (IOException e) {
        close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
      }
    }

    /** Waits out latency, stalls, half-open holds and frozen states; false if the link closed meanwhile. */
    private boolean waitUntilDue(Chunk chunk, Direction direction) {
      while (!linkClosed.get()) {
        long now = System.nanoTime();
        boolean held = holding(direction)
            || (direction == Direction.TO_CLIENT && (frozenToClient || now - frozenUntilNanos < 0));
        long due = chunk.readAtNanos() + latencyNanos;
        if (!held && now - due >= 0) {
          return true;
        }
        LockSupport.parkNanos(held ? POLL_NANOS : Math.min(POLL_NANOS, due - now));
      }
      return false;
    }

    private boolean claimCut() {
      AfterCut then = cutArmed.getAndSet(null);
      if (then == null) {
        return false;
      }
      claimedCut = then;
      return true;
    }

    void reset() {
      if (linkClosed.compareAndSet(false, true)) {
        links.remove(this);
        quietlyReset(client);
        quietlyReset(upstream);
      }
    }

    void close() {
      if (linkClosed.compareAndSet(false, true)) {
        links.remove(this);
        quietlyClose(client);
        quietlyClose(upstream);
      }
    }
  }

  /**
   * Follows response frames through the byte stream (24-byte header, then the body length the header
   * gives) so that a cut lands inside a frame's body, never between frames.
   */
  static final class ResponseCursor {
    private final byte[] header = new byte[24];
    private int headerFill;
    private long bodyLeft;
    private long position;
    private long cutAt = -1;

    /**
     * Advances over {@code chunk}; returns the offset in it where the stream is to be cut, or -1.
     * {@code claim} is asked, once per frame with a body of two bytes or more, whether to cut it.
     */
    int scan(byte[] chunk, BooleanSupplier claim) {
      long base = position;
      int i = 0;
      while (i < chunk.length) {
        if (bodyLeft > 0) {
          int take = (int) Math.min(bodyLeft, chunk.length - i);
          bodyLeft -= take;
          i += take;
          continue;
        }
        header[headerFill++] = chunk[i++];
        if (headerFill == header.length) {
          headerFill = 0;
          long body = ((header[8] & 0xffL) << 24) | ((header[9] & 0xffL) << 16) | ((header[10] & 0xffL) << 8)
              | (header[11] & 0xffL);
          bodyLeft = body;
          if (cutAt < 0 && body >= 2 && claim.getAsBoolean()) {
            cutAt = base + i + body / 2;
          }
        }
      }
      position = base + chunk.length;
      if (cutAt >= base && cutAt < position) {
        int offset = (int) (cutAt - base);
        cutAt = -1; // done: the next armed cut may land on this connection again
        return offset;
      }
      return -1;
    }
  }
}
