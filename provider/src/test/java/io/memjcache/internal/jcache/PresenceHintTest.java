package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceHintTest {
  private static byte[] id(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void probablyPresent_unknownId_isFalse() {
    assertFalse(new PresenceHint().probablyPresent(id("k")));
  }

  @Test
  void present_thenAbsent_isForgotten() {
    PresenceHint hint = new PresenceHint();
    hint.present(id("k"));
    assertTrue(hint.probablyPresent(id("k")));
    assertFalse(hint.probablyPresent(id("other")));
    hint.absent(id("k"));
    assertFalse(hint.probablyPresent(id("k")));
  }

  @Test
  void idsSharingABucket_areAllKeptUpToItsWays_thenOneIsEvicted() {
    List<String> sameBucket = idsInTheBucketOf("k", PresenceHint.WAYS + 1);
    PresenceHint hint = new PresenceHint();
    for (String s : sameBucket.subList(0, PresenceHint.WAYS)) {
      hint.present(id(s));
    }
    for (String s : sameBucket.subList(0, PresenceHint.WAYS)) {
      assertTrue(hint.probablyPresent(id(s)), s + " shares a bucket with " + (PresenceHint.WAYS - 1) + " others and is kept");
    }
    hint.absent(id(sameBucket.get(PresenceHint.WAYS))); // another id of the bucket: nothing to clear
    assertEquals(PresenceHint.WAYS, known(hint, sameBucket.subList(0, PresenceHint.WAYS)));

    hint.present(id(sameBucket.get(PresenceHint.WAYS))); // a full bucket: the newest id evicts one
    assertTrue(hint.probablyPresent(id(sameBucket.get(PresenceHint.WAYS))));
    assertEquals(PresenceHint.WAYS - 1, known(hint, sameBucket.subList(0, PresenceHint.WAYS)));
  }

  @Test
  void present_ofAKnownId_writesNothing() {
    List<String> sameBucket = idsInTheBucketOf("k", PresenceHint.WAYS + 1);
    PresenceHint hint = new PresenceHint();
    for (String s : sameBucket.subList(0, PresenceHint.WAYS)) {
      hint.present(id(s));
    }
    for (int i = 0; i < 10; i++) {
      hint.present(id(sameBucket.get(0))); // must not take a second way and evict another id
    }
    assertEquals(PresenceHint.WAYS, known(hint, sameBucket.subList(0, PresenceHint.WAYS)));
  }

  /** The reason for the ways: the benchmark's 10,000 keys all stay known (direct-mapped kept ~75%). */
  @Test
  void tenThousandSimilarIds_nearlyAllStayKnown() {
    PresenceHint hint = new PresenceHint();
    for (int k = 0; k < 10_000; k++) {
      hint.present(id("key:" + k));
    }
    int known = 0;
    for (int k = 0; k < 10_000; k++) {
      known += hint.probablyPresent(id("key:" + k)) ? 1 : 0;
    }
    assertTrue(known > 9_900, known + " of 10,000 ids known in " + PresenceHint.SLOTS + " slots");
  }

  @Test
  void fingerprint_isNeverZero_andSimilarIdsHashApart() {
    assertNotEquals(0, PresenceHint.fingerprint(0L));
    assertNotEquals(0, PresenceHint.fingerprint(0x0000_0000_1234_5678L));
    assertNotEquals(PresenceHint.hash(id("key-1")), PresenceHint.hash(id("key-2")));
  }

  private static int known(PresenceHint hint, List<String> ids) {
    int n = 0;
    for (String s : ids) {
      n += hint.probablyPresent(id(s)) ? 1 : 0;
    }
    return n;
  }

  /** {@code count} ids (the first is {@code first}) whose hashes pick the same bucket, with distinct fingerprints. */
  private static List<String> idsInTheBucketOf(String first, int count) {
    List<String> ids = new ArrayList<>(List.of(first));
    long h0 = PresenceHint.hash(id(first));
    for (int i = 0; ids.size() < count; i++) {
      String s = "o" + i;
      long h = PresenceHint.hash(id(s));
      if (PresenceHint.base(h) == PresenceHint.base(h0) && PresenceHint.fingerprint(h) != PresenceHint.fingerprint(h0)) {
        ids.add(s);
      }
    }
    return ids;
  }
}
