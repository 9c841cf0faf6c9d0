package io.memjcache.internal.crypto;

/**
 * Stored bytes that an encrypted cache refuses to return: the cache treats the entry as a miss.
 * The message says why, never with key material or entry content; there is no stack trace, since
 * hostile data can make this frequent.
 */
public final class RejectedValueException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a value was rejected. */
  public enum Reason {
    /** Not an envelope: too short, unknown version or algorithm, reserved bits, bad framing. */
    MALFORMED("malformed"),
    /** A clear envelope in an encrypted cache. */
    PLAINTEXT("not encrypted"),
    /** Sealed by a key id the ring does not list. */
    UNKNOWN_KEY("sealed by an unknown key"),
    /** Sealed by a retired key. */
    RETIRED_KEY("sealed by a retired key"),
    /** The tag does not match: altered, or moved to another key, cache or expiry. */
    AUTHENTICATION_FAILED("failed authentication");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    /** A few words for messages, e.g. "failed authentication". */
    public String description() {
      return description;
    }
  }

  private final Reason reason;
  private final int keyId;

  RejectedValueException(Reason reason, int keyId, String message) {
    super(message, null, false, false);
    this.reason = reason;
    this.keyId = keyId;
  }

  public Reason reason() {
    return reason;
  }

  /** The key id the entry names, or -1 if it was not read that far. */
  public int keyId() {
    return keyId;
  }
}
