package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
  void absent_ofAnotherIdInTheSameSlot_keepsTheRecordedOne() {
    PresenceHint hint = new PresenceHint();
    hint.present(id("k"));
    int i = 0;
    String other;
    do {
      other = "o" + i++;
    } while (slot(other) != slot("k"));
    hint.absent(id(other));
    assertTrue(hint.probablyPresent(id("k")));
    hint.present(id(other)); // direct-mapped: the newer id takes the slot
    assertTrue(hint.probablyPresent(id(other)));
    assertFalse(hint.probablyPresent(id("k")));
  }

  @Test
  void hash_isNeverZero_andSpreadsSimilarIds() {
    assertNotEquals(0L, PresenceHint.hash(new byte[0]));
    assertNotEquals(PresenceHint.hash(id("key-1")), PresenceHint.hash(id("key-2")));
    java.util.Set<Integer> slots = new java.util.HashSet<>();
    for (int k = 0; k < 10_000; k++) {
      slots.add(slot("key-" + k));
    }
    assertTrue(slots.size() > 7_000, "10,000 similar ids fill " + slots.size() + " of " + PresenceHint.SLOTS + " slots");
  }

  private static int slot(String s) {
    long h = PresenceHint.hash(id(s));
    return (int) (h ^ (h >>> 32)) & (PresenceHint.SLOTS - 1);
  }
}
