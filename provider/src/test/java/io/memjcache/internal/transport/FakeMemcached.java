package io.memjcache.internal.transport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A scripted memcached for what a real server won't do: garbage, stalls, cut frames, wrong opaques,
 * oversized headers, disconnects. Plain blocking sockets, one thread per connection, so a script is
 * simple sequential code: it is called once per request frame received and answers (or not) through
 * its {@link Peer}.
 *
 * <p>By default the fake answers the connection handshake itself (VERSION, and STAT "settings" with
 * {@code item_size_max}), so scripts only see the requests under test; {@link #startRaw} hands them
 * every frame.
 */
public final class FakeMemcached implements AutoCloseable {
  public static final String VERSION = "1.6.18-fake";
  public static final long ITEM_SIZE_MAX = 1024 * 1024;

  /** One request frame as received. */
  public record Frame(byte opcode, int opaque, long cas, byte[] extras, byte[] key, byte[] value) {
    public String keyString() {
      return new String(key, StandardCharsets.ISO_8859_1);
    }

    public String valueString() {
      return new String(value, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      return String.format("Frame{op=0x%02x, opaque=%d, key=%s}", opcode & 0xff, opaque, keyString());
    }
  }

  /** Decides what to do with one request frame. Runs on the connection's reader thread. */
  @FunctionalInterface
  public interface Script {
    void onRequest(Frame request, Peer peer) throws Exception;
  }

  private final ServerSocket server;
  private final Script script;
  private final boolean handshake;
  private final Thread acceptor;
  private final List<Peer> peers = new CopyOnWriteArrayList<>();
  private final List<Frame> received = new CopyOnWriteArrayList<>();
  private final List<Throwable> scriptErrors = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private FakeMemcached(Script script, boolean handshake) throws IOException {
    this.script = script;
    this.handshake = handshake;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "fake-memcached-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a fake that answers the handshake itself and passes every other frame to {@code script}. */
  public static FakeMemcached start(Script script) throws IOException {
    return new FakeMemcached(script, true);
  }

  /** Starts a fake that passes every frame, handshake included, to {@code script}. */
  public static FakeMemcached startRaw(Script script) throws IOException {
    return new FakeMemcached(script, false);
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port());
  }

  /** "127.0.0.1:port", as the client names this node. */
  public String node() {
    return "127.0.0.1:" + port();
  }

  /** How many connections were accepted so far. */
  public int connections() {
    return peers.size();
  }

  /** The {@code index}-th accepted connection (0-based), waiting up to 5 s for it. */
  public Peer peer(int index) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (peers.size() <= index) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("connection #" + index + " never arrived; " + peers.size() + " so far");
      }
      Thread.sleep(2);
    }
    return peers.get(index);
  }

  /** Every frame passed to the script, in arrival order across all connections. */
  public List<Frame> received() {
    return new ArrayList<>(received);
  }

  /** Errors thrown by the script (other than I/O errors from a closed socket). */
  public List<Throwable> scriptErrors() {
    return new ArrayList<>(scriptErrors);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    closed = true;
    server.close();
    for (Peer peer : peers) {
      peer.close();
    }
    acceptor.join(5000);
    for (Peer peer : peers) {
      peer.reader.join(5000);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        socket.setTcpNoDelay(true);
      } catch (SocketException ignored) {
        // best effort
      }
      Peer peer = new Peer(peers.size(), socket);
      peers.add(peer);
      peer.reader.start();
    }
  }

  /** The server side of one accepted connection. Writes are thread-safe. */
  public final class Peer {
    private final int index;
    private final Socket socket;
    private final OutputStream out;
    private final Thread reader;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean closedByUs;

    private Peer(int index, Socket socket) {
      this.index = index;
      this.socket = socket;
      OutputStream stream;
      try {
        stream = socket.getOutputStream();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      this.out = stream;
      this.reader = new Thread(this::readLoop, "fake-memcached-" + port() + "-conn-" + index);
      reader.setDaemon(true);
    }

    /** 0 for the first connection accepted, 1 for the second (a reconnect), and so on. */
    public int index() {
      return index;
    }

    /** Sends a response to {@code request} with the given fields. */
    public void reply(Frame request, int status, long cas, byte[] extras, byte[] key, byte[] value) throws IOException {
      write(response(request.opcode(), status, request.opaque(), cas, extras, key, value));
    }

    /** Sends an empty NO_ERROR response to {@code request}. */
    public void replyOk(Frame request) throws IOException {
      reply(request, 0, 0L, null, null, null);
    }

    /** Sends a GET-family hit: flags as extras, the key only for GETK/GETKQ. */
    public void replyHit(Frame request, int flags, String value) throws IOException {
      byte[] key = request.opcode() == 0x0c || request.opcode() == 0x0d ? request.key() : null;
      reply(request, 0, 1L, ByteBuffer.allocate(4).putInt(flags).array(), key, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends an error status with a message, as memcached does. */
    public void replyStatus(Frame request, int status, String message) throws IOException {
      reply(request, status, 0L, null, null, message.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes raw bytes. */
    public void write(byte[] bytes) throws IOException {
      synchronized (out) {
        out.write(bytes);
        out.flush();
      }
    }

    /** Closes the connection from the server side. */
    public void close() {
      closedByUs = true;
      try {
        socket.close();
      } catch (IOException ignored) {
        // already closed
      }
    }

    /** Waits until the client closed this connection (or it was closed here); false on timeout. */
    public boolean awaitEnd(long millis) throws InterruptedException {
      return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Whether the connection ended without this side closing it: the client hung up. */
    public boolean closedByClient() {
      return ended.getCount() == 0 && !closedByUs;
    }

    private void readLoop() {
      try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
        while (true) {
          Frame frame = readFrame(in);
          if (frame == null) {
            return;
          }
          if (handshake && answerHandshake(frame)) {
            continue;
          }
          received.add(frame);
          try {
            script.onRequest(frame, this);
          } catch (IOException e) {
            if (!socket.isClosed()) {
              scriptErrors.add(e);
            }
          } catch (Exception | AssertionError e) {
            scriptErrors.add(e);
          }
        }
      } catch (IOException e) {
        // connection reset or closed: the loop ends
      } finally {
        ended.countDown();
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }

    private boolean answerHandshake(Frame frame) throws IOException {
      if (frame.opcode() == 0x0b) { // VERSION
        reply(frame, 0, 0L, null, null, VERSION.getBytes(StandardCharsets.US_ASCII));
        return true;
      }
      if (frame.opcode() == 0x10 && "settings".equals(frame.keyString())) { // STAT settings
        reply(frame, 0, 0L, null, "item_size_max".getBytes(StandardCharsets.US_ASCII),
            Long.toString(ITEM_SIZE_MAX).getBytes(StandardCharsets.US_ASCII));
        reply(frame, 0, 0L, null, "maxconns".getBytes(StandardCharsets.US_ASCII),
            "1024".getBytes(StandardCharsets.US_ASCII));
        replyOk(frame);
        return true;
      }
      return false;
    }
  }

  /** Reads one request frame; null at a clean end of stream. */
  private static Frame readFrame(DataInputStream in) throws IOException {
    byte[] header = new byte[24];
    try {
      in.readFully(header);
    } catch (EOFException e) {
      return null;
    }
    ByteBuffer h = ByteBuffer.wrap(header);
    if (h.get(0) != (byte) 0x80) {
      throw new IOException(String.format("fake: bad request magic 0x%02x", h.get(0) & 0xff));
    }
    byte opcode = h.get(1);
    int keyLength = h.getShort(2) & 0xffff;
    int extrasLength = h.get(4) & 0xff;
    int bodyLength = h.getInt(8);
    int opaque = h.getInt(12);
    long cas = h.getLong(16);
    byte[] extras = new byte[extrasLength];
    byte[] key = new byte[keyLength];
    byte[] value = new byte[bodyLength - extrasLength - keyLength];
    in.readFully(extras);
    in.readFully(key);
    in.readFully(value);
    return new Frame(opcode, opaque, cas, extras, key, value);
  }

  /** A response frame's bytes. Null arrays count as empty. */
  public static byte[] response(byte opcode, int status, int opaque, long cas, byte[] extras, byte[] key, byte[] value) {
    extras = extras == null ? new byte[0] : extras;
    key = key == null ? new byte[0] : key;
    value = value == null ? new byte[0] : value;
    ByteBuffer b = ByteBuffer.allocate(24 + extras.length + key.length + value.length);
    b.put((byte) 0x81).put(opcode).putShort((short) key.length).put((byte) extras.length).put((byte) 0)
        .putShort((short) status).putInt(extras.length + key.length + value.length).putInt(opaque).putLong(cas)
        .put(extras).put(key).put(value);
    return b.array();
  }
}
