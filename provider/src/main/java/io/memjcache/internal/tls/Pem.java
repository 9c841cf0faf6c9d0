package io.memjcache.internal.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM text: X.509 certificates, and PKCS#8 private keys, plain or password-encrypted (PBES2
 * as written by {@code openssl pkcs8 -topk8}, or PBES1). Error messages name the file, never a
 * password or key bytes.
 */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);
  private static final String[] KEY_ALGORITHMS = {"EC", "RSA", "RSASSA-PSS", "EdDSA"};

  private Pem() {}

  /** Every certificate in {@code pem}, in order; at least one. */
  static List<X509Certificate> certificates(byte[] pem, String file) {
    List<X509Certificate> result = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(pem, "CERTIFICATE", file)) {
        result.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return result;
  }

  /**
   * The PKCS#8 private key in {@code pem}. {@code password} is needed for an encrypted key; the
   * caller wipes it.
   */
  static PrivateKey privateKey(byte[] pem, char[] password, String file) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(decode(m.group(2), file), file);
        case "ENCRYPTED PRIVATE KEY":
          if (password == null) {
            throw new IllegalArgumentException(file + " holds an encrypted private key but no key password is configured");
          }
          return pkcs8(decrypt(decode(m.group(2), file), password, file), file);
        case "EC PRIVATE KEY":
        case "RSA PRIVATE KEY":
        case "DSA PRIVATE KEY":
          throw new IllegalArgumentException(file + " holds a traditional '" + type + "' key; memjcache reads PKCS#8 keys: "
              + "convert it with 'openssl pkcs8 -topk8 -in KEY -out KEY.pk8' (add -nocrypt to leave it unencrypted)");
        default:
          // EC PARAMETERS and other blocks around the key are skipped.
      }
    }
    throw new IllegalArgumentException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  private static List<byte[]> blocks(byte[] pem, String wanted, String file) {
    List<byte[]> result = new ArrayList<>();
    Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (m.find()) {
      if (m.group(1).equals(wanted)) {
        result.add(decode(m.group(2), file));
      }
    }
    return result;
  }

  private static byte[] decode(String base64, String file) {
    try {
      return Base64.getMimeDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " holds a PEM block that is not valid base64");
    }
  }

  private static PrivateKey pkcs8(byte[] der, String file) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    try {
      for (String algorithm : KEY_ALGORITHMS) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException notThisOne) {
          // try the next algorithm
        }
      }
      throw new IllegalArgumentException(file + " holds a private key of an unsupported algorithm (EC, RSA and EdDSA work)");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static byte[] decrypt(byte[] der, char[] password, String file) {
    PBEKeySpec keySpec = new PBEKeySpec(password);
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      // For PBES2 the JDK names the real scheme only in the parameters, e.g. PBEWithHmacSHA256AndAES_256.
      String algorithm = "PBES2".equals(info.getAlgName()) || "1.2.840.113549.1.5.13".equals(info.getAlgName())
          ? info.getAlgParameters().toString() : info.getAlgName();
      SecretKey key = SecretKeyFactory.getInstance(algorithm).generateSecret(keySpec);
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, key, info.getAlgParameters());
      return info.getKeySpec(cipher).getEncoded();
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("cannot decrypt the private key in " + file + ": wrong key password or damaged file");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("cannot decrypt the private key in " + file + ": "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    } finally {
      keySpec.clearPassword();
      Arrays.fill(der, (byte) 0);
    }
  }
}
