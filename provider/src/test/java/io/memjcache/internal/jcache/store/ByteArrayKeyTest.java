package io.memjcache.internal.jcache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteArrayKeyTest {

  @Test
  void equals_sameContentDifferentArrays_equalWithSameHash() {
    ByteArrayKey a = ByteArrayKey.of(new byte[] {1, 2, 3});
    ByteArrayKey b = ByteArrayKey.of(new byte[] {1, 2, 3});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, ByteArrayKey.of(new byte[] {1, 2}));
    Set<ByteArrayKey> set = new HashSet<>(Set.of(a));
    assertTrue(set.contains(b));
  }

  @Test
  void bytes_wrapped_notCopied() {
    byte[] array = {9};
    assertSame(array, ByteArrayKey.of(array).bytes());
  }

  @Test
  void compareTo_bytes_unsignedLexicographic() {
    assertTrue(ByteArrayKey.of(new byte[] {(byte) 0xFF}).compareTo(ByteArrayKey.of(new byte[] {1})) > 0);
    assertTrue(ByteArrayKey.of(new byte[] {1}).compareTo(ByteArrayKey.of(new byte[] {1, 0})) < 0);
  }
}
