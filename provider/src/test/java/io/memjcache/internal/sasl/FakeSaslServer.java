package io.memjcache.internal.sasl;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.transport.FakeMemcached;
import io.memjcache.internal.transport.FakeMemcached.Frame;
import io.memjcache.internal.transport.FakeMemcached.Peer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A memcached that speaks SASL the way memcached 1.6 does (server-final as AUTH_CONTINUE, then an
 * empty step), built on {@link FakeMemcached}, with faults a real server won't produce. Its SCRAM
 * side is written independently of the client: PBKDF2 comes from the JDK's SecretKeyFactory. Once
 * authenticated, NOOP, SET and GET work on a shared map; before that, like memcached, any other
 * command gets AUTH_ERROR and the connection is closed.
 */
final class FakeSaslServer implements AutoCloseable {
  static final int NO_ERROR = 0x00;
  static final int AUTH_ERROR = 0x20;
  static final int AUTH_CONTINUE = 0x21;
  static final int UNKNOWN_COMMAND = 0x81;
  static final int NOT_SUPPORTED = 0x83;

  /** What the server does wrong. */
  enum Fault {
    NONE,
    /** SASL_LIST_MECHS gets "Unknown command", as from a server without {@code -S}. */
    LIST_MECHS_UNKNOWN_COMMAND,
    /** SASL_AUTH gets "Not supported". */
    AUTH_NOT_SUPPORTED,
    /** The SCRAM server-final message carries a signature computed with the wrong key. */
    BAD_SERVER_SIGNATURE,
    /** SCRAM: success straight after client-final, with no server-final message at all. */
    SUCCESS_WITHOUT_SIGNATURE,
    /** The server closes the connection when SASL_AUTH arrives. */
    CLOSE_ON_AUTH,
    /** The server closes the connection when the first SASL_STEP arrives. */
    CLOSE_ON_STEP
  }

  private final String mechanisms;
  private final String user;
  private volatile String password;
  private final Fault fault;
  private final FakeMemcached fake;
  private final Map<Integer, Conversation> conversations = new ConcurrentHashMap<>();
  private final Map<String, byte[]> store = new ConcurrentHashMap<>();
  private final AtomicInteger saslAuths = new AtomicInteger();
  private final AtomicInteger authenticated = new AtomicInteger();

  private FakeSaslServer(String mechanisms, String user, String password, Fault fault) throws Exception {
    this.mechanisms = mechanisms;
    this.user = user;
    this.password = password;
    this.fault = fault;
    this.fake = FakeMemcached.start(this::onRequest);
  }

  /** A server offering {@code mechanisms} (space-separated, as memcached lists them). */
  static FakeSaslServer start(String mechanisms, String user, String password, Fault fault) throws Exception {
    return new FakeSaslServer(mechanisms, user, password, fault);
  }

  InetSocketAddress address() {
    return fake.address();
  }

  String node() {
    return fake.node();
  }

  FakeMemcached fake() {
    return fake;
  }

  /** Connections accepted so far. */
  int connections() {
    return fake.connections();
  }

  int saslAuths() {
    return saslAuths.get();
  }

  int authenticated() {
    return authenticated.get();
  }

  /** Changes the password, as an operator rotating it would. */
  void password(String newPassword) {
    this.password = newPassword;
  }

  /** Mechanisms named in SASL_AUTH requests, in order. */
  List<String> mechanismsUsed() {
    return fake.received().stream().filter(f -> f.opcode() == Opcode.SASL_AUTH).map(Frame::keyString).toList();
  }

  @Override
  public void close() throws Exception {
    fake.close();
  }

  /** The SASL state of one connection. */
  private static final class Conversation {
    boolean authenticated;
    String mechanism;
    String challenge;
    String clientFirstBare;
    String serverFirst;
    byte[] salt;
    boolean sentServerFinal;
  }

  private void onRequest(Frame request, Peer peer) throws Exception {
    Conversation c = conversations.computeIfAbsent(peer.index(), i -> new Conversation());
    switch (request.opcode()) {
      case Opcode.SASL_LIST_MECHS:
        if (fault == Fault.LIST_MECHS_UNKNOWN_COMMAND) {
          peer.replyStatus(request, UNKNOWN_COMMAND, "Unknown command");
        } else {
          peer.reply(request, NO_ERROR, 0L, null, null, mechanisms.getBytes(StandardCharsets.US_ASCII));
        }
        return;
      case Opcode.SASL_AUTH:
        saslAuths.incrementAndGet();
        if (fault == Fault.CLOSE_ON_AUTH) {
          peer.close();
          return;
        }
        if (fault == Fault.AUTH_NOT_SUPPORTED) {
          peer.replyStatus(request, NOT_SUPPORTED, "Not supported");
          return;
        }
        auth(request, peer, c);
        return;
      case Opcode.SASL_STEP:
        if (fault == Fault.CLOSE_ON_STEP) {
          peer.close();
          return;
        }
        step(request, peer, c);
        return;
      default:
        break;
    }
    if (!c.authenticated) {
      peer.replyStatus(request, AUTH_ERROR, "Auth failure.");
      peer.close();
      return;
    }
    switch (request.opcode()) {
      case Opcode.SET:
        store.put(request.keyString(), request.value());
        peer.reply(request, NO_ERROR, 1L, null, null, null);
        break;
      case Opcode.GET: {
        byte[] value = store.get(request.keyString());
        if (value == null) {
          peer.replyStatus(request, 0x01, "Not found");
        } else {
          peer.reply(request, NO_ERROR, 1L, new byte[4], null, value);
        }
        break;
      }
      default:
        peer.replyOk(request);
    }
  }

  private void auth(Frame request, Peer peer, Conversation c) throws Exception {
    String mechanism = request.keyString();
    if (!Arrays.asList(mechanisms.split(" ")).contains(mechanism)) {
      peer.replyStatus(request, AUTH_ERROR, "Auth failure.");
      return;
    }
    c.mechanism = mechanism;
    switch (mechanism) {
      case "PLAIN": {
        String expected = "\0" + user + "\0" + password;
        finish(request, peer, c, expected.equals(new String(request.value(), StandardCharsets.UTF_8)));
        return;
      }
      case "CRAM-MD5":
        c.challenge = "<" + System.nanoTime() + ".1@fake>";
        peer.reply(request, AUTH_CONTINUE, 0L, null, null, c.challenge.getBytes(StandardCharsets.US_ASCII));
        return;
      case "SCRAM-SHA-1":
      case "SCRAM-SHA-256": {
        String clientFirst = new String(request.value(), StandardCharsets.UTF_8);
        if (!clientFirst.startsWith("n,,")) {
          peer.replyStatus(request, AUTH_ERROR, "Auth failure.");
          return;
        }
        c.clientFirstBare = clientFirst.substring(3);
        String clientNonce = attribute(c.clientFirstBare, "r");
        c.salt = "fake-salt-1234".getBytes(StandardCharsets.US_ASCII);
        c.serverFirst = "r=" + clientNonce + "SeRvEr,s=" + Base64.getEncoder().encodeToString(c.salt) + ",i=4096";
        peer.reply(request, AUTH_CONTINUE, 0L, null, null, c.serverFirst.getBytes(StandardCharsets.US_ASCII));
        return;
      }
      default:
        peer.replyStatus(request, AUTH_ERROR, "Auth failure.");
    }
  }

  private void step(Frame request, Peer peer, Conversation c) throws Exception {
    if (c.mechanism == null) {
      peer.replyStatus(request, AUTH_ERROR, "Auth failure.");
      return;
    }
    if (c.mechanism.equals("CRAM-MD5")) {
      Mac mac = Mac.getInstance("HmacMD5");
      mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
      String expected = user + " " + HexFormat.of().formatHex(mac.doFinal(c.challenge.getBytes(StandardCharsets.US_ASCII)));
      finish(request, peer, c, expected.equals(request.valueString()));
      return;
    }
    if (c.sentServerFinal) { // memcached's extra, empty step
      finish(request, peer, c, request.value().length == 0);
      return;
    }
    String hmac = c.mechanism.equals("SCRAM-SHA-1") ? "HmacSHA1" : "HmacSHA256";
    String digest = c.mechanism.equals("SCRAM-SHA-1") ? "SHA-1" : "SHA-256";
    String pbkdf2 = c.mechanism.equals("SCRAM-SHA-1") ? "PBKDF2WithHmacSHA1" : "PBKDF2WithHmacSHA256";
    int length = c.mechanism.equals("SCRAM-SHA-1") ? 160 : 256;
    String clientFinal = new String(request.value(), StandardCharsets.UTF_8);
    int proofAt = clientFinal.lastIndexOf(",p=");
    String withoutProof = clientFinal.substring(0, proofAt);
    byte[] proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
    byte[] authMessage = (c.clientFirstBare + "," + c.serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] salted = SecretKeyFactory.getInstance(pbkdf2)
        .generateSecret(new PBEKeySpec(password.toCharArray(), c.salt, 4096, length)).getEncoded();
    byte[] clientKey = hmac(hmac, salted, "Client Key");
    byte[] storedKey = MessageDigest.getInstance(digest).digest(clientKey);
    byte[] signature = hmac(hmac, storedKey, authMessage);
    byte[] recovered = new byte[proof.length];
    for (int i = 0; i < proof.length && i < signature.length; i++) {
      recovered[i] = (byte) (proof[i] ^ signature[i]);
    }
    boolean ok = withoutProof.startsWith("c=biws,r=")
        && MessageDigest.isEqual(MessageDigest.getInstance(digest).digest(recovered), storedKey);
    if (!ok) {
      peer.replyStatus(request, AUTH_ERROR, "Auth failure.");
      return;
    }
    if (fault == Fault.SUCCESS_WITHOUT_SIGNATURE) {
      finish(request, peer, c, true);
      return;
    }
    byte[] serverKey = hmac(hmac, fault == Fault.BAD_SERVER_SIGNATURE ? clientKey : salted, "Server Key");
    byte[] serverSignature = hmac(hmac, serverKey, authMessage);
    c.sentServerFinal = true;
    peer.reply(request, AUTH_CONTINUE, 0L, null, null,
        ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.US_ASCII));
  }

  private void finish(Frame request, Peer peer, Conversation c, boolean ok) throws Exception {
    if (ok) {
      c.authenticated = true;
      authenticated.incrementAndGet();
      peer.reply(request, NO_ERROR, 0L, null, null, "Authenticated".getBytes(StandardCharsets.US_ASCII));
    } else {
      c.mechanism = null;
      c.sentServerFinal = false;
      peer.replyStatus(request, AUTH_ERROR, "Auth failure.");
    }
  }

  private static byte[] hmac(String algorithm, byte[] key, String data) throws Exception {
    return hmac(algorithm, key, data.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] hmac(String algorithm, byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(key, algorithm));
    return mac.doFinal(data);
  }

  private static String attribute(String message, String name) {
    for (String part : message.split(",")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new IllegalArgumentException("no " + name + " in " + message);
  }
}
