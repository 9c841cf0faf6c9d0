package io.memjcache.internal.sasl;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013, the stringprep profile for user names and passwords), as SCRAM requires
 * before hashing. Printable ASCII, by far the common case, passes unchanged and is checked without
 * creating a String. Other text is mapped (non-ASCII spaces to U+0020, "commonly mapped to nothing"
 * characters removed), NFKC-normalized, checked against the prohibited tables and the bidirectional
 * rule.
 *
 * <p>Limits: normalization and the bidirectional categories come from the JDK's Unicode version,
 * not Unicode 3.2 as stringprep fixes; unassigned code points are allowed (the rule for "queries",
 * which a client's input is). A non-ASCII password passes through an immutable String during
 * normalization and so cannot be wiped afterwards.
 */
final class SaslPrep {
  private SaslPrep() {}

  /** Prepares a user name. */
  static String prepare(String text, String what) {
    char[] chars = text.toCharArray();
    char[] prepared = prepare(chars, what);
    return new String(prepared);
  }

  /**
   * Prepares {@code text}; the result is a new array unless the text is printable ASCII, in which
   * case it is {@code text} itself. {@code what} names the input in errors ("password"); the
   * offending character is never shown, since it may be part of a secret.
   */
  static char[] prepare(char[] text, String what) {
    boolean ascii = true;
    for (char c : text) {
      if (c < 0x20 || c > 0x7e) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return text;
    }
    StringBuilder mapped = new StringBuilder(text.length);
    for (int i = 0; i < text.length; ) {
      int cp = Character.codePointAt(text, i); // an unpaired surrogate stays itself: prohibited below
      i += Character.charCount(cp);
      if (isNonAsciiSpace(cp)) {
        mapped.append(' ');
      } else if (!isMappedToNothing(cp)) {
        mapped.appendCodePoint(cp);
      }
    }
    String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
    mapped.setLength(0);
    boolean randAl = false;
    boolean l = false;
    for (int i = 0; i < normalized.length(); ) {
      int cp = normalized.codePointAt(i);
      i += Character.charCount(cp);
      if (isProhibited(cp)) {
        throw new IllegalArgumentException("the " + what
            + " contains a character SASLprep prohibits (a control, private-use or non-character code point; RFC 4013)");
      }
      byte dir = Character.getDirectionality(cp);
      if (dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
        randAl = true;
      } else if (dir == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
        l = true;
      }
    }
    if (randAl) {
      int first = normalized.codePointAt(0);
      int last = normalized.codePointBefore(normalized.length());
      if (l || !isRandAl(first) || !isRandAl(last)) {
        throw new IllegalArgumentException("the " + what
            + " mixes right-to-left and left-to-right text in a way SASLprep prohibits (RFC 3454 section 6)");
      }
    }
    return normalized.toCharArray();
  }

  private static boolean isRandAl(int cp) {
    byte dir = Character.getDirectionality(cp);
    return dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
  }

  /** RFC 3454 table C.1.2. */
  private static boolean isNonAsciiSpace(int cp) {
    return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  /** RFC 3454 table B.1. */
  private static boolean isMappedToNothing(int cp) {
    return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
        || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
  }

  /** RFC 4013 section 2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9. */
  private static boolean isProhibited(int cp) {
    return isNonAsciiSpace(cp)
        // C.2.1 ASCII control characters
        || cp <= 0x1F || cp == 0x7F
        // C.2.2 non-ASCII control characters
        || (cp >= 0x80 && cp <= 0x9F) || cp == 0x06DD || cp == 0x070F || cp == 0x180E || cp == 0x200C
        || cp == 0x200D || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2063)
        || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC)
        || (cp >= 0x1D173 && cp <= 0x1D17A)
        // C.3 private use
        || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD) || (cp >= 0x100000 && cp <= 0x10FFFD)
        // C.4 non-character code points
        || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE
        // C.5 surrogate codes
        || (cp >= 0xD800 && cp <= 0xDFFF)
        // C.6 inappropriate for plain text
        || (cp >= 0xFFF9 && cp <= 0xFFFD)
        // C.7 inappropriate for canonical representation
        || (cp >= 0x2FF0 && cp <= 0x2FFB)
        // C.8 change display properties or deprecated
        || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
        // C.9 tagging characters
        || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
  }
}
