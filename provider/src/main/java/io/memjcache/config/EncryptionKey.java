package io.memjcache.config;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * One master key of a {@link KeyRing}: a small id that every entry it seals records, 256 bits of
 * key material, and the key's state. Immutable; the material is copied in and out and never
 * shown by {@link #toString()}.
 */
public final class EncryptionKey {
  /** What a key may do. */
  public enum State {
    /** Seals new values, and opens values it sealed. Exactly one key of a ring is primary. */
    PRIMARY,
    /** Opens values it sealed but seals nothing new: a key about to be promoted, or the previous primary. */
    ACTIVE,
    /** Refused: values it sealed are rejected (treated as misses). */
    RETIRED
  }

  /** The largest key id; ids are stored as two bytes. */
  public static final int MAX_ID = 0xFFFF;
  /** Bytes of key material: 256 bits. */
  public static final int LENGTH = 32;

  private final int id;
  private final State state;
  private final byte[] material;

  private EncryptionKey(int id, State state, byte[] material) {
    this.id = id;
    this.state = state;
    this.material = material;
  }

  /**
   * A key with its material.
   *
   * @param id 0 to {@value #MAX_ID}
   * @param material exactly {@value #LENGTH} bytes (copied); generate them with a
   *     {@link java.security.SecureRandom} or {@code openssl rand -base64 32}
   */
  public static EncryptionKey of(int id, State state, byte[] material) {
    checkId(id);
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(material, "material");
    if (material.length != LENGTH) {
      throw new IllegalArgumentException("key " + id + " has " + material.length + " bytes; a key must have "
          + LENGTH + " bytes (256 bits)");
    }
    return new EncryptionKey(id, state, material.clone());
  }

  /**
   * A retired key listed by id only: values it sealed are rejected as retired rather than as
   * sealed by an unknown key. (A retired key that is also the ring's key-hashing key needs its
   * material: use {@link #of}.)
   */
  public static EncryptionKey retired(int id) {
    checkId(id);
    return new EncryptionKey(id, State.RETIRED, null);
  }

  static void checkId(int id) {
    if (id < 0 || id > MAX_ID) {
      throw new IllegalArgumentException("a key id must be 0 to " + MAX_ID + ", was " + id);
    }
  }

  public int id() {
    return id;
  }

  public State state() {
    return state;
  }

  /** Whether the material is known (false only for {@link #retired(int)}). */
  public boolean hasMaterial() {
    return material != null;
  }

  /**
   * A copy of the key material; the caller should wipe it after use.
   *
   * @throws IllegalStateException if this is a retired key listed by id only
   */
  public byte[] material() {
    if (material == null) {
      throw new IllegalStateException("retired key " + id + " was listed without its material");
    }
    return material.clone();
  }

  /** This key in another state. */
  public EncryptionKey withState(State newState) {
    Objects.requireNonNull(newState, "state");
    if (material == null && newState != State.RETIRED) {
      throw new IllegalStateException("retired key " + id + " has no material and cannot become " + newState);
    }
    return new EncryptionKey(id, newState, material);
  }

  /** Equal ids, states and material (compared in constant time). */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EncryptionKey)) {
      return false;
    }
    EncryptionKey k = (EncryptionKey) o;
    if (id != k.id || state != k.state || (material == null) != (k.material == null)) {
      return false;
    }
    return material == null || MessageDigest.isEqual(material, k.material);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, state);
  }

  /** The id and state; never the material. */
  @Override
  public String toString() {
    return "EncryptionKey{id=" + id + ", " + state + (material == null ? ", no material" : "") + "}";
  }
}
