package io.memjcache.internal.crypto;

import io.memjcache.config.EncryptionSettings;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMSIVBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The authenticated encryption algorithms of the envelope, each with the id stored in it: 256-bit
 * keys, 96-bit nonces, 128-bit tags appended to the ciphertext. Stateless and thread-safe.
 */
enum AeadAlgorithm {
  /** AES-256-GCM (NIST SP 800-38D) through the JDK's {@link Cipher}, hardware accelerated. */
  AES_256_GCM(1) {
    @Override
    void seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext, int offset, int length, byte[] out,
        int outOffset) {
      Cipher cipher = JDK_GCM.get();
      try {
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      } catch (InvalidAlgorithmParameterException e) {
        // the JDK refuses a key and nonce pair it has just encrypted with on this thread
        throw new IllegalStateException("AES-GCM refused the nonce: the random source repeated itself", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-256-GCM is not available", e);
      }
      try {
        cipher.updateAAD(aad);
        int written = cipher.doFinal(plaintext, offset, length, out, outOffset);
        if (written != length + TAG_LENGTH) {
          throw new IllegalStateException("AES-GCM wrote " + written + " bytes");
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed", e);
      }
    }

    @Override
    boolean openInPlace(byte[] key, byte[] nonce, byte[] aad, byte[] buf, int offset, int length) {
      Cipher cipher = JDK_GCM.get();
      try {
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        cipher.updateAAD(aad);
        int written = cipher.doFinal(buf, offset, length, buf, offset);
        if (written != length - TAG_LENGTH) {
          throw new IllegalStateException("AES-GCM wrote " + written + " bytes");
        }
        return true;
      } catch (AEADBadTagException e) {
        return false;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed", e);
      }
    }
  },

  /** AES-256-GCM-SIV (RFC 8452) through BouncyCastle: a repeated nonce reveals only repeated values. */
  AES_256_GCM_SIV(2) {
    @Override
    void seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext, int offset, int length, byte[] out,
        int outOffset) {
      GCMSIVBlockCipher cipher = new GCMSIVBlockCipher(AESEngine.newInstance());
      cipher.init(true, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
      int written = cipher.processBytes(plaintext, offset, length, out, outOffset);
      try {
        written += cipher.doFinal(out, outOffset + written);
      } catch (InvalidCipherTextException e) {
        throw new IllegalStateException("AES-GCM-SIV encryption failed", e);
      }
      if (written != length + TAG_LENGTH) {
        throw new IllegalStateException("AES-GCM-SIV wrote " + written + " bytes");
      }
    }

    @Override
    boolean openInPlace(byte[] key, byte[] nonce, byte[] aad, byte[] buf, int offset, int length) {
      GCMSIVBlockCipher cipher = new GCMSIVBlockCipher(AESEngine.newInstance());
      cipher.init(false, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
      try {
        // the cipher buffers all its input before it writes plaintext, so buf may be both
        int written = cipher.processBytes(buf, offset, length, buf, offset);
        written += cipher.doFinal(buf, offset + written);
        return written == length - TAG_LENGTH;
      } catch (InvalidCipherTextException e) {
        return false;
      }
    }
  };

  /** Bytes of a key. */
  static final int KEY_LENGTH = 32;
  /** Bytes of a nonce. */
  static final int NONCE_LENGTH = 12;
  /** Bytes of the authentication tag that follows the ciphertext. */
  static final int TAG_LENGTH = 16;

  private static final ThreadLocal<Cipher> JDK_GCM = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", e);
    }
  });

  private final int id;

  AeadAlgorithm(int id) {
    this.id = id;
  }

  /** The id stored in the envelope. */
  int id() {
    return id;
  }

  /** The algorithm of a stored id, or null if there is none. */
  static AeadAlgorithm byId(int id) {
    for (AeadAlgorithm a : values()) {
      if (a.id == id) {
        return a;
      }
    }
    return null;
  }

  static AeadAlgorithm of(EncryptionSettings.Algorithm algorithm) {
    switch (algorithm) {
      case AES_256_GCM:
        return AES_256_GCM;
      case AES_256_GCM_SIV:
        return AES_256_GCM_SIV;
      default:
        throw new IllegalArgumentException("unknown algorithm " + algorithm);
    }
  }

  /**
   * Encrypts {@code plaintext[offset, offset + length)} into {@code out} at {@code outOffset}:
   * {@code length} bytes of ciphertext, then the {@value #TAG_LENGTH}-byte tag.
   */
  abstract void seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext, int offset, int length, byte[] out,
      int outOffset);

  /**
   * Decrypts ciphertext and tag {@code buf[offset, offset + length)} in place: true, with the
   * plaintext in the first {@code length - }{@value #TAG_LENGTH} of those bytes, or false if
   * authentication fails (the bytes are then undefined). {@code length} must be at least
   * {@value #TAG_LENGTH}.
   */
  abstract boolean openInPlace(byte[] key, byte[] nonce, byte[] aad, byte[] buf, int offset, int length);
}
