package io.memjcache.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately tiny, blocking memcached binary-protocol client over one plain socket, for
 * checking servers independently of the provider: one request, one response, in order.
 */
public final class RawBinaryClient implements AutoCloseable {

  public static final int OP_GET = 0x00;
  public static final int OP_SET = 0x01;
  public static final int OP_NOOP = 0x0a;
  public static final int OP_VERSION = 0x0b;
  public static final int OP_SASL_LIST_MECHS = 0x20;
  public static final int OP_SASL_AUTH = 0x21;

  public static final int STATUS_OK = 0x00;
  public static final int STATUS_KEY_NOT_FOUND = 0x01;
  public static final int STATUS_AUTH_ERROR = 0x20;

  private static final int REQUEST_MAGIC = 0x80;
  private static final int RESPONSE_MAGIC = 0x81;
  private static final int HEADER = 24;
  private static final byte[] NONE = new byte[0];

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int opaque;

  private RawBinaryClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects; {@code timeout} bounds the connect and every read. */
  public static RawBinaryClient connect(InetSocketAddress address, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(address, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket.setTcpNoDelay(true);
      return new RawBinaryClient(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A response: its header fields and body parts. */
  public record Response(int opcode, int status, int opaque, long cas, byte[] extras, byte[] key,
      byte[] value) {

    public String valueAsString() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  /** Sends one request and reads its response. */
  public Response call(int opcode, byte[] extras, byte[] key, byte[] value) throws IOException {
    int id = ++opaque;
    ByteBuffer req = ByteBuffer.allocate(HEADER + extras.length + key.length + value.length);
    req.put((byte) REQUEST_MAGIC).put((byte) opcode).putShort((short) key.length)
        .put((byte) extras.length).put((byte) 0).putShort((short) 0)
        .putInt(extras.length + key.length + value.length).putInt(id).putLong(0)
        .put(extras).put(key).put(value);
    out.write(req.array());
    out.flush();
    return read(id);
  }

  private Response read(int expectedOpaque) throws IOException {
    byte[] header = new byte[HEADER];
    try {
      in.readFully(header);
    } catch (EOFException e) {
      throw new EOFException("server closed the connection");
    }
    ByteBuffer h = ByteBuffer.wrap(header);
    int magic = h.get() & 0xff;
    if (magic != RESPONSE_MAGIC) {
      throw new IOException("not a binary-protocol response, magic 0x" + Integer.toHexString(magic));
    }
    int op = h.get() & 0xff;
    int keyLength = h.getShort() & 0xffff;
    int extrasLength = h.get() & 0xff;
    h.get(); // data type
    int status = h.getShort() & 0xffff;
    int bodyLength = h.getInt();
    int id = h.getInt();
    long cas = h.getLong();
    byte[] body = new byte[bodyLength];
    in.readFully(body);
    if (id != expectedOpaque) {
      throw new IOException("response opaque " + id + " does not match request " + expectedOpaque);
    }
    return new Response(op, status, id, cas,
        Arrays.copyOfRange(body, 0, extrasLength),
        Arrays.copyOfRange(body, extrasLength, extrasLength + keyLength),
        Arrays.copyOfRange(body, extrasLength + keyLength, bodyLength));
  }

  /** VERSION: the server's version string. */
  public String version() throws IOException {
    return expectOk(call(OP_VERSION, NONE, NONE, NONE), "VERSION").valueAsString();
  }

  /** SASL_LIST_MECHS: the mechanisms offered. */
  public List<String> saslMechanisms() throws IOException {
    String list = expectOk(call(OP_SASL_LIST_MECHS, NONE, NONE, NONE), "SASL_LIST_MECHS").valueAsString();
    return List.of(list.trim().split("\\s+"));
  }

  /** SASL_AUTH with PLAIN; returns the status (0 on success, 0x20 on failure). */
  public int saslPlain(String user, String password) throws IOException {
    byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    return call(OP_SASL_AUTH, NONE, ascii("PLAIN"), token).status();
  }

  /** SET with flags 0 and no expiry; returns the status. */
  public int set(String key, byte[] value) throws IOException {
    return call(OP_SET, new byte[8], ascii(key), value).status();
  }

  /** GET; the value is in {@link Response#value()} when the status is 0. */
  public Response get(String key) throws IOException {
    return call(OP_GET, NONE, ascii(key), NONE);
  }

  private static Response expectOk(Response r, String what) throws IOException {
    if (r.status() != STATUS_OK) {
      throw new IOException(what + " failed with status 0x" + Integer.toHexString(r.status()) + ": "
          + r.valueAsString());
    }
    return r;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
