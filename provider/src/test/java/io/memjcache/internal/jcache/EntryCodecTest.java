package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.internal.crypto.ValueEncryption;
import io.memjcache.internal.jcache.store.Envelope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The codecs' length prediction, which the size check before a write-through relies on. */
class EntryCodecTest {
  /** Lengths on both sides of each varint boundary. */
  private static final int[] LENGTHS = {0, 1, 127, 128, 16_383, 16_384, 100_000};

  @Test
  void encodedLength_plain_isTheLengthOfWhatEncodeReturns() {
    check(new PlainEntryCodec(3));
  }

  @Test
  void encodedLength_encrypted_isTheLengthOfWhatEncodeReturns() {
    byte[] material = new byte[32];
    new SplittableRandom(1).nextBytes(material);
    KeyRing ring = KeyRing.of(EncryptionKey.of(1, EncryptionKey.State.PRIMARY, material));
    var sealer = ValueEncryption.start(EncryptionSettings.builder().keyRing(KeyRingSource.of(ring)).build())
        .sealer("codec-test");
    check(new EncryptedEntryCodec(sealer, 3));
  }

  private static void check(EntryCodec codec) {
    for (int keyLength : LENGTHS) {
      for (int valueLength : LENGTHS) {
        byte[] key = new byte[keyLength];
        byte[] value = new byte[valueLength];
        byte[] id = codec.id(key);
        assertEquals(codec.encode(id, key, value, Envelope.ETERNAL).length, codec.encodedLength(key, value),
            "key " + keyLength + " B, value " + valueLength + " B");
        assertEquals(codec.encode(id, key, value, 1_700_000_000_000L).length, codec.encodedLength(key, value),
            "with an expiry: key " + keyLength + " B, value " + valueLength + " B");
      }
    }
  }
}
