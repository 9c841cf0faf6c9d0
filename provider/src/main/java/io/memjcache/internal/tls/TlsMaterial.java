package io.memjcache.internal.tls;

import io.memjcache.config.Secret;
import io.memjcache.config.TlsSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust anchors and client identity read from the files of {@link TlsSettings}, with a
 * fingerprint of the files' content, so that a connection opened after a file changed sees the new
 * material. Passwords are read from their {@link Secret} only while a file is decoded.
 */
final class TlsMaterial {
  /** PEM CA certificates, or null. */
  final List<X509Certificate> trustCertificates;
  /** Trust from a PKCS#12 store, or null. */
  final TrustManagerFactory trustStore;
  /** The client key and its chain (mutual TLS), or null. */
  final PrivateKey clientKey;
  final List<X509Certificate> clientChain;
  /** SHA-256 over the path and content of every file read. */
  final byte[] fingerprint;

  private TlsMaterial(List<X509Certificate> trustCertificates, TrustManagerFactory trustStore, PrivateKey clientKey,
      List<X509Certificate> clientChain, byte[] fingerprint) {
    this.trustCertificates = trustCertificates;
    this.trustStore = trustStore;
    this.clientKey = clientKey;
    this.clientChain = clientChain;
    this.fingerprint = fingerprint;
  }

  /** The content of every file the settings name, read now. */
  static FileSnapshot read(TlsSettings settings) {
    Map<Path, byte[]> content = new LinkedHashMap<>();
    for (Path file : files(settings)) {
      try {
        content.put(file, java.nio.file.Files.readAllBytes(file));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the TLS file " + file + ": " + describe(e));
      }
    }
    return new FileSnapshot(content);
  }

  /** Decodes the files just read. */
  static TlsMaterial load(TlsSettings settings, FileSnapshot files) {
    List<X509Certificate> trust = null;
    TrustManagerFactory trustStore = null;
    if (settings.trustCertificates().isPresent()) {
      Path file = settings.trustCertificates().get();
      trust = Pem.certificates(files.content(file), file.toString());
    } else if (settings.trustStore().isPresent()) {
      Path file = settings.trustStore().get();
      trustStore = trustStore(pkcs12(files.content(file), settings.trustStorePassword().orElse(null), file, "trust store"),
          file);
    }
    PrivateKey key = null;
    List<X509Certificate> chain = null;
    if (settings.clientCertificate().isPresent()) {
      Path certFile = settings.clientCertificate().get();
      Path keyFile = settings.clientKey().orElseThrow();
      chain = Pem.certificates(files.content(certFile), certFile.toString());
      char[] password = reveal(settings.clientKeyPassword().orElse(null));
      try {
        key = Pem.privateKey(files.content(keyFile), password, keyFile.toString());
      } finally {
        wipe(password);
      }
      requireMatch(key, chain.get(0), "the private key in " + keyFile + " does not belong to the certificate in " + certFile);
    } else if (settings.keyStore().isPresent()) {
      Path file = settings.keyStore().get();
      Secret secret = settings.keyStorePassword().orElse(null);
      KeyStore store = pkcs12(files.content(file), secret, file, "key store");
      char[] password = reveal(secret);
      try {
        for (String alias : Collections.list(store.aliases())) {
          if (store.isKeyEntry(alias)) {
            Key k = store.getKey(alias, password == null ? new char[0] : password);
            Certificate[] certs = store.getCertificateChain(alias);
            if (k instanceof PrivateKey && certs != null && certs.length > 0) {
              key = (PrivateKey) k;
              chain = new ArrayList<>();
              for (Certificate c : certs) {
                chain.add((X509Certificate) c);
              }
              break;
            }
          }
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot read the private key in the PKCS#12 key store " + file + ": "
            + describe(e));
      } finally {
        wipe(password);
      }
      if (key == null) {
        throw new IllegalArgumentException("the PKCS#12 key store " + file + " holds no private key with a certificate");
      }
    }
    return new TlsMaterial(trust == null ? null : List.copyOf(trust), trustStore, key,
        chain == null ? null : List.copyOf(chain), files.fingerprint());
  }

  private static List<Path> files(TlsSettings s) {
    List<Path> files = new ArrayList<>();
    s.trustCertificates().ifPresent(files::add);
    s.trustStore().ifPresent(files::add);
    s.clientCertificate().ifPresent(files::add);
    s.clientKey().ifPresent(files::add);
    s.keyStore().ifPresent(files::add);
    return files;
  }

  private static KeyStore pkcs12(byte[] content, Secret secret, Path file, String what) {
    char[] password = reveal(secret);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(content), password);
      return store;
    } catch (IOException e) {
      // The JDK reports a wrong password as an IOException caused by UnrecoverableKeyException.
      throw new IllegalArgumentException("cannot read the PKCS#12 " + what + " " + file
          + ": wrong password or damaged file (password from " + (secret == null ? "nowhere: none configured" : secret)
          + ")");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the PKCS#12 " + what + " " + file + ": " + describe(e));
    } finally {
      wipe(password);
    }
  }

  private static TrustManagerFactory trustStore(KeyStore store, Path file) {
    try {
      boolean any = false;
      for (String alias : Collections.list(store.aliases())) {
        any |= store.getCertificate(alias) != null;
      }
      if (!any) {
        throw new IllegalArgumentException("the PKCS#12 trust store " + file + " holds no certificate the JDK trusts "
            + "(stores written by openssl lack Java's trust attribute: import with 'keytool -importcert' or use a PEM file)");
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the PKCS#12 trust store " + file + ": " + describe(e));
    }
  }

  /** Signs and verifies a probe, so a key from one rotation and a certificate from another are caught early. */
  private static void requireMatch(PrivateKey key, X509Certificate certificate, String mismatch) {
    String algorithm;
    switch (key.getAlgorithm()) {
      case "EC": algorithm = "SHA256withECDSA"; break;
      case "RSA": algorithm = "SHA256withRSA"; break;
      default: return;
    }
    try {
      byte[] probe = "memjcache key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException(mismatch);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(mismatch + " (" + describe(e) + ")");
    }
  }

  private static char[] reveal(Secret secret) {
    return secret == null ? null : secret.reveal();
  }

  private static void wipe(char[] password) {
    if (password != null) {
      Arrays.fill(password, '\0');
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The bytes of a set of files, and their fingerprint. */
  static final class FileSnapshot {
    private final Map<Path, byte[]> content;
    private final byte[] fingerprint;

    FileSnapshot(Map<Path, byte[]> content) {
      this.content = content;
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<Path, byte[]> e : content.entrySet()) {
          digest.update(e.getKey().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(e.getValue());
          digest.update((byte) 0);
        }
        this.fingerprint = digest.digest();
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JDK", e);
      }
    }

    byte[] content(Path file) {
      return content.get(file);
    }

    byte[] fingerprint() {
      return fingerprint.clone();
    }

    boolean sameAs(byte[] other) {
      return other != null && MessageDigest.isEqual(fingerprint, other);
    }
  }
}
