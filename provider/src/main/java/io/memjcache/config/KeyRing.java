package io.memjcache.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The master keys of value encryption at one moment: exactly one {@linkplain EncryptionKey.State#PRIMARY
 * primary} key seals new values, {@linkplain EncryptionKey.State#ACTIVE active} keys still open
 * values they sealed, {@linkplain EncryptionKey.State#RETIRED retired} keys are refused. One key
 * of the ring, the key-hashing key, also keys the HMAC that replaces application keys in memcached
 * keys: the one named with {@link Builder#hashingKey(int)} ({@code hashing=} in text), otherwise
 * the lowest id that has material. Immutable; {@link #toString()} shows ids and states only.
 *
 * <p>Text form ({@link #parse}), for an environment variable or a file; whitespace and line
 * breaks between tokens are ignored, and keys are standard or URL-safe base64 (padding optional)
 * of exactly 32 bytes:
 *
 * <pre>
 *   ring     = part *( ";" part )
 *   part     = key-list / setting
 *   key-list = id ":" base64 *( "," id ":" base64 )
 *   setting  = "primary=" id / "hashing=" id / "retired=" id *( "," id )
 *   id       = decimal, 0 to 65535
 *
 *   example: 1:q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=, 2:...; primary=2; retired=0
 * </pre>
 *
 * <p>Listed keys are active unless named by {@code primary=} (required, exactly one) or
 * {@code retired=}. A retired id needs no material unless it is the key-hashing key.
 *
 * <p>Rotation without losing readable entries, with every JVM re-reading the ring (the refresh
 * interval of {@link EncryptionSettings}): add the new key as active and wait one refresh
 * interval, so every JVM can open what it will seal; promote it to primary (the old primary
 * becomes active); retire the old key once the values it sealed have expired or been rewritten.
 * Keep the key-hashing key in the ring for as long as the cache's entries should stay reachable
 * (retired is fine): another key-hashing key gives every application key another memcached key.
 */
public final class KeyRing {
  private final TreeMap<Integer, EncryptionKey> keys;
  private final EncryptionKey primary;
  private final EncryptionKey hashingKey;

  private KeyRing(TreeMap<Integer, EncryptionKey> keys, EncryptionKey primary, EncryptionKey hashingKey) {
    this.keys = keys;
    this.primary = primary;
    this.hashingKey = hashingKey;
  }

  /** A ring of these keys, the lowest id with material being the key-hashing key. */
  public static KeyRing of(EncryptionKey... keys) {
    Builder b = builder();
    for (EncryptionKey key : keys) {
      b.add(key);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the text form described above.
   *
   * @throws IllegalArgumentException if it is malformed or does not make a valid ring; the
   *     message names positions and ids, never key material or the text itself
   */
  public static KeyRing parse(CharSequence text) {
    Objects.requireNonNull(text, "text");
    StringBuilder compact = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        compact.append(c);
      }
    }
    Map<Integer, byte[]> materials = new TreeMap<>();
    Integer primaryId = null;
    Integer hashingId = null;
    TreeSet<Integer> retired = null;
    try {
      String[] parts = compact.toString().split(";", -1);
      int keyEntry = 0;
      for (int p = 0; p < parts.length; p++) {
        String part = parts[p];
        if (part.isEmpty()) {
          continue;
        }
        if (Character.isDigit(part.charAt(0))) {
          for (String entry : part.split(",", -1)) {
            keyEntry++;
            int colon = entry.indexOf(':');
            if (colon < 0) {
              throw new IllegalArgumentException("key entry " + keyEntry + " has no ':' between its id and its key");
            }
            int id = parseId(entry.substring(0, colon), "key entry " + keyEntry);
            if (materials.containsKey(id)) {
              throw new IllegalArgumentException("key " + id + " is listed twice");
            }
            materials.put(id, decodeKey(entry.substring(colon + 1), id));
          }
        } else if (part.startsWith("primary=")) {
          if (primaryId != null) {
            throw new IllegalArgumentException("primary= is given twice");
          }
          primaryId = parseId(part.substring("primary=".length()), "primary=");
        } else if (part.startsWith("hashing=")) {
          if (hashingId != null) {
            throw new IllegalArgumentException("hashing= is given twice");
          }
          hashingId = parseId(part.substring("hashing=".length()), "hashing=");
        } else if (part.startsWith("retired=")) {
          if (retired != null) {
            throw new IllegalArgumentException("retired= is given twice");
          }
          retired = new TreeSet<>();
          for (String id : part.substring("retired=".length()).split(",", -1)) {
            retired.add(parseId(id, "retired="));
          }
        } else {
          throw new IllegalArgumentException("part " + (p + 1) + " (counting ';'-separated parts) is neither a key list"
              + " (id:base64,...) nor one of the settings primary=, retired=, hashing=");
        }
      }
      if (materials.isEmpty()) {
        throw new IllegalArgumentException("no keys are listed (expected id:base64,...)");
      }
      if (primaryId == null) {
        throw new IllegalArgumentException("no primary key is named (expected primary=<id>)");
      }
      if (!materials.containsKey(primaryId)) {
        throw new IllegalArgumentException("the primary key " + primaryId + " is not listed with its material");
      }
      Builder b = builder();
      TreeSet<Integer> retiredIds = retired == null ? new TreeSet<>() : retired;
      if (retiredIds.contains(primaryId)) {
        throw new IllegalArgumentException("key " + primaryId + " is named both primary and retired");
      }
      for (Map.Entry<Integer, byte[]> e : materials.entrySet()) {
        int id = e.getKey();
        EncryptionKey.State state = id == primaryId ? EncryptionKey.State.PRIMARY
            : retiredIds.contains(id) ? EncryptionKey.State.RETIRED : EncryptionKey.State.ACTIVE;
        b.add(EncryptionKey.of(id, state, e.getValue()));
      }
      for (int id : retiredIds) {
        if (!materials.containsKey(id)) {
          b.add(EncryptionKey.retired(id));
        }
      }
      if (hashingId != null) {
        b.hashingKey(hashingId);
      }
      return b.build();
    } finally {
      for (byte[] material : materials.values()) {
        Arrays.fill(material, (byte) 0);
      }
    }
  }

  private static int parseId(String s, String where) {
    if (s.isEmpty() || s.length() > 5) {
      throw new IllegalArgumentException(where + " has no id from 0 to " + EncryptionKey.MAX_ID);
    }
    int id = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(where + " has no id from 0 to " + EncryptionKey.MAX_ID);
      }
      id = id * 10 + (c - '0');
    }
    if (id > EncryptionKey.MAX_ID) {
      throw new IllegalArgumentException(where + " has no id from 0 to " + EncryptionKey.MAX_ID);
    }
    return id;
  }

  private static byte[] decodeKey(String base64, int id) {
    byte[] material;
    try {
      material = Base64.getDecoder().decode(base64.replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key of id " + id + " is not valid base64");
    }
    if (material.length != EncryptionKey.LENGTH) {
      int length = material.length;
      Arrays.fill(material, (byte) 0);
      throw new IllegalArgumentException("the key of id " + id + " decodes to " + length + " bytes; a key must have "
          + EncryptionKey.LENGTH + " bytes (256 bits)");
    }
    return material;
  }

  /** The key that seals new values. */
  public EncryptionKey primary() {
    return primary;
  }

  /** The key of this id, in whatever state. */
  public Optional<EncryptionKey> key(int id) {
    return Optional.ofNullable(keys.get(id));
  }

  /** Every key, by ascending id. */
  public List<EncryptionKey> keys() {
    return Collections.unmodifiableList(new ArrayList<>(keys.values()));
  }

  /** The key whose material keys the lookup-key HMAC, whatever its state. */
  public EncryptionKey hashingKey() {
    return hashingKey;
  }

  /** Same keys (ids, states, material) and same key-hashing key. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KeyRing)) {
      return false;
    }
    KeyRing r = (KeyRing) o;
    return keys.equals(r.keys) && hashingKey.id() == r.hashingKey.id();
  }

  @Override
  public int hashCode() {
    return Objects.hash(keys, hashingKey.id());
  }

  /** Ids and states, e.g. {@code KeyRing{primary=2, active=[1], retired=[0], hashing=1}}; never material. */
  @Override
  public String toString() {
    List<Integer> active = new ArrayList<>();
    List<Integer> retired = new ArrayList<>();
    for (EncryptionKey key : keys.values()) {
      if (key.state() == EncryptionKey.State.ACTIVE) {
        active.add(key.id());
      } else if (key.state() == EncryptionKey.State.RETIRED) {
        retired.add(key.id());
      }
    }
    return "KeyRing{primary=" + primary.id() + ", active=" + active + ", retired=" + retired
        + ", hashing=" + hashingKey.id() + "}";
  }

  /** Builds a {@link KeyRing}. */
  public static final class Builder {
    private final TreeMap<Integer, EncryptionKey> keys = new TreeMap<>();
    private Integer hashingKeyId;

    private Builder() {}

    /** Adds a key; ids must be distinct. */
    public Builder add(EncryptionKey key) {
      Objects.requireNonNull(key, "key");
      if (keys.putIfAbsent(key.id(), key) != null) {
        throw new IllegalArgumentException("key " + key.id() + " is listed twice");
      }
      return this;
    }

    /**
     * Names the key-hashing key (default: the lowest id with material). It must be in the ring
     * with its material, in any state.
     */
    public Builder hashingKey(int id) {
      EncryptionKey.checkId(id);
      this.hashingKeyId = id;
      return this;
    }

    /**
     * @throws IllegalArgumentException unless exactly one key is primary and the key-hashing key
     *     is in the ring with its material
     */
    public KeyRing build() {
      EncryptionKey primary = null;
      for (EncryptionKey key : keys.values()) {
        if (key.state() == EncryptionKey.State.PRIMARY) {
          if (primary != null) {
            throw new IllegalArgumentException("keys " + primary.id() + " and " + key.id()
                + " are both primary; a ring has exactly one primary key");
          }
          primary = key;
        }
      }
      if (primary == null) {
        throw new IllegalArgumentException(keys.isEmpty() ? "a key ring needs at least one key"
            : "no key is primary; a ring has exactly one primary key");
      }
      EncryptionKey hashing;
      if (hashingKeyId != null) {
        hashing = keys.get(hashingKeyId);
        if (hashing == null || !hashing.hasMaterial()) {
          throw new IllegalArgumentException("the key-hashing key " + hashingKeyId + " is not in the ring with its material");
        }
      } else {
        hashing = keys.values().stream().filter(EncryptionKey::hasMaterial).findFirst().orElseThrow();
      }
      return new KeyRing(new TreeMap<>(keys), primary, hashing);
    }
  }
}
