package io.memjcache.internal.tls;

/**
 * How memjcache frames its writes over TLS so that memcached before 1.6.39 does not stall on
 * pipelined storage commands.
 *
 * <p><b>The bug.</b> memcached reads commands into a 16 KB read buffer, one TLS record per read.
 * When a value is not complete in that buffer, memcached reads the rest of it straight from the
 * connection into the item. Over TLS such a read decrypts a whole record, takes the value's bytes
 * and leaves whatever follows the value in that record (the next commands) buffered inside
 * OpenSSL. 1.6.18 then waits for the socket to become readable again; if the client has nothing
 * more to send, the buffered commands are never read (upstream commit 96e05b75, "tls: fix
 * potential hang when pipelining sets", checks {@code SSL_pending} since 1.6.39). Any burst in
 * which a value crosses a record boundary and something follows the value in its last record
 * stalls: 300 pipelined sets of 100 bytes, one 20 KB SETQ plus its NOOP, and equally a 4 KB SET
 * followed by a GET. So a window that only bounds the storage bytes in flight does not prevent it
 * (reads behind a write are stranded too), while the stall can be avoided without waiting at all.
 *
 * <p><b>The rule.</b> On a TLS connection to an affected server, no frame spans two TLS records
 * unless it is larger than a record, and such a frame starts a record and ends its last record.
 * The command writer packs whole frames into flushes of at most {@link #MAX_RECORD_PLAINTEXT}
 * bytes, flushing before a frame that would not fit and right after a larger one; the TLS handler
 * wraps each flush into one record (its wrap size is the same limit) and slices a larger frame
 * into full records, the last one ending with the frame. memcached then reads every record whole
 * into its buffer (at most 15.5 KB, so it fits even behind a partial command) and parses whole
 * frames from it, or reads a large value directly and stops exactly at a record's end: nothing is
 * ever left inside its OpenSSL. Nothing waits for an answer, batches are not split and reads and
 * writes stay fully pipelined; the cost is a record and a flush about every 15.5 KB instead of
 * every 16 KB.
 *
 * <p>Servers at 1.6.39 or later and plaintext connections are written without this framing (TLS
 * records are still capped at the same size). A version that cannot be parsed is treated as
 * affected. Until the server's version is known (the handshake, SASL and the VERSION request
 * itself), TLS connections are framed this way.
 */
public final class PipelinedStorageGuard {
  /** The first memcached release with the fix. */
  static final int[] FIXED_IN = {1, 6, 39};

  /**
   * The largest TLS record memjcache sends: memcached's 16 KB read buffer less room for a partial
   * header, extras and key carried over from the previous read.
   */
  public static final int MAX_RECORD_PLAINTEXT = 16 * 1024 - 512;

  /** Tests switch the guard off to show that the stall is real; never changed otherwise. */
  static volatile boolean enabled = true;

  private PipelinedStorageGuard() {}

  /**
   * The flush limit for a TLS connection to a server of this version: {@link #MAX_RECORD_PLAINTEXT}
   * for servers that need the framing above, 0 for fixed servers.
   */
  public static int recordLimit(String serverVersion) {
    return enabled && olderThanFix(serverVersion) ? MAX_RECORD_PLAINTEXT : 0;
  }

  static boolean olderThanFix(String version) {
    if (version == null) {
      return true;
    }
    String[] parts = version.trim().split("\\.");
    for (int i = 0; i < FIXED_IN.length; i++) {
      if (i >= parts.length) {
        return true;
      }
      int n = leadingNumber(parts[i]);
      if (n < 0) {
        return true;
      }
      if (n != FIXED_IN[i]) {
        return n < FIXED_IN[i];
      }
    }
    return false;
  }

  private static int leadingNumber(String part) {
    int end = 0;
    while (end < part.length() && end < 9 && Character.isDigit(part.charAt(end))) {
      end++;
    }
    return end == 0 ? -1 : Integer.parseInt(part.substring(0, end));
  }
}
