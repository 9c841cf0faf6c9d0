package io.memjcache.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

/**
 * Where the {@link KeyRing} comes from: a PKCS#12 key store, the text form of {@link KeyRing#parse}
 * in an environment variable, a file or any {@link Secret}, or the application's callback. It is
 * read when a cache manager starts and again every refresh interval, so keys can be added,
 * promoted and retired without a restart. Messages name the source, never key material.
 */
public final class KeyRingSource {
  /** Key store aliases that hold ring keys: {@code memjcache-<id>}, optionally {@code -primary} or {@code -retired}. */
  private static final Pattern ALIAS = Pattern.compile("memjcache-(\\d{1,5})(?:-(primary|retired))?");

  private final String description;
  private final Supplier<KeyRing> loader;
  private final Object identity;

  private KeyRingSource(String description, Supplier<KeyRing> loader, Object identity) {
    this.description = description;
    this.loader = loader;
    this.identity = identity;
  }

  /** A fixed ring held in memory (tests, or a ring the application built once). */
  public static KeyRingSource of(KeyRing ring) {
    Objects.requireNonNull(ring, "ring");
    return new KeyRingSource("memory", () -> ring, ring);
  }

  /** The text form of {@link KeyRing#parse} from any secret: environment, system property, file or callback. */
  public static KeyRingSource fromText(Secret text) {
    Objects.requireNonNull(text, "text");
    return new KeyRingSource(text.source(), () -> {
      char[] chars = text.reveal();
      try {
        return KeyRing.parse(CharBuffer.wrap(chars));
      } finally {
        Arrays.fill(chars, '\0');
      }
    }, text);
  }

  /** The text form of {@link KeyRing#parse} in an environment variable, read at each refresh. */
  public static KeyRingSource fromEnvironment(String variable) {
    return fromText(Secret.fromEnvironment(variable));
  }

  /** The text form of {@link KeyRing#parse} in a UTF-8 file, read at each refresh. */
  public static KeyRingSource fromFile(Path file) {
    return fromText(Secret.fromFile(file));
  }

  /**
   * Secret-key entries of a PKCS#12 key store, read at each refresh. An entry whose alias is
   * {@code memjcache-<id>} is an active key, {@code memjcache-<id>-primary} the primary key,
   * {@code memjcache-<id>-retired} a retired one; other entries are ignored. Each key must have 32
   * bytes (an AES-256 key: {@code keytool -genseckey -keyalg AES -keysize 256 -storetype PKCS12
   * -alias memjcache-1-primary}); entries are protected by the store password. Promote or retire
   * a key with {@code keytool -changealias}. The key-hashing key is the lowest id.
   */
  public static KeyRingSource fromPkcs12(Path keyStore, Secret password) {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(password, "password");
    return new KeyRingSource("pkcs12:" + keyStore, () -> readPkcs12(keyStore, password),
        Arrays.asList("pkcs12", keyStore, password));
  }

  /**
   * The application's callback, called at each refresh (a secret manager, a rotation service).
   * {@code description} names it in messages and must not contain key material. If the callback
   * throws, the previous ring stays in use and only the exception's class is logged.
   */
  public static KeyRingSource from(String description, Supplier<KeyRing> callback) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(callback, "callback");
    return new KeyRingSource("callback:" + description, () -> {
      KeyRing ring;
      try {
        ring = callback.get();
      } catch (RuntimeException e) {
        throw new IllegalStateException("the callback failed: " + e.getClass().getName());
      }
      if (ring == null) {
        throw new IllegalStateException("the callback returned null");
      }
      return ring;
    }, new Object());
  }

  private static KeyRing readPkcs12(Path file, Secret password) {
    char[] pw = password.reveal();
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, pw);
      KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(pw);
      KeyRing.Builder ring = KeyRing.builder();
      int found = 0;
      for (String alias : Collections.list(store.aliases())) {
        Matcher m = ALIAS.matcher(alias.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
          continue;
        }
        int id = Integer.parseInt(m.group(1));
        if (id > EncryptionKey.MAX_ID) {
          throw new IllegalArgumentException("the id of alias " + alias + " is above " + EncryptionKey.MAX_ID);
        }
        if (!store.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
          throw new IllegalArgumentException("alias " + alias + " is not a secret-key entry");
        }
        SecretKey key = ((KeyStore.SecretKeyEntry) store.getEntry(alias, protection)).getSecretKey();
        byte[] material = key.getEncoded();
        if (material == null || material.length != EncryptionKey.LENGTH) {
          throw new IllegalArgumentException("the key of alias " + alias + " has "
              + (material == null ? "no encoded form" : material.length + " bytes") + "; a key must have "
              + EncryptionKey.LENGTH + " bytes (256 bits)");
        }
        EncryptionKey.State state = m.group(2) == null ? EncryptionKey.State.ACTIVE
            : m.group(2).equals("primary") ? EncryptionKey.State.PRIMARY : EncryptionKey.State.RETIRED;
        try {
          ring.add(EncryptionKey.of(id, state, material));
        } finally {
          Arrays.fill(material, (byte) 0);
        }
        found++;
      }
      if (found == 0) {
        throw new IllegalArgumentException("the key store has no secret-key entry with an alias memjcache-<id>[-primary|-retired]");
      }
      return ring.build();
    } catch (IOException e) {
      // a wrong password shows as an IOException caused by UnrecoverableKeyException
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot read the key store: " + cause.getClass().getSimpleName()
          + (cause instanceof java.security.UnrecoverableKeyException ? " (wrong password?)" : ""));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the key store: " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  /**
   * Reads the ring now.
   *
   * @throws IllegalArgumentException if what was read is not a valid ring
   * @throws IllegalStateException if it cannot be read (missing variable or file, wrong password,
   *     failing callback)
   */
  public KeyRing load() {
    try {
      return loader.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key ring from " + description + ": " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new IllegalStateException("key ring from " + description + ": " + e.getMessage());
    }
  }

  /** Where the ring comes from, e.g. {@code env:MEMJCACHE_KEYS} or {@code pkcs12:/etc/keys.p12}; never material. */
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return "KeyRingSource[" + description + "]";
  }

  /** Sources reading the same secret, key store or ring are equal; callbacks only to themselves. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KeyRingSource)) {
      return false;
    }
    return identity.equals(((KeyRingSource) o).identity);
  }

  @Override
  public int hashCode() {
    return identity.hashCode();
  }
}
