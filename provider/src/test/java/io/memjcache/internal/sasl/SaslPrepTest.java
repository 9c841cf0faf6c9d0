package io.memjcache.internal.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The examples of RFC 4013 section 3, and the ASCII fast path. */
class SaslPrepTest {

  private static String prep(String s) {
    return SaslPrep.prepare(s, "input");
  }

  @Test
  void rfc4013Examples() {
    assertEquals("IX", prep("I\u00ADX"), "SOFT HYPHEN mapped to nothing");
    assertEquals("user", prep("user"), "no transformation");
    assertEquals("USER", prep("USER"), "case preserved");
    assertEquals("a", prep("\u00AA"), "output is NFKC");
    assertEquals("IX", prep("\u2168"), "output is NFKC");
    assertThrows(IllegalArgumentException.class, () -> prep("\u0007"), "prohibited character");
    assertThrows(IllegalArgumentException.class, () -> prep("\u0627\u0031"), "bidirectional check");
  }

  @Test
  void printableAscii_isReturnedAsIs() {
    char[] ascii = "p@ss w0rd~!".toCharArray();
    assertSame(ascii, SaslPrep.prepare(ascii, "password"));
  }

  @Test
  void nonAsciiSpace_mapsToSpace() {
    assertEquals("a b", prep("a\u00A0b"));
    assertEquals("a b", prep("a\u3000b"));
  }

  @Test
  void prohibited_controlPrivateUseAndSurrogates_areRefused() {
    for (String bad : new String[] {"a\u007Fb", "a\u0085b", "a\uE000b", "a\uD800b", "a\uFFFEb", "a\u200Eb", "\n"}) {
      assertThrows(IllegalArgumentException.class, () -> prep(bad), bad);
    }
  }

  @Test
  void rightToLeft_wholeString_isAccepted() {
    assertEquals("\u0627\u0628", prep("\u0627\u0628"));
    assertEquals("\u0627\u0031\u0628", prep("\u0627\u0031\u0628"));
  }

  @Test
  void rightToLeft_mixedWithLeftToRight_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> prep("\u0627a\u0628"));
  }
}
