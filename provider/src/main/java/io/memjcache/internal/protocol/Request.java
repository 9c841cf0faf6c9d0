package io.memjcache.internal.protocol;

import java.util.Objects;

/**
 * One request frame, before an opaque is assigned. Immutable; the byte arrays are owned by the
 * request once passed in and must not be changed afterwards.
 */
public final class Request {
  private static final byte[] EMPTY = new byte[0];

  private final byte opcode;
  private final byte[] key;
  private final byte[] extras;
  private final byte[] value;
  private final long cas;

  private Request(byte opcode, byte[] key, byte[] extras, byte[] value, long cas) {
    this.opcode = opcode;
    this.key = key == null ? EMPTY : key;
    this.extras = extras == null ? EMPTY : extras;
    this.value = value == null ? EMPTY : value;
    this.cas = cas;
  }

  /** A request with every field given explicitly. */
  public static Request of(byte opcode, byte[] key, byte[] extras, byte[] value, long cas) {
    return new Request(opcode, key, extras, value, cas);
  }

  /** GET, GETQ, GETK, GETKQ, DELETE(Q) without CAS and other key-only requests. */
  public static Request keyOnly(byte opcode, byte[] key) {
    return new Request(opcode, Objects.requireNonNull(key, "key"), null, null, 0L);
  }

  /** DELETE or DELETEQ, optionally conditional on a CAS value (0 = unconditional). */
  public static Request delete(byte opcode, byte[] key, long cas) {
    return new Request(opcode, Objects.requireNonNull(key, "key"), null, null, cas);
  }

  /** SET, ADD, REPLACE and their quiet forms; {@code cas} 0 means unconditional. */
  public static Request store(byte opcode, byte[] key, byte[] value, int flags, int exptime, long cas) {
    byte[] extras = new byte[8];
    putInt(extras, 0, flags);
    putInt(extras, 4, exptime);
    return new Request(opcode, Objects.requireNonNull(key, "key"), extras, Objects.requireNonNull(value, "value"), cas);
  }

  /** APPEND, PREPEND and their quiet forms (no extras). */
  public static Request concat(byte opcode, byte[] key, byte[] value, long cas) {
    return new Request(opcode, Objects.requireNonNull(key, "key"), null, Objects.requireNonNull(value, "value"), cas);
  }

  /**
   * INCREMENT or DECREMENT. With {@code exptime == 0xffffffff} the server does not create a missing
   * item and answers KEY_NOT_FOUND instead.
   */
  public static Request counter(byte opcode, byte[] key, long delta, long initial, int exptime) {
    byte[] extras = new byte[20];
    putLong(extras, 0, delta);
    putLong(extras, 8, initial);
    putInt(extras, 16, exptime);
    return new Request(opcode, Objects.requireNonNull(key, "key"), extras, null, 0L);
  }

  /** TOUCH, GAT or GATQ. */
  public static Request touch(byte opcode, byte[] key, int exptime) {
    byte[] extras = new byte[4];
    putInt(extras, 0, exptime);
    return new Request(opcode, Objects.requireNonNull(key, "key"), extras, null, 0L);
  }

  /** NOOP, VERSION, SASL_LIST_MECHS: no key, extras or value. */
  public static Request bare(byte opcode) {
    return new Request(opcode, null, null, null, 0L);
  }

  /** STAT with an optional group name (null = general statistics). */
  public static Request stat(byte[] group) {
    return new Request(Opcode.STAT, group, null, null, 0L);
  }

  /** SASL_AUTH or SASL_STEP: the mechanism name as key, the client message as value. */
  public static Request sasl(byte opcode, byte[] mechanism, byte[] data) {
    return new Request(opcode, Objects.requireNonNull(mechanism, "mechanism"), null, data, 0L);
  }

  public byte opcode() {
    return opcode;
  }

  public byte[] key() {
    return key;
  }

  public byte[] extras() {
    return extras;
  }

  public byte[] value() {
    return value;
  }

  public long cas() {
    return cas;
  }

  /** Header plus body length in bytes. */
  public int frameLength() {
    return Frames.HEADER_LENGTH + extras.length + key.length + value.length;
  }

  @Override
  public String toString() {
    return "Request{" + Opcode.name(opcode) + ", key=" + key.length + "B, value=" + value.length + "B}";
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  private static void putLong(byte[] b, int off, long v) {
    putInt(b, off, (int) (v >>> 32));
    putInt(b, off + 4, (int) v);
  }
}
